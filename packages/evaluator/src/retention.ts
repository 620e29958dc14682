/**
 * Evaluation history is kept for a while, not forever: 10,000 one-minute rules write 14 million rows a day. Runs
 * that changed nothing go after `okDays`; runs that fired, resolved, failed or record a gap after `keepDays`
 * (Azure keeps alert instances 30 days). Deleted in bounded batches so a round never holds locks for long.
 */
import type pg from "pg";

export async function pruneEvaluations(
  pool: pg.Pool,
  opts: { okDays?: number; keepDays?: number; batch?: number; now?: Date; /** one tenant only (tests, a tenant's purge) */ tenantId?: string } = {},
): Promise<number> {
  const now = opts.now ?? new Date();
  const day = 24 * 3600_000;
  const { rowCount } = await pool.query(
    `DELETE FROM rule_evaluation WHERE id IN (
       SELECT id FROM rule_evaluation
        WHERE (("scheduledFor" < $1::timestamptz AND outcome = 'ok') OR "scheduledFor" < $2::timestamptz)
          AND ($4::uuid IS NULL OR "tenantId" = $4::uuid)
        LIMIT $3)`,
    [new Date(now.getTime() - (opts.okDays ?? 7) * day), new Date(now.getTime() - (opts.keepDays ?? 30) * day), opts.batch ?? 50_000, opts.tenantId ?? null],
  );
  return rowCount ?? 0;
}
