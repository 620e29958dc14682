/**
 * How a result cell leaves Postgres: the JSON value Log Analytics' query API returns for each Kusto type, built by
 * Postgres itself so that large results never pass through per-value parsing in JavaScript.
 */
import type { KustoType } from "@vaultwatch/schemas";
import { toStringSql } from "./text-sql";

export function cellJsonSql(type: KustoType, sql: string): string {
  switch (type) {
    case "datetime":
    case "timespan":
      // ISO 8601 with Z / Kusto's [d.]hh:mm:ss[.fffffff]; null stays null
      return `CASE WHEN ${sql} IS NULL THEN NULL ELSE ${toStringSql({ sql, type })} END`;
    case "dynamic":
      // Log Analytics sends dynamic values as JSON text
      return `(${sql})::text`;
    default:
      return sql;
  }
}
