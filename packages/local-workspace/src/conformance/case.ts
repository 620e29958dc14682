/**
 * KQL conformance cases: documented examples from Kusto's documentation, each with the output table the page shows
 * (or marked `refused` when local workspaces do not support the construct), and the comparison that decides whether
 * our query API answered the same table. Expected values are written as the docs print them; `normalizeCell` brings
 * both sides to one form per Kusto type (datetimes and timespans as 100 ns ticks, guids lower case, dynamic parsed).
 */
import type { KustoType } from "@vaultwatch/schemas";

/** A cell as a case writes it: the docs' value (datetimes/timespans as strings, dynamic as plain JS values). */
export type Cell = string | number | boolean | null | Cell[] | { [key: string]: Cell };

export type DocumentedCase = {
  query: string;
  /** result columns: name and Kusto type, in order */
  columns: [string, KustoType][];
  rows: Cell[][];
  /** compare row order too (the query sorts); otherwise rows compare as a multiset */
  ordered?: boolean;
  /** dynamic columns whose arrays have no defined order (make_set(): "The array's sort order is undefined") */
  unorderedArrays?: string[];
  refused?: false;
  /** why the case is shaped the way it is (e.g. which part of the page's example it keeps) */
  note?: string;
  /**
   * Local workspaces hold datetimes and timespans to the microsecond, Kusto to the 100 ns tick: where the page's
   * values have digits below a microsecond (endofday()'s …59.9999999), "microsecond" compares datetime and timespan
   * cells truncated to whole microseconds. Such a case passes at microsecond precision only when the exact comparison
   * fails and the truncated one holds, and is scored apart.
   */
  precision?: "microsecond";
};

export type RefusedCase = {
  query: string;
  /** documented but not supported by local workspaces: the API must answer an error saying "not supported" */
  refused: true;
  note?: string;
};

export type Case = DocumentedCase | RefusedCase;

export type DocPage = {
  /** the documentation page's title, e.g. "tolower()" */
  page: string;
  url: string;
  cases: Case[];
};

/** What the query API answered: a table, or an error message. */
export type Answer = { columns: { name: string; type: string }[]; rows: unknown[][] } | { error: string };

/** `precision: "microsecond"`: the case passed only with its sub-microsecond digits dropped (see DocumentedCase). */
export type Verdict = { outcome: "pass"; precision?: "microsecond" } | { outcome: "refused" } | { outcome: "wrong"; reason: string };

// ── normalisation ───────────────────────────────────────────────────────────────────────────────────────────────

const TICKS_PER_MS = 10_000n;

/**
 * A datetime as 100 ns ticks since the epoch, from ISO forms with or without fraction, zone, "T" or time part
 * ("2017-01-01", "2017-01-01 10:00:00.0000000", "2017-01-01T10:00:00.5Z"). Undefined when the text is no datetime.
 */
export function datetimeTicks(text: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,7})\d*)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[4] && m[4].toUpperCase() !== "Z" ? m[4] : "Z"}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = BigInt((m[3] ?? "").padEnd(7, "0"));
  return BigInt(ms) * TICKS_PER_MS + fraction;
}

/** A timespan as 100 ns ticks, from Kusto's print form [-][d.]hh:mm:ss[.fffffff]. */
export function timespanTicks(text: string): bigint | undefined {
  const m = /^(-)?(?:(\d+)\.)?(\d+):(\d\d):(\d\d)(?:\.(\d{1,7})\d*)?$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = (BigInt(m[2] ?? "0") * 24n + BigInt(m[3]!)) * 3600n + BigInt(m[4]!) * 60n + BigInt(m[5]!);
  const ticks = seconds * 10_000_000n + BigInt((m[6] ?? "").padEnd(7, "0"));
  return m[1] ? -ticks : ticks;
}

/** A JSON value with object keys sorted, so that two dynamic values compare as text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && Object.is(value, -0)) return "0";
  return JSON.stringify(value) ?? "null";
}

/** Normalised cell: a number (reals, compared with tolerance) or a string key (everything else, compared exactly). */
type Norm = { kind: "real"; value: number } | { kind: "exact"; key: string };

const exact = (key: string): Norm => ({ kind: "exact", key });

function realOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const t = value.trim();
    if (t === "NaN") return NaN;
    if (/^[+]?(inf|infinity)$/i.test(t)) return Infinity;
    if (/^-(inf|infinity)$/i.test(t)) return -Infinity;
    if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  }
  return undefined;
}

/** How a column is compared: dynamic arrays as sets; values cut to whole microseconds (see DocumentedCase.precision). */
export type CellMode = { unorderedArray?: boolean; microsecond?: boolean };

/** Ticks (100 ns) cut down to a whole microsecond, towards the past as Postgres does. */
const toMicrosecond = (ticks: bigint) => ticks - (((ticks % 10n) + 10n) % 10n);

