/**
 * A workspace's Kusto schema, read from the Postgres catalog every time: the catalog is the single truth, so a column
 * that one ingest adds is visible to the very next query without any cache to invalidate (the read costs ~1 ms).
 */
import type { ColumnSchema, TableSchema } from "@vaultwatch/schemas";
import type pg from "pg";
import { kustoTypeOfPg } from "./kusto-pg-types";
import { INTERNAL_PREFIX, qualifiedTable, workspaceSchemaName } from "./naming";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** table → (column → Kusto type), in column order; internal columns excluded. */
export type WorkspaceCatalog = Map<string, Map<string, ColumnSchema["type"]>>;

const CATALOG_SQL = `
  SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, NULL) AS type
    FROM pg_catalog.pg_namespace n
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE n.nspname = $1
   ORDER BY c.relname, a.attnum`;

/** Null when the workspace has never ingested anything (its schema does not exist yet). */
export async function readWorkspaceCatalog(db: Queryable, workspaceId: string): Promise<WorkspaceCatalog | null> {
  const schema = workspaceSchemaName(workspaceId);
  const [exists, columns] = await Promise.all([
    db.query<{ found: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS found", [
      schema,
    ]),
    db.query<{ table: string; column: string; type: string }>(CATALOG_SQL, [schema]),
  ]);
  if (!exists.rows[0]?.found) return null;
  const catalog: WorkspaceCatalog = new Map();
  for (const row of columns.rows) {
    let table = catalog.get(row.table);
    if (!table) catalog.set(row.table, (table = new Map<string, ColumnSchema["type"]>()));
    if (row.column.startsWith(INTERNAL_PREFIX)) continue;
    const type = kustoTypeOfPg(row.type);
    // A column of a type outside the contract cannot come from our DDL; hide it rather than guess a Kusto type.
    if (type) table.set(row.column, type);
  }
  return catalog;
}

/** The workspace's tables and their columns as Kusto sees them (ordered by name, columns by position). */
export async function getWorkspaceSchema(pool: Queryable, workspaceId: string): Promise<TableSchema[]> {
  const catalog = await readWorkspaceCatalog(pool, workspaceId);
  if (!catalog) return [];
  return [...catalog].map(([name, columns]) => ({
    name,
    columns: [...columns].map(([column, type]) => ({ name: column, type })),
  }));
}

/**
 * The column names one table has now (internal columns excluded; empty when the table does not exist): a single
 * catalog lookup, cheap enough to run before an ingest takes the workspace's lock.
 */
export async function readTableColumnNames(db: Queryable, workspaceId: string, table: string): Promise<Set<string>> {
  const { rows } = await db.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [qualifiedTable(workspaceId, table)],
  );
  return new Set(rows.map((r) => r.column).filter((c) => !c.startsWith(INTERNAL_PREFIX)));
}
