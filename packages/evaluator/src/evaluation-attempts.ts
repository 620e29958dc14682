/**
 * Bounded retries of an evaluation that never committed (its commit failed, its worker died). Each claim of a
 * (rule, workspace, tick) counts an attempt and a failed attempt leaves its error on the row; catch-up waits
 * longer after each attempt, and after MAX_EVALUATION_ATTEMPTS the tick is recorded as an error naming why, which
 * counts toward the rule's health and leaves nothing owed. Postgres holds the count, so restarts do not reset it.
 */
import type pg from "pg";
import { recordHealth } from "./rule-health";
import { inTransaction, pgSql } from "./sql";

export const MAX_EVALUATION_ATTEMPTS = 5;
const MAX_RETRY_DELAY_MS = 30 * 60_000;
const MAX_ERROR = 2_000;

/**
 * How long after its last attempt started an unfinished evaluation is owed again, in milliseconds: doubling from
 * `staleClaimMs` ($1) up to 30 minutes; after the last attempt there is nothing to wait for but that attempt itself.
 * SQL over `e.attempts`, so the backoff filters before the LIMIT (rows still backing off never crowd out due ones).
 */
const retryDelaySql = (staleClaimMs: string) =>
  `CASE WHEN e.attempts >= ${MAX_EVALUATION_ATTEMPTS} THEN ${staleClaimMs}
        ELSE GREATEST(${staleClaimMs}, LEAST(${staleClaimMs} * power(2, GREATEST(0, e.attempts - 1)), ${MAX_RETRY_DELAY_MS})) END`;

/** Keeps why an attempt failed, for the give-up message; best effort (Postgres may be what failed). */
export async function noteAttemptError(pool: pg.Pool, evaluationId: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR);
  await pool
    .query(`UPDATE rule_evaluation SET "attemptError" = $2 WHERE id = $1::uuid AND "finishedAt" IS NULL`, [evaluationId, message])
    .catch(() => undefined);
}

export type UnfinishedEvaluation = { id: string; scheduledFor: Date; attempts: number; attemptError: string | null };

export const giveUpMessage = (attempts: number, attemptError: string | null) =>
  `gave up after ${attempts} attempts: ${attemptError ?? "no attempt reached its commit (its worker stopped or lost Postgres)"}`;

/**
 * Records the tick as an error and counts it toward the rule's health; the watermark and state stay where they
 * were, so an ingestion-mode rule judges the rows of this window at its next run. Returns the error recorded, or null
 * if the evaluation finished meanwhile.
 */
export async function giveUpEvaluation(pool: pg.Pool, evaluation: UnfinishedEvaluation, now: Date): Promise<string | null> {
  const error = giveUpMessage(evaluation.attempts, evaluation.attemptError);
  return inTransaction(pool, async (sql) => {
    const rule = await sql.query<{ id: string; tenantId: string; name: string }>(
      `UPDATE rule_evaluation e SET "finishedAt" = $2::timestamptz, outcome = 'error', error = $3
         FROM alert_rule r
        WHERE e.id = $1::uuid AND e."finishedAt" IS NULL AND r.id = e."ruleId"
        RETURNING r.id::text, r."tenantId"::text, r.name`,
      [evaluation.id, now, error],
    );
    if (!rule[0]) return null;
    await recordHealth(sql, rule[0], evaluation.scheduledFor, error);
    return error;
  });
}

/** Unfinished evaluations whose next attempt is due (backoff elapsed), oldest first. */
export async function dueUnfinishedEvaluations(
  pool: pg.Pool,
  opts: { now: Date; staleClaimMs: number; tenantIds: string[] | null; limit: number },
): Promise<Array<UnfinishedEvaluation & { ruleId: string }>> {
  const rows = await pgSql(pool).query<UnfinishedEvaluation & { ruleId: string }>(
    `SELECT e.id::text, e."ruleId"::text AS "ruleId", e."scheduledFor", e.attempts, e."attemptError"
       FROM rule_evaluation e JOIN alert_rule r ON r.id = e."ruleId"
      WHERE e."finishedAt" IS NULL AND r.enabled
        AND e."startedAt" < $1::timestamptz - make_interval(secs => $2::float8 / 1000.0)
        AND e."startedAt" < $1::timestamptz - make_interval(secs => (${retryDelaySql("$2::float8")}) / 1000.0)
        AND ($3::uuid[] IS NULL OR r."tenantId" = ANY($3::uuid[]))
      ORDER BY e."startedAt"
      LIMIT $4`,
    [opts.now, opts.staleClaimMs, opts.tenantIds, opts.limit],
  );
  return rows.map((r) => ({ ...r, scheduledFor: new Date(r.scheduledFor) }));
}
