/** Small helpers for emitting SQL text safely. */

/** A quoted identifier; Kusto names are case-sensitive and may hold any character, Postgres quoting keeps both. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Collects bound parameters; literals from the query never enter the SQL text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** Escape a string for use inside a POSIX regular expression. */
export function regexEscape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&");
}

/** Escape a string for LIKE / ILIKE with the default backslash escape. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, "\\$&");
}
