/**
 * The delivery log is kept 30 days: older attempts, finished deliveries and drained outbox rows are deleted in
 * bounded chunks (short transactions, no long lock on tables the pipeline writes).
 */
import type pg from "pg";

export const DELIVERY_RETENTION_DAYS = 30;
const CHUNK = 5_000;

async function chunked(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(sql, params);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < CHUNK) return total;
  }
}

export async function pruneDeliveries(
  pool: pg.Pool,
  olderThanDays = DELIVERY_RETENTION_DAYS,
): Promise<{ attempts: number; deliveries: number; outbox: number; budgets: number }> {
  const params = [olderThanDays, CHUNK];
  const attempts = await chunked(
    pool,
    `DELETE FROM notification_attempt WHERE id IN (
       SELECT id FROM notification_attempt WHERE "startedAt" < now() - make_interval(days => $1::int) LIMIT $2)`,
    params,
  );
  // finished: sent, failed, folded into a digest, or suppressed with no window still pending
  const deliveries = await chunked(
    pool,
    `DELETE FROM notification_delivery WHERE id IN (
       SELECT id FROM notification_delivery
        WHERE "createdAt" < now() - make_interval(days => $1::int)
          AND (status IN ('sent', 'failed', 'folded') OR status = 'suppressed' AND ("heldUntil" IS NULL OR "heldUntil" < now()))
        LIMIT $2)`,
    params,
  );
  const outbox = await chunked(
    pool,
    `DELETE FROM notification_outbox WHERE id IN (
       SELECT id FROM notification_outbox
        WHERE status IN ('sent', 'failed') AND "updatedAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => $1::int) LIMIT $2)`,
    params,
  );
  // rate-limit budgets of windows long past (the longest window is an hour)
  const budgets = await chunked(
    pool,
    `DELETE FROM notify_budget WHERE ("endpointKey", "windowStart") IN (
       SELECT "endpointKey", "windowStart" FROM notify_budget WHERE "windowStart" < now() - interval '2 hours' LIMIT $1)`,
    [CHUNK],
  );
  return { attempts, deliveries, outbox, budgets };
}
