/**
 * Ticks owed after an outage (Postgres down, every worker stopped, Redis emptied): what the reconcile loop
 * re-enqueues so a gap is caught up, or records as skipped so it is never silently lost.
 *
 * - A run claimed but never finished (its commit failed, its worker died) is owed again, after a delay that doubles
 *   with each attempt; after the last attempt it is recorded as an error instead (evaluation-attempts.ts).
 * - A rule whose newest evaluated tick lags behind the clock by more than a period plus a grace owes the ticks in
 *   between. In ingestion mode one run covers them all (its watermark range holds every row since the last run), so
 *   only the newest is run and the others are recorded as skipped, covered by it. In event mode each tick has its
 *   own window: the newest `maxCatchUp` are run, older ones are recorded as one skipped row naming the gap.
 * A rule's frontier never reaches back before its last edit or enable (a disabled period is not owed).
 * Not detected: a tick lost while a later tick of the same rule succeeded (an outage shorter than one period).
 */
import { durationMs, rulePhaseMs, ticksBetween } from "@vaultwatch/alerting";
import { formatIsoDuration } from "@vaultwatch/schemas";
import type pg from "pg";
import { dueUnfinishedEvaluations, giveUpEvaluation, MAX_EVALUATION_ATTEMPTS } from "./evaluation-attempts";
import { pgSql } from "./sql";

export type OwedTick = { ruleId: string; scheduledFor: Date };

type RuleRow = { id: string; tenantId: string; frequencySeconds: number; timeMode: "ingestion" | "event"; frontier: Date; workspaceIds: string[] };

export type CatchUpOptions = {
  now?: Date;
  /** How long past its time a tick may still be running normally before it counts as missed. */
  graceMs?: number;
  /** A claimed run unfinished for this long after its first attempt is run again (doubling after each attempt). */
  staleClaimMs?: number;
  maxCatchUp?: number;
  /** only these tenants' rules */
  tenantIds?: string[];
};

export async function findOwedTicks(
  pool: pg.Pool,
  opts: CatchUpOptions = {},
): Promise<{ owed: OwedTick[]; skippedRecorded: number; gaveUp: number }> {
  const sql = pgSql(pool);
  const now = opts.now ?? new Date();
  const graceMs = opts.graceMs ?? 60_000;
  const maxCatchUp = opts.maxCatchUp ?? 60;
  const owed: OwedTick[] = [];

  let gaveUp = 0;
  const unfinished = await dueUnfinishedEvaluations(pool, { now, staleClaimMs: opts.staleClaimMs ?? 120_000, tenantIds: opts.tenantIds ?? null, limit: 5000 });
  for (const e of unfinished) {
    if (e.attempts < MAX_EVALUATION_ATTEMPTS) owed.push({ ruleId: e.ruleId, scheduledFor: e.scheduledFor });
    else if ((await giveUpEvaluation(pool, e, now)) !== null) gaveUp++;
  }

  const rules = await sql.query<RuleRow>(
    `SELECT r.id::text, r."tenantId"::text, r."frequencySeconds", r."timeMode"::text AS "timeMode",
            GREATEST(coalesce(r."lastEvaluatedAt", r."createdAt"), r."updatedAt") AS frontier,
            coalesce(array_agg(l."workspaceId"::text) FILTER (WHERE l."workspaceId" IS NOT NULL), '{}') AS "workspaceIds"
       FROM alert_rule r LEFT JOIN alert_rule_workspace l ON l."ruleId" = r.id
      WHERE r.kind = 'log' AND r.enabled AND r."frequencySeconds" > 0 AND ($1::uuid[] IS NULL OR r."tenantId" = ANY($1::uuid[]))
      GROUP BY r.id`,
    [opts.tenantIds ?? null],
  );
  let skippedRecorded = 0;
  for (const rule of rules) {
    const frequency = { evaluationFrequency: formatIsoDuration(rule.frequencySeconds * 1000) };
    const periodMs = durationMs("evaluationFrequency", frequency.evaluationFrequency);
    const phase = rulePhaseMs(rule.id, frequency);
    // only ticks that should have finished by now: due more than a grace (at most one period) ago
    const dueBy = new Date(now.getTime() - Math.min(graceMs, periodMs) - 1);
    const { ticks, skipped } = ticksBetween(new Date(rule.frontier), dueBy, frequency, rule.timeMode === "ingestion" ? 1 : maxCatchUp, phase);
    if (!ticks.length) continue;
    for (const scheduledFor of ticks) owed.push({ ruleId: rule.id, scheduledFor });
    if (skipped > 0) {
      const first = new Date(ticks[0]!.getTime() - skipped * periodMs);
      const last = new Date(ticks[0]!.getTime() - periodMs);
      const why =
        rule.timeMode === "ingestion"
          ? `${skipped} tick(s) from ${first.toISOString()} to ${last.toISOString()} did not run; the run at ${ticks[0]!.toISOString()} judges their rows (its watermark range covers them)`
          : `${skipped} tick(s) from ${first.toISOString()} to ${last.toISOString()} did not run and were not caught up (only the newest ${maxCatchUp} are)`;
      for (const workspaceId of rule.workspaceIds) {
        const inserted = await sql.query(
          `INSERT INTO rule_evaluation (id, "tenantId", "ruleId", "workspaceId", "scheduledFor", "startedAt", "finishedAt",
                                        "windowStart", "windowEnd", outcome, error)
           VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz, $5::timestamptz,
                   $4::timestamptz, $6::timestamptz, 'skipped', $7)
           ON CONFLICT ("ruleId", "workspaceId", "scheduledFor") DO NOTHING
           RETURNING 1`,
          [rule.tenantId, rule.id, workspaceId, first, now, last, why],
        );
        skippedRecorded += inserted.length;
      }
    }
  }
  return { owed, skippedRecorded, gaveUp };
}
