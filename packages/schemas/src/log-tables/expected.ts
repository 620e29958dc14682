/**
 * The tables a Log Analytics workspace may hold before it has received them: the documented backup tables,
 * AzureActivity, and AzureDiagnostics with its standard columns and every documented backup-report field under
 * Log Analytics' suffixes. A rule is often written (and run) before the data it watches first arrives: a failed SQL
 * log job may be weeks away, and a blind workspace has nothing at all, which must read as "no rows", not an error.
 */
import { backupCommonFields, backupFieldsByOperation } from "../backup-report/fields";
import type { KustoType, TableSchema } from "../kusto-types";
import { azureDiagnosticsStandardColumns } from "./azure-diagnostics-columns";
import { azureDiagnosticsTableName, fixedSchemaTables } from "./tables";

function buildExpectedTables(): TableSchema[] {
  const diagnostics = new Map<string, KustoType>(Object.entries(azureDiagnosticsStandardColumns));
  const fields = new Set<string>([...backupCommonFields, ...Object.values(backupFieldsByOperation).flat()]);
  for (const field of fields) {
    diagnostics.set(`${field}_s`, "string");
    diagnostics.set(`${field}_g`, "guid");
    diagnostics.set(`${field}_d`, "real");
  }
  return [
    ...Object.values(fixedSchemaTables),
    { name: azureDiagnosticsTableName, columns: [...diagnostics].map(([name, type]) => ({ name, type })) },
  ];
}

export const expectedLogTables: readonly TableSchema[] = buildExpectedTables();

/** A workspace's own tables widened by the expected ones (its own column types win). */
export function withExpectedTables(actual: readonly TableSchema[], expected: readonly TableSchema[] = expectedLogTables): TableSchema[] {
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const ref of expected) {
    const own = byName.get(ref.name);
    if (!own) {
      byName.set(ref.name, ref);
      continue;
    }
    const known = new Set(own.columns.map((c) => c.name));
    byName.set(ref.name, { name: own.name, columns: [...own.columns, ...ref.columns.filter((c) => !known.has(c.name))] });
  }
  return [...byName.values()];
}
