/**
 * The poller's rows (activity_poll): which subscriptions are due, claimed so that only one worker polls each at a time,
 * and each poll's outcome. A subscription is polled when it has a connection and a local workspace for its events.
 */
import type pg from "pg";

export type ClaimedSubscription = {
  subscriptionId: string;
  tenantId: string;
  azureSubscriptionId: string;
  workspaceId: string;
  connectionId: string;
  watermark: Date | null;
  consecutiveFailures: number;
};

// events are stored in a local workspace of the subscription's own tenant (the API refuses any other kind)
const POLLED = `s."connectionId" IS NOT NULL AND ($1::uuid[] IS NULL OR s."tenantId" = ANY($1::uuid[]))
  AND EXISTS (SELECT 1 FROM workspace w WHERE w.id = s."activityWorkspaceId" AND w."tenantId" = s."tenantId" AND w.kind = 'local')`;

/**
 * Claims up to `limit` due subscriptions, pushing each one's next poll out by `leaseMs` (a worker that dies mid-poll
 * leaves it due again after the lease). Tenant-fair: each tenant's most overdue subscription comes before any
 * tenant's second, so one tenant with many subscriptions cannot hold the others back.
 */
export async function claimDueSubscriptions(pool: pg.Pool, opts: { limit: number; leaseMs: number; tenantIds?: string[] }): Promise<ClaimedSubscription[]> {
  const tenants = opts.tenantIds ?? null;
  await pool.query(
    `INSERT INTO activity_poll ("subscriptionId", "tenantId", "updatedAt")
     SELECT s.id, s."tenantId", clock_timestamp() FROM subscription s
      WHERE ${POLLED} AND NOT EXISTS (SELECT 1 FROM activity_poll p WHERE p."subscriptionId" = s.id)
     ON CONFLICT DO NOTHING`,
    [tenants],
  );
  const { rows } = await pool.query<ClaimedSubscription>(
    `WITH due AS (
       SELECT p."subscriptionId", p."nextPollAt",
              row_number() OVER (PARTITION BY p."tenantId" ORDER BY p."nextPollAt", p."subscriptionId") AS turn
         FROM activity_poll p JOIN subscription s ON s.id = p."subscriptionId" AND s."tenantId" = p."tenantId"
        WHERE p."nextPollAt" <= clock_timestamp() AND ${POLLED}
     ), picked AS (
       SELECT "subscriptionId" FROM due ORDER BY turn, "nextPollAt" LIMIT $2
     )
     UPDATE activity_poll p
        SET "nextPollAt" = clock_timestamp() + make_interval(secs => $3::float8 / 1000), "lastPolledAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
       FROM picked, subscription s
      WHERE p."subscriptionId" = picked."subscriptionId" AND s.id = p."subscriptionId" AND s."tenantId" = p."tenantId"
        -- another worker that claimed it first pushed nextPollAt out: the re-checked row no longer qualifies
        AND p."nextPollAt" <= clock_timestamp()
     RETURNING p."subscriptionId"::text AS "subscriptionId", p."tenantId"::text AS "tenantId", s."azureSubscriptionId"::text AS "azureSubscriptionId",
               s."activityWorkspaceId"::text AS "workspaceId", s."connectionId"::text AS "connectionId", p.watermark, p."consecutiveFailures"`,
    [tenants, opts.limit, opts.leaseMs],
  );
  return rows;
}

/** The events up to `watermark` are stored: the next poll starts from there (less the overlap). */
export async function recordPollSuccess(
  pool: pg.Pool,
  sub: Pick<ClaimedSubscription, "subscriptionId" | "tenantId">,
  outcome: { watermark: Date; nextPollAt: Date; read: number; new: number; warning: string | null },
): Promise<void> {
  await pool.query(
    `UPDATE activity_poll SET watermark = $3, "nextPollAt" = $4, "lastSuccessAt" = clock_timestamp(), "consecutiveFailures" = 0,
            "lastErrorCode" = CASE WHEN $7::text IS NULL THEN NULL ELSE 'InvalidEvents' END, "lastError" = $7,
            "lastEventsRead" = $5, "lastEventsNew" = $6, "updatedAt" = clock_timestamp()
      WHERE "subscriptionId" = $1::uuid AND "tenantId" = $2::uuid`,
    [sub.subscriptionId, sub.tenantId, outcome.watermark, outcome.nextPollAt, outcome.read, outcome.new, outcome.warning],
  );
}

/** The watermark stays where it was, so the next successful poll reads what this one missed. */
export async function recordPollFailure(
  pool: pg.Pool,
  sub: Pick<ClaimedSubscription, "subscriptionId" | "tenantId">,
  failure: { code: string; message: string; nextPollAt: Date },
): Promise<void> {
  await pool.query(
    `UPDATE activity_poll SET "consecutiveFailures" = "consecutiveFailures" + 1, "lastErrorCode" = $3, "lastError" = $4, "nextPollAt" = $5,
            "updatedAt" = clock_timestamp()
      WHERE "subscriptionId" = $1::uuid AND "tenantId" = $2::uuid`,
    [sub.subscriptionId, sub.tenantId, failure.code, failure.message, failure.nextPollAt],
  );
}
