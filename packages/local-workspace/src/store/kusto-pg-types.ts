/** Kusto column type ↔ Postgres column type, as the storage contract fixes them. */
import { pgTypeOfKusto as pgTypeOf, type KustoType } from "@vaultwatch/schemas";

const kustoTypeOf = new Map<string, KustoType>(Object.entries(pgTypeOf).map(([k, pg]) => [pg, k as KustoType]));

/** Postgres type name as `format_type` / `::regtype::text` prints it. */
export function pgColumnType(type: KustoType): string {
  return pgTypeOf[type];
}

/** Column definition for ADD COLUMN: Kusto strings are never null (absent is empty), everything else is nullable. */
export function pgColumnDefinition(type: KustoType): string {
  return type === "string" ? "text NOT NULL DEFAULT ''" : pgTypeOf[type];
}

export function kustoTypeOfPg(pgType: string): KustoType | undefined {
  return kustoTypeOf.get(pgType);
}
