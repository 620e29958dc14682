/**
 * Merging what several workspaces (and both shapes) answered: chart points that meet in one bucket and series are
 * summed; list rows are filtered, sorted and cut into pages here, on the server, so a browser never holds more than
 * a page of an MSP's estate.
 */
export type ListRequest = {
  /** case-insensitive text any of the row's text fields must contain */
  search?: string;
  sort?: string;
  dir?: "asc" | "desc";
  offset: number;
  limit: number;
};

export type Page<Row> = { rows: Row[]; total: number; offset: number; limit: number };

/**
 * Sums `measure` over rows equal in every other field; sorted by time, then by series. Built for 15,000 points (500
 * vaults' storage over 30 days): one key per row from its values, the series text once per point, not at every
 * comparison of the sort (the first version spent 85 ms of a 250 ms storage chart here).
 */
export function mergeSeries<Row extends Record<string, unknown>>(rows: Row[], measure: string): Row[] {
  const byKey = new Map<string, { row: Row; series: string }>();
  // a view's chart rows all have its schema's fields
  const fields = Object.keys(rows[0] ?? {}).filter((k) => k !== measure);
  for (const row of rows) {
    const key = JSON.stringify(fields.map((f) => row[f]));
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { row: { ...row }, series: seriesOf(row, measure) });
    else (seen.row as Record<string, unknown>)[measure] = Number(seen.row[measure] ?? 0) + Number(row[measure] ?? 0);
  }
  return [...byKey.values()]
    .sort((a, b) => compareValues(a.row.TimeGenerated, b.row.TimeGenerated) || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0))
    .map((p) => p.row);
}

const seriesOf = (row: Record<string, unknown>, measure: string) =>
  Object.entries(row)
    .filter(([k]) => k !== measure && k !== "TimeGenerated")
    .map(([, v]) => String(v))
    .join("\u0000");

/** Numbers by value, text by code point (ISO times sort as text); nulls last whichever the direction. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = typeof a === "string" ? a : JSON.stringify(a);
  const y = typeof b === "string" ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Filters, sorts (by `sort`, then by every field for a stable order) and pages rows. */
export function pageOf<Row extends Record<string, unknown>>(rows: Row[], req: ListRequest, defaultSort: { sort: string; dir: "asc" | "desc" }): Page<Row> {
  const needle = req.search?.trim().toLowerCase();
  const kept = needle
    ? rows.filter((row) => Object.values(row).some((v) => typeof v === "string" && v.toLowerCase().includes(needle)))
    : rows;
  const sort = req.sort ?? defaultSort.sort;
  const sign = (req.dir ?? (req.sort ? "asc" : defaultSort.dir)) === "desc" ? -1 : 1;
  const tie = (a: Row, b: Row) => compareValues(JSON.stringify(a), JSON.stringify(b));
  const sorted = [...kept].sort((a, b) => {
    const [x, y] = [a[sort], b[sort]];
    // nulls stay last in both directions
    if ((x === null || x === undefined) !== (y === null || y === undefined)) return x === null || x === undefined ? 1 : -1;
    return sign * compareValues(x, y) || tie(a, b);
  });
  return { rows: sorted.slice(req.offset, req.offset + req.limit), total: sorted.length, offset: req.offset, limit: req.limit };
}
