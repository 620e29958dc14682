/**
 * Tables whose schema Azure documents (the resource-specific backup tables and AzureActivity) have every documented
 * column from their first row on, as in a Log Analytics workspace: a column no row has filled yet exists and is empty.
 * AzureDiagnostics is not among them: its columns are per workspace (whatever its resources sent).
 */
import { fixedSchemaTables, type ColumnSchema } from "@vaultwatch/schemas";

/** The documented columns of `table` that `present` lacks (none for a table without a documented schema). */
export function documentedColumnsBeyond(table: string, present: readonly Pick<ColumnSchema, "name">[]): ColumnSchema[] {
  if (!Object.hasOwn(fixedSchemaTables, table)) return [];
  const have = new Set(present.map((c) => c.name));
  return (fixedSchemaTables[table]?.columns ?? []).filter((c) => !have.has(c.name));
}
