/**
 * SQL text for Kusto's string forms of values. No Kusto.Language here: processes that only run compiled queries
 * (runtime.ts) use these too.
 */
import type { Scalar } from "./context";

/**
 * Kusto prints dynamic values as compact JSON (`{"a":1,"b":[1,2]}`); Postgres' jsonb text puts a space after every
 * `,` and `:` outside strings. Strings are matched whole first, so separators inside them are kept.
 */
export function compactJsonText(jsonbSql: string): string {
  return `regexp_replace((${jsonbSql})::text, '("(?:[^"\\\\]|\\\\.)*")|([,:]) ', '\\1\\2', 'g')`;
}

/** Kusto's `tostring()`: "" for null, ISO 8601 for datetimes, `[d.]hh:mm:ss[.fffffff]` for timespans. */
export function toStringSql(s: Scalar): string {
  switch (s.type) {
    case "string":
      return s.sql;
    case "datetime":
      return `COALESCE(to_char(${s.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(microseconds from ${s.sql})::bigint % 1000000 = 0 THEN '' ELSE '.' || lpad(((extract(microseconds from ${s.sql})::bigint % 1000000) * 10)::text, 7, '0') END || 'Z', '')`;
    case "timespan":
      return `COALESCE(${timespanText(s.sql)}, '')`;
    case "dynamic":
      return `COALESCE(CASE jsonb_typeof(${s.sql}) WHEN 'string' THEN ${s.sql} #>> '{}' WHEN 'null' THEN '' ELSE ${compactJsonText(s.sql)} END, '')`;
    default:
      return `COALESCE((${s.sql})::text, '')`;
  }
}

function timespanText(sql: string): string {
  const micros = `(extract(epoch from ${sql}) * 1000000)::bigint`;
  const abs = `abs(${micros})`;
  return `(CASE WHEN ${micros} < 0 THEN '-' ELSE '' END || CASE WHEN ${abs} >= 86400000000 THEN (${abs} / 86400000000)::text || '.' ELSE '' END || lpad(((${abs} / 3600000000) % 24)::text, 2, '0') || ':' || lpad(((${abs} / 60000000) % 60)::text, 2, '0') || ':' || lpad(((${abs} / 1000000) % 60)::text, 2, '0') || CASE WHEN ${abs} % 1000000 = 0 THEN '' ELSE '.' || lpad(((${abs} % 1000000) * 10)::text, 7, '0') END)`;
}
