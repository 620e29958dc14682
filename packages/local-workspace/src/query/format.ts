/** Postgres values → the JSON Log Analytics' query API returns for each Kusto type. */
import type { KustoType } from "@vaultwatch/schemas";
import pg from "pg";

/** Type parsers for result rows: keep the exact text of timestamps, JSON and numerics; we format them ourselves. */
const raw = (value: string) => value;
const parsers: Record<number, (value: string) => unknown> = {
  20: (v) => Number(v), // int8: Log Analytics sends longs as JSON numbers
  1184: raw, // timestamptz
  1114: raw,
  1700: raw, // numeric
  3802: raw, // jsonb
  114: raw, // json
};
export const resultTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    parsers[oid] ?? (pg.types.getTypeParser(oid, format as "text") as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

/** `2024-01-02 03:04:05.123456+00` (session time zone UTC) → `2024-01-02T03:04:05.123456Z`. */
export function formatDatetime(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) return new Date(text).toISOString();
  const offset = m[4];
  if (offset && !/^\+00(:?00)?$/.test(offset)) return new Date(text.replace(" ", "T")).toISOString();
  return `${m[1]}T${m[2]}${m[3] ?? ""}Z`;
}

/** Microseconds → Kusto's `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  let rest = Math.abs(micros);
  const days = Math.floor(rest / 86_400_000_000);
  rest -= days * 86_400_000_000;
  const h = Math.floor(rest / 3_600_000_000);
  rest -= h * 3_600_000_000;
  const m = Math.floor(rest / 60_000_000);
  rest -= m * 60_000_000;
  const s = Math.floor(rest / 1_000_000);
  const frac = rest - s * 1_000_000;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${sign}${days ? `${days}.` : ""}${two(h)}:${two(m)}:${two(s)}${frac ? `.${String(frac * 10).padStart(7, "0")}` : ""}`;
}

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

export function formatValue(type: KustoType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "datetime":
      return formatDatetime(text(value));
    case "timespan":
      return formatTimespan(Number(value));
    case "dynamic":
      // Log Analytics sends dynamic values as JSON text
      return typeof value === "string" ? JSON.stringify(JSON.parse(value)) : JSON.stringify(value);
    case "real":
      return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
    case "decimal":
      return text(value);
    default:
      return value;
  }
}
