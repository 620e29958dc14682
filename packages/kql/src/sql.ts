/** Small helpers for emitting SQL text safely. */

/** A quoted identifier; Kusto names are case-sensitive and may hold any character, Postgres quoting keeps both. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Values that change from run to run of the same query (so a compiled query can be reused). */
export type RunValues = { now: Date; timespanStart?: Date; timespanEnd?: Date; ingestedAfter?: Date; ingestedUpTo?: Date };
export type RunValueName = keyof RunValues;

/** Collects bound parameters; literals from the query never enter the SQL text. */
export class Params {
  // constants, or `{ runValue }` markers bound per run
  readonly values: unknown[] = [];
  readonly casts: string[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    this.casts.push(cast);
    return `$${this.values.length}::${cast}`;
  }

  /**
   * Postgres refuses a statement with a parameter it never sees ("could not determine data type"). A literal the
   * compiler folded away leaves such a hole: a WHERE clause mentions each such parameter, typed, and filters nothing.
   */
  unusedClause(sql: string): string {
    const unused = this.casts
      .map((cast, i) => ({ ref: `$${i + 1}::${cast}`, n: i + 1 }))
      .filter(({ n }) => !new RegExp(`\\$${n}(?!\\d)`).test(sql));
    if (unused.length === 0) return "";
    return ` WHERE (${unused.map((u) => `${u.ref} IS NULL`).join(" OR ")}) OR true`;
  }
  /** A parameter filled at each run (now(), the timespan, the ingestion window). */
  addRunValue(name: RunValueName, cast: string): string {
    return this.add({ runValue: name }, cast);
  }
}

/** The parameter values for one run: the constant ones as compiled, the run values from `run`. */
export function bindParams(values: readonly unknown[], run: RunValues): unknown[] {
  return values.map((v) => {
    if (v && typeof v === "object" && "runValue" in v) {
      const d = run[(v as { runValue: RunValueName }).runValue];
      if (!d) throw new Error(`no value for ${(v as { runValue: string }).runValue}`);
      return d.toISOString();
    }
    return v;
  });
}

/** Escape a string for use inside a POSIX regular expression. */
export function regexEscape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&");
}

/** Escape a string for LIKE / ILIKE with the default backslash escape. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, "\\$&");
}
