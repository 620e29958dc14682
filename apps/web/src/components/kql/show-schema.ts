/**
 * A workspace's tables (logs.schema) in the shape of Kusto's `.show schema as json`, which the Kusto language service
 * takes as its schema: every table under one database, each column with its CLR type and its Kusto (CSL) type.
 */
import { withExpectedTables, type KustoType, type TableSchema } from "@vaultwatch/schemas";

/** The CLR type Kusto names for each of its scalar types (Kusto docs: "Scalar data types"). */
const clrTypes: Record<KustoType, string> = {
  bool: "System.SByte",
  datetime: "System.DateTime",
  dynamic: "System.Object",
  guid: "System.Guid",
  int: "System.Int32",
  long: "System.Int64",
  real: "System.Double",
  string: "System.String",
  timespan: "System.TimeSpan",
  decimal: "System.Data.SqlTypes.SqlDecimal",
};

/** Log Analytics calls a workspace's database this; the language service needs some database in context. */
export const KUSTO_DATABASE = "LogAnalytics";

export function showSchemaOf(tables: readonly TableSchema[]) {
  return {
    Plugins: [],
    Databases: {
      [KUSTO_DATABASE]: {
        Name: KUSTO_DATABASE,
        Functions: {},
        Tables: Object.fromEntries(
          tables.map((t) => [
            t.name,
            { Name: t.name, OrderedColumns: t.columns.map((c) => ({ Name: c.name, Type: clrTypes[c.type], CslType: c.type })) },
          ]),
        ),
      },
    },
  };
}

/** Several workspaces' tables as one schema: a table's columns are those of every workspace that has it. */
export function mergeTables(lists: readonly (readonly TableSchema[])[]): TableSchema[] {
  const byName = new Map<string, TableSchema>();
  for (const tables of lists) {
    for (const table of tables) {
      const known = byName.get(table.name);
      if (!known) {
        byName.set(table.name, { name: table.name, columns: [...table.columns] });
        continue;
      }
      const names = new Set(known.columns.map((c) => c.name));
      known.columns.push(...table.columns.filter((c) => !names.has(c.name)));
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What any workspace may be queried for before its data arrives (the server accepts the same). */
const expectedOnly = withExpectedTables([]);

/**
 * useQueries' `combine` over logs.schema answers: the workspaces' tables as one schema, the documented tables while
 * no workspace is chosen, and undefined while the chosen ones load. Module-level, so TanStack Query can keep its result.
 */
export function schemaOfWorkspaces(results: readonly { data?: { tables: TableSchema[] } }[]): TableSchema[] | undefined {
  if (!results.length) return expectedOnly;
  const lists = results.flatMap((r) => (r.data ? [r.data.tables] : []));
  return lists.length ? mergeTables(lists) : undefined;
}
