import type { LogRule, LogRuleMeasure } from "@vaultwatch/schemas";
import { violates } from "./compare";
import { dimensionKey, type Dimension } from "./fingerprint";

export type ResultRow = Record<string, unknown>;

export type DimensionResult = {
  /** Canonical key of the combination within the rule (see `dimensionKey`); `alertFingerprint` adds the rule id. */
  fingerprintKey: string;
  dimensions: Dimension[];
  /** The measured value; null when an aggregate had no numeric value to work on. */
  value: number | null;
  violated: boolean;
  rowCount: number;
};

export type EvaluationOutcome = { ok: true; results: DimensionResult[] } | { ok: false; error: string };

type Condition = Pick<LogRule, "measure" | "operator" | "threshold" | "dimensions">;

/**
 * Splits result rows by the rule's dimensions and measures each combination.
 *
 * Combinations with no rows this period: Azure reports them only when they were seen before, and then as having
 * no data. We do the same, simply: pass the combinations seen before (`knownCombinations`, e.g. those with an open
 * alert or failing-period history) and each one absent from the rows is measured as a count of 0 (so `count > T`
 * is not violated and `count < T` is) or, for avg/sum/min/max, as no value (never violated). Unknown combinations
 * with no rows cannot exist, since nothing names them. Without dimensions there is always exactly one result, so
 * an empty result fires `count < 1`: how a silent source is noticed.
 */
export function evaluateRows(rows: readonly ResultRow[], condition: Condition, knownCombinations: readonly Dimension[][] = []): EvaluationOutcome {
  const groups = new Map<string, { dimensions: Dimension[]; rows: ResultRow[] }>();
  for (const [index, row] of rows.entries()) {
    const dimensions: Dimension[] = [];
    for (const name of condition.dimensions) {
      if (!(name in row)) return { ok: false, error: `dimension column ${name} is not in the query results (row ${index})` };
      dimensions.push({ name, value: dimensionText(row[name]) });
    }
    const key = dimensionKey(dimensions);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dimensions, rows: [] }));
    group.rows.push(row);
  }
  if (condition.dimensions.length === 0 && groups.size === 0) groups.set(dimensionKey([]), { dimensions: [], rows: [] });
  for (const dimensions of knownCombinations) {
    const key = dimensionKey(dimensions);
    if (!groups.has(key)) groups.set(key, { dimensions: dimensions.map((d) => ({ ...d })), rows: [] });
  }

  const results: DimensionResult[] = [];
  for (const [fingerprintKey, group] of groups) {
    const measured = measure(group.rows, condition.measure);
    if (!measured.ok) return measured;
    const value = measured.value;
    results.push({
      fingerprintKey,
      dimensions: group.dimensions,
      value,
      violated: value !== null && violates(value, condition.operator, condition.threshold),
      rowCount: group.rows.length,
    });
  }
  return { ok: true, results };
}

/** Dimension values as Azure's payload writes them: text. Kusto strings are never null; other empty cells read as "". */
/** How a cell becomes a dimension value (the same text the fingerprint and the alert show). */
export function dimensionText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

function measure(rows: readonly ResultRow[], m: LogRuleMeasure): { ok: true; value: number | null } | { ok: false; error: string } {
  if (m.kind === "count") return { ok: true, value: rows.length };
  const values: number[] = [];
  for (const [index, row] of rows.entries()) {
    if (!(m.column in row)) return { ok: false, error: `measure column ${m.column} is not in the query results (row ${index})` };
    const raw = row[m.column];
    // like Kusto's aggregates, empty (null) cells are skipped
    if (raw === null || raw === undefined) continue;
    const n = toNumber(raw);
    if (n === null) return { ok: false, error: `measure column ${m.column} holds a non-numeric value ${JSON.stringify(raw)} (row ${index})` };
    values.push(n);
  }
  // no numeric value at all (no rows, or only empty cells): nothing to compare, so never violated
  if (values.length === 0) return { ok: true, value: null };
  switch (m.kind) {
    case "sum":
      return { ok: true, value: values.reduce((a, b) => a + b, 0) };
    case "avg":
      return { ok: true, value: values.reduce((a, b) => a + b, 0) / values.length };
    case "min":
      return { ok: true, value: values.reduce((a, b) => (b < a ? b : a)) };
    case "max":
      return { ok: true, value: values.reduce((a, b) => (b > a ? b : a)) };
  }
}

// Numbers, bigints, and numeric text (Postgres bigint/numeric arrive as strings; backup fields are `_s` strings).
const numericText = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
function toNumber(raw: unknown): number | null {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw === "string" && numericText.test(raw)) return Number(raw);
  return null;
}
