/** Kusto scalar types as Log Analytics reports them in query results and table schemas. */
export const kustoTypes = ["bool", "datetime", "dynamic", "int", "long", "real", "string", "guid", "decimal", "timespan"] as const;
export type KustoType = (typeof kustoTypes)[number];

export type ColumnSchema = { name: string; type: KustoType };
export type TableSchema = { name: string; columns: ColumnSchema[] };

/**
 * How each Kusto type is stored and computed in Postgres (local workspaces), named as `format_type` prints it so the
 * catalog reads back the same names. Shared by the store (DDL, catalog) and the KQL compiler (casts).
 */
export const pgTypeOfKusto: Readonly<Record<KustoType, string>> = {
  string: "text",
  guid: "uuid",
  datetime: "timestamp with time zone",
  real: "double precision",
  long: "bigint",
  int: "integer",
  bool: "boolean",
  dynamic: "jsonb",
  timespan: "interval",
  decimal: "numeric",
};
