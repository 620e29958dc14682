/**
 * Result cells as Log Analytics' query API returns them. Postgres already renders datetimes, timespans and dynamic
 * values as text (see `cellJsonSql`); here the text protocol's values become JSON-ready JavaScript values.
 */
import pg from "pg";

const asText = (value: string) => value;
// Log Analytics sends longs and reals as JSON numbers; NaN and ±Infinity have no JSON number, so they go as text.
const asNumber = (value: string): number | string => {
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
};

const parsers: Record<number, (value: string) => unknown> = {
  20: asNumber, // int8
  21: asNumber, // int2
  23: asNumber, // int4
  700: asNumber, // float4
  701: asNumber, // float8
  1700: asText, // numeric (decimal): text keeps its precision
  1184: asText,
  1114: asText,
  3802: asText,
  114: asText,
};

export const resultTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    parsers[oid] ?? (pg.types.getTypeParser(oid, format as "text") as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};
