/** Kusto scalar types as Log Analytics reports them in query results and table schemas. */
export const kustoTypes = ["bool", "datetime", "dynamic", "int", "long", "real", "string", "guid", "decimal", "timespan"] as const;
export type KustoType = (typeof kustoTypes)[number];

export type ColumnSchema = { name: string; type: KustoType };
export type TableSchema = { name: string; columns: ColumnSchema[] };
