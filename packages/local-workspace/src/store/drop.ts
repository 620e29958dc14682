/**
 * Dropping local workspaces' row storage inside a transaction that someone else runs: the API deletes a workspace's
 * (or a tenant's) rows and their `lw_` schemas in one Prisma transaction, so a failure leaves both in place. DROP SCHEMA
 * is transactional in Postgres; nothing is gone until the caller commits.
 */
import { ingestLockKey, quoteIdent, workspaceSchemaName } from "./naming";

/** Runs one statement with positional parameters on the caller's transaction (e.g. Prisma's `tx.$executeRawUnsafe`). */
export type SqlExecutor = (sql: string, ...values: unknown[]) => Promise<unknown>;

/**
 * Drops the schemas of these workspaces (those that have one; Azure workspaces have none). Each drop first takes the
 * workspace's ingest lock, held until the caller's commit, so a batch being ingested is either committed before the
 * drop (and dropped with the schema) or waits for it. Call this before deleting the workspace rows: an ingest holding
 * the lock may still insert activity events that reference the workspace row. Locks are taken in one order, so two
 * deletions never deadlock. A workspace id that is not a UUID throws before anything is dropped.
 */
export async function dropWorkspaceSchemas(exec: SqlExecutor, workspaceIds: readonly string[]): Promise<void> {
  const targets = [...new Set(workspaceIds.map((id) => id.toLowerCase()))]
    .map((id) => ({ id, schema: workspaceSchemaName(id), lock: ingestLockKey(id) }))
    .sort((a, b) => a.lock[1] - b.lock[1] || a.schema.localeCompare(b.schema));
  for (const { id, schema, lock } of targets) {
    await exec("SELECT pg_advisory_xact_lock($1::int, $2::int)", lock[0], lock[1]);
    await exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await exec(`DELETE FROM local_workspace_catalog WHERE "workspaceId" = $1::uuid`, id);
  }
}
