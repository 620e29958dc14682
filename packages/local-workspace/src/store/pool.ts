/** The plain pg pool the row tables are read and written through (Prisma stays for the application's own tables). */
import pg from "pg";

export type RowPool = pg.Pool;

export function createRowPool(connectionString: string, options: { max?: number } = {}): RowPool {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client's connection error (e.g. Postgres restarted) must not crash the process; the next query reconnects.
  pool.on("error", (e) => console.error("row pool: idle connection error:", e.message));
  return pool;
}
