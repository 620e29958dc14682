/**
 * Discovery's schedule (vault_discovery rows, one per connection): which connections are due, claimed with a lease so
 * only one worker discovers each at a time (a worker that dies mid-run leaves it due again after the lease), and each
 * run's outcome: the report, or the error that stopped it (visible on the Vaults screen, retried with a growing wait).
 */
import type { Db, Prisma } from "@vaultwatch/db";
import { armFailureOf } from "./arm-reads";
import { discoverConnection, DiscoveryFailure, type DiscoveryDeps, type DiscoveryReport } from "./discover";

export const DISCOVERY_INTERVAL_MS = 6 * 3600_000;
/** the first retry of a failed run waits this long, doubling up to the interval */
const FIRST_RETRY_MS = 5 * 60_000;

export type ClaimedDiscovery = { connectionId: string; tenantId: string; consecutiveFailures: number };

/** Claims up to `limit` due connections, tenant-fair (each tenant's most overdue connection before any tenant's second). */
export async function claimDueDiscoveries(db: Db, opts: { limit: number; leaseMs: number; tenantIds?: string[] }): Promise<ClaimedDiscovery[]> {
  const tenants = opts.tenantIds ?? null;
  await db.$executeRawUnsafe(
    `INSERT INTO vault_discovery ("connectionId", "tenantId", "updatedAt")
     SELECT c.id, c."tenantId", clock_timestamp() FROM azure_connection c
      WHERE ($1::uuid[] IS NULL OR c."tenantId" = ANY($1::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM vault_discovery d WHERE d."connectionId" = c.id)
     ON CONFLICT DO NOTHING`,
    tenants,
  );
  return db.$queryRawUnsafe<ClaimedDiscovery[]>(
    `WITH due AS (
       SELECT d."connectionId", d."nextRunAt", row_number() OVER (PARTITION BY d."tenantId" ORDER BY d."nextRunAt", d."connectionId") AS turn
         FROM vault_discovery d
        WHERE d."nextRunAt" <= clock_timestamp() AND ($1::uuid[] IS NULL OR d."tenantId" = ANY($1::uuid[]))
     ), picked AS (SELECT "connectionId" FROM due ORDER BY turn, "nextRunAt" LIMIT $2)
     UPDATE vault_discovery d
        SET "nextRunAt" = clock_timestamp() + make_interval(secs => $3::float8 / 1000), "lastRunAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
       FROM picked
      WHERE d."connectionId" = picked."connectionId" AND d."nextRunAt" <= clock_timestamp()
     RETURNING d."connectionId"::text AS "connectionId", d."tenantId"::text AS "tenantId", d."consecutiveFailures"`,
    tenants,
    opts.limit,
    opts.leaseMs,
  );
}

export type DiscoveryOutcome = { ok: true; report: DiscoveryReport } | { ok: false; connectionId: string; code: string; message: string };

/** Runs discovery for one connection and records the outcome on its row; never throws for Azure's answers. */
export async function runDiscovery(deps: DiscoveryDeps & { intervalMs?: number }, target: { tenantId: string; connectionId: string }): Promise<DiscoveryOutcome> {
  const intervalMs = deps.intervalMs ?? DISCOVERY_INTERVAL_MS;
  const key = { connectionId: target.connectionId, tenantId: target.tenantId };
  const row = await deps.db.vaultDiscovery.upsert({
    where: { connectionId_tenantId: key },
    create: { ...key, lastRunAt: new Date(), nextRunAt: new Date(Date.now() + intervalMs) },
    update: { lastRunAt: new Date() },
    select: { consecutiveFailures: true },
  });
  try {
    const report = await discoverConnection(deps, target);
    await deps.db.vaultDiscovery.updateMany({
      where: key,
      data: { lastSuccessAt: new Date(), nextRunAt: new Date(Date.now() + intervalMs), consecutiveFailures: 0, lastErrorCode: null, lastError: null, lastReport: report as unknown as Prisma.InputJsonValue },
    });
    return { ok: true, report };
  } catch (e) {
    if (!(e instanceof DiscoveryFailure) && !(typeof (e as { statusCode?: unknown }).statusCode === "number")) throw e; // Postgres: the lease lapses, it runs again
    const f = e instanceof DiscoveryFailure ? { code: e.code, message: e.message } : armFailureOf(e);
    const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.min(row.consecutiveFailures, 16), intervalMs);
    await deps.db.vaultDiscovery.updateMany({
      where: key,
      data: { consecutiveFailures: { increment: 1 }, lastErrorCode: f.code, lastError: f.message.slice(0, 1000), nextRunAt: new Date(Date.now() + wait) },
    });
    return { ok: false, connectionId: target.connectionId, code: f.code, message: f.message };
  }
}
