/**
 * Queries that may name tables or columns the workspace has not received yet (alert rules: a blind workspace has no
 * AzureDiagnostics table at all, and that must read as "no rows", not as an error). The expected tables join the
 * workspace's schema; a table it lacks becomes an empty relation of the expected columns, and a table lacking some
 * expected columns gets them as constants (Kusto strings are '' when absent, other types null).
 */
import { withExpectedTables, type TableSchema } from "@vaultwatch/schemas";
import { pgColumnType } from "../store/kusto-pg-types";
import { INGESTED_AT_COLUMN, qualifiedTable, quoteIdent } from "../store/naming";

export function expectedSchema(
  workspaceId: string,
  actual: readonly TableSchema[],
): { tables: TableSchema[]; tableSql: (table: string, columns?: readonly string[]) => string } {
  const tables = withExpectedTables(actual);
  const own = new Map(actual.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
  const expected = new Map(tables.map((t) => [t.name, t]));
  const tableSql = (name: string, columns?: readonly string[]) => {
    const table = expected.get(name);
    const present = own.get(name);
    const wanted = columns ? new Set(columns) : null;
    const missing = table?.columns.filter((c) => !present?.has(c.name) && (!wanted || wanted.has(c.name))) ?? [];
    if (!table || (present && !missing.length)) return qualifiedTable(workspaceId, name);
    const constants = missing.map((c) => `${c.type === "string" ? "''::text" : `NULL::${pgColumnType(c.type)}`} AS ${quoteIdent(c.name)}`);
    if (!present) return `(SELECT ${[`NULL::timestamptz AS ${quoteIdent(INGESTED_AT_COLUMN)}`, ...constants].join(", ")} WHERE false)`;
    const stored = wanted ? [...present].filter((c) => wanted.has(c)).map(quoteIdent) : ["*"];
    return `(SELECT ${[...stored, ...(wanted ? [quoteIdent(INGESTED_AT_COLUMN)] : []), ...constants].join(", ")} FROM ${qualifiedTable(workspaceId, name)})`;
  };
  return { tables, tableSql };
}