/** One cell of either side in its comparable form for the column's Kusto type. */
export function normalizeCell(type: string, value: unknown, mode: CellMode = {}): Norm {
  if (value === null || value === undefined) return exact("null");
  const unorderedArray = mode.unorderedArray ?? false;
  const cut = (ticks: bigint) => (mode.microsecond ? toMicrosecond(ticks) : ticks);
  switch (type) {
    case "real": {
      const n = realOf(value);
      return n === undefined ? exact(`bad real ${JSON.stringify(value)}`) : { kind: "real", value: n };
    }
    case "int":
    case "long":
    case "decimal": {
      const n = realOf(value);
      if (n === undefined) return exact(`bad ${type} ${JSON.stringify(value)}`);
      // decimals come back as text with their own precision; compare them as numbers
      return type === "decimal" ? { kind: "real", value: n } : exact(`n:${Object.is(n, -0) ? 0 : n}`);
    }
    case "bool":
      if (value === true || value === 1 || value === "true" || value === "True") return exact("true");
      if (value === false || value === 0 || value === "false" || value === "False") return exact("false");
      return exact(`bad bool ${JSON.stringify(value)}`);
    case "datetime": {
      const ticks = typeof value === "string" ? datetimeTicks(value) : undefined;
      return exact(ticks === undefined ? `bad datetime ${JSON.stringify(value)}` : `dt:${cut(ticks)}`);
    }
    case "timespan": {
      const ticks = typeof value === "string" ? timespanTicks(value) : undefined;
      return exact(ticks === undefined ? `bad timespan ${JSON.stringify(value)}` : `ts:${cut(ticks)}`);
    }
    case "guid":
      return typeof value === "string" ? exact(`g:${value.toLowerCase()}`) : exact(`bad guid ${JSON.stringify(value)}`);
    case "dynamic": {
      // the API sends dynamic as JSON text; a case writes the plain value (a documented string value is JSON text too)
      let parsed: unknown = value;
      if (typeof value === "string") {
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = value;
        }
      }
      if (unorderedArray && Array.isArray(parsed)) return exact(`d:[${parsed.map(canonicalJson).sort().join(",")}]`);
      return exact(`d:${canonicalJson(parsed)}`);
    }
    default:
      return exact(typeof value === "string" ? `s:${value}` : `bad string ${JSON.stringify(value)}`);
  }
}

const sameReal = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

const sameNorm = (a: Norm, b: Norm) =>
  a.kind === "real" && b.kind === "real" ? sameReal(a.value, b.value) : a.kind === "exact" && b.kind === "exact" && a.key === b.key;

const show = (n: Norm) => (n.kind === "real" ? String(n.value) : n.key);
const showRow = (row: Norm[]) => `[${row.map(show).join(", ")}]`;

/** A sort key that keeps equal rows (reals within tolerance, mostly) next to each other. */
const sortKey = (row: Norm[]) => row.map((n) => (n.kind === "real" ? `r:${Number.isFinite(n.value) ? n.value.toPrecision(12) : n.value}` : n.key)).join("\u0000");

// ── comparison ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether the API's answer is what the case documents: exactly, or for a case marked `precision: "microsecond"`,
 * with the digits below a microsecond dropped (then the pass says so).
 */
export function judge(c: Case, answer: Answer): Verdict {
  const verdict = compare(c, answer, false);
  if (verdict.outcome !== "wrong" || c.refused || c.precision !== "microsecond") return verdict;
  const cut = compare(c, answer, true);
  if (cut.outcome !== "wrong") return { outcome: "pass", precision: "microsecond" };
  return { outcome: "wrong", reason: `at microsecond precision, ${cut.reason}` };
}

function compare(c: Case, answer: Answer, microsecond: boolean): Verdict {
  if (c.refused) {
    if ("error" in answer) {
      return /not supported/i.test(answer.error)
        ? { outcome: "refused" }
        : { outcome: "wrong", reason: `expected "not supported", got error: ${answer.error}` };
    }
    return { outcome: "wrong", reason: `expected a "not supported" refusal, but the query ran (${answer.rows.length} rows)` };
  }
  if ("error" in answer) return { outcome: "wrong", reason: `error: ${answer.error}` };

  const want = c.columns.map(([n, t]) => `${n}:${t}`).join(", ");
  const got = answer.columns.map((col) => `${col.name}:${col.type}`).join(", ");
  if (want !== got) return { outcome: "wrong", reason: `columns: expected (${want}), got (${got})` };

  const types = c.columns.map(([, t]) => t);
  const modes: CellMode[] = c.columns.map(([name]) => ({ unorderedArray: c.unorderedArrays?.includes(name) ?? false, microsecond }));
  const expected = c.rows.map((r) => types.map((t, i) => normalizeCell(t, r[i], modes[i])));
  const actual = answer.rows.map((r) => types.map((t, i) => normalizeCell(t, r[i], modes[i])));
  const badWidth = c.rows.findIndex((r) => r.length !== types.length);
  if (badWidth >= 0) return { outcome: "wrong", reason: `case row ${badWidth} has ${c.rows[badWidth]!.length} cells for ${types.length} columns` };
  if (expected.length !== actual.length) {
    return { outcome: "wrong", reason: `expected ${expected.length} rows, got ${actual.length}: ${actual.slice(0, 5).map(showRow).join(" ")}` };
  }
  if (!c.ordered) {
    const bySortKey = (a: Norm[], b: Norm[]) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);
    expected.sort(bySortKey);
    actual.sort(bySortKey);
  }
  for (let r = 0; r < expected.length; r++) {
    const e = expected[r]!;
    const a = actual[r]!;
    const col = e.findIndex((cell, i) => !sameNorm(cell, a[i]!));
    if (col >= 0) {
      return { outcome: "wrong", reason: `row ${r}, column ${c.columns[col]![0]}: expected ${show(e[col]!)}, got ${show(a[col]!)} (row ${showRow(a)})` };
    }
  }
  return { outcome: "pass" };
}
