/**
 * The plain pg pools the row tables are read and written through (Prisma stays for the application's own tables).
 * A server keeps two: one for ingest and one for queries, so that queries holding connections (up to their timeout)
 * can never make an ingest wait for one. `applicationName` shows which is which in pg_stat_activity.
 */
import { createPgPool, type PgPool } from "@vaultwatch/db";

export type RowPool = PgPool;

export function createRowPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): RowPool {
  const { max = 10, applicationName } = options;
  return createPgPool(connectionString, { max, ...(applicationName ? { applicationName } : {}), label: applicationName ? `row pool ${applicationName}` : "row pool" });
}
