/**
 * A workspace's Kusto schema. The Postgres catalog is the single truth; reading it costs 2-3 ms and scans pg_class,
 * which grows with every workspace, so query paths keep each workspace's schema in memory under its catalog version
 * (local_workspace_catalog, bumped in the transaction of every DDL on the workspace's schema, see transaction.ts) and
 * check that version with one indexed read. A column one ingest adds is visible to the very next query, in any
 * process. Ingests read the catalog itself, under the workspace's lock.
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
  // the version first: a DDL committed between the two reads leaves a newer catalog under an older version, which
  // the next call reads again (the other order could keep an old catalog under the new version)
  const { rows } = await pool.query<{ version: string }>({ name: "vw-lw-catalog-version", text: VERSION_SQL, values: [workspaceId] });
  const version = rows[0]?.version;
  const cached = version === undefined ? undefined : schemaCache.get(workspaceId);
  if (cached && cached.version === version) {
    schemaCache.delete(workspaceId);
    schemaCache.set(workspaceId, cached);
    return cached.tables;
  }
  const catalog = await readWorkspaceCatalog(pool, workspaceId);
  const tables: TableSchema[] = catalog
    ? [...catalog].map(([name, columns]) => ({ name, columns: [...columns].map(([column, type]) => ({ name: column, type })) }))
    : [];
  // no version row: the workspace has no schema yet (nothing to keep), or is being dropped
  if (version !== undefined) {
    if (schemaCache.size >= SCHEMA_CACHE_SIZE) schemaCache.delete(schemaCache.keys().next().value!);
    schemaCache.set(workspaceId, { version, tables });
  }
  return tables;
}

const VERSION_SQL = `SELECT version::text FROM local_workspace_catalog WHERE "workspaceId" = $1::uuid`;
/** Workspaces whose schema a process keeps (least recently used goes first). */
const SCHEMA_CACHE_SIZE = 5_000;
const schemaCache = new Map<string, { version: string; tables: TableSchema[] }>();

/**
 * In the transaction of a DDL on the workspace's schema: moves its catalog version, so every process re-reads it.
 * Versions count in milliseconds of the clock (at least one up each time): a workspace dropped (its row deleted) and
 * stored again under the same id never gets a version a process may still hold.
 */
export async function bumpCatalogVersion(client: Queryable, workspaceId: string): Promise<void> {
  await client.query(
    `INSERT INTO local_workspace_catalog ("workspaceId", version) VALUES ($1::uuid, ${CLOCK_MS})
     ON CONFLICT ("workspaceId") DO UPDATE SET version = greatest(local_workspace_catalog.version + 1, ${CLOCK_MS})`,
    [workspaceId],
  );
}
const CLOCK_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

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
