/**
 * What deleting a workspace or a tenant shares: its rows and its local workspaces' `lw_` schemas go in one Prisma
 * transaction (DROP SCHEMA is transactional), so a failure at any point leaves everything as it was.
 */
import { TRPCError } from "@trpc/server";
import { dropWorkspaceSchemas } from "@vaultwatch/local-workspace";
import type { Db, Tx } from "@vaultwatch/db";

/**
 * A workspace busy with a long query or ingest holds locks the drop must wait for; waiting at most this long keeps the
 * deletion from queueing every later query behind it. The transaction's own limit covers a large cascade.
 */
export const DELETION_LOCK_WAIT_MS = 10_000;
const DELETION_TX = { maxWait: 10_000, timeout: 120_000 } as const;

export type DeletionOptions = { lockWaitMs?: number };

/** Runs `work` as one deletion transaction; a lock it could not get becomes a clear "try again" (nothing changed). */
export async function inDeletionTransaction<T>(db: Db, what: string, options: DeletionOptions, work: (tx: Tx) => Promise<T>): Promise<T> {
  const lockWait = `${Math.max(1, Math.round(options.lockWaitMs ?? DELETION_LOCK_WAIT_MS))}ms`;
  try {
    return await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SELECT set_config('lock_timeout', $1, true)", lockWait);
      return work(tx);
    }, DELETION_TX);
  } catch (e) {
    if (isLockTimeout(e)) {
      throw new TRPCError({ code: "CONFLICT", message: `${what} is busy (a query or an ingest is running); nothing was deleted, try again` });
    }
    throw e;
  }
}

/** Drops the schemas of these workspaces inside `tx` (see dropWorkspaceSchemas: call it before deleting their rows). */
export function dropSchemasIn(tx: Tx, workspaceIds: readonly string[]): Promise<void> {
  return dropWorkspaceSchemas((sql, ...values) => tx.$executeRawUnsafe(sql, ...values), workspaceIds);
}

/** Postgres' lock_not_available (55P03), however the driver adapter wraps it. */
function isLockTimeout(e: unknown): boolean {
  for (let cause: unknown = e, depth = 0; cause && depth < 5; depth++) {
    const c = cause as { code?: unknown; meta?: { code?: unknown; message?: unknown }; message?: unknown; cause?: unknown };
    if (c.code === "55P03" || c.meta?.code === "55P03") return true;
    if (typeof c.message === "string" && /lock timeout/i.test(c.message)) return true;
    cause = c.cause;
  }
  return false;
}
