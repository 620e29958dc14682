/**
 * Values a drill-down puts into its KQL text (a backup item's id, a slice's bucket). Kusto's double-quoted string
 * literals take backslash escapes (Kusto docs, "The string data type"), so quoting escapes exactly `\` and `"`; the
 * API refuses control characters before they get here, and they are refused again in case another caller forgets.
 */
export function kqlString(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Error("a KQL string literal here may not hold control characters");
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `datetime(2026-11-20T00:00:00.000Z)`: Kusto reads ISO 8601 in UTC. */
export function kqlDatetime(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new Error("not a valid date");
  return `datetime(${at.toISOString()})`;
}

/** A bin size as a Kusto timespan literal. */
export const binSizes = { "1h": "1h", "6h": "6h", "1d": "1d", "7d": "7d" } as const;
export type BinSize = keyof typeof binSizes;
export const binMs: Record<BinSize, number> = { "1h": 3_600_000, "6h": 21_600_000, "1d": 86_400_000, "7d": 604_800_000 };
