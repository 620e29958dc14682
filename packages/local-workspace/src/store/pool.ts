/**
 * The plain pg pools the row tables are read and written through (Prisma stays for the application's own tables).
 * A server keeps two: one for ingest and one for queries, so that queries holding connections (up to their timeout)
 * can never make an ingest wait for one. `applicationName` shows which is which in pg_stat_activity.
 */
import pg from "pg";

export type RowPool = pg.Pool;

export function createRowPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): RowPool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // An idle client's connection error (e.g. Postgres restarted) must not crash the process; the next query reconnects.
  pool.on("error", (e) => console.error("row pool: idle connection error:", e.message));
  return pool;
}
