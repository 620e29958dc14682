/**
 * Activity rules judge each stored activity event once, on arrival: the ingest path asks for an evaluation of the
 * workspace right after its batch commits, and a sweep catches anything whose request was lost (a Redis outage, a
 * crash between commit and enqueue). An event is claimed with FOR UPDATE SKIP LOCKED and marked evaluated in the
 * same transaction that records its alerts, so concurrent workers never judge it twice.
 */
import { alertFingerprint, buildActivityAlertPayload, matchesActivityRule } from "@vaultwatch/alerting";
import type pg from "pg";
import type { ActivityEvent, ActivityRule } from "@vaultwatch/schemas";
import { recordTransition } from "./record-transition";
import { inTransaction, pgSql, type Sql } from "./sql";

type OwedEvent = { id: string; tenantId: string; eventDataId: string; ingestedAt: Date; event: ActivityEvent };
type ActivityRuleRow = { id: string; name: string; description: string; severity: number; definition: Pick<ActivityRule, "scope" | "condition"> };

export type ActivityEvaluation = { events: number; alerts: number };

const BATCH = 200;
/** Events older than this when first seen are marked evaluated without firing (e.g. history before this feature). */
export const ACTIVITY_HORIZON_MS = 24 * 3600_000;

/** Judges every event of the workspace still owed an evaluation. */
export async function evaluateActivityEvents(pool: pg.Pool, workspaceId: string): Promise<ActivityEvaluation> {
  const total: ActivityEvaluation = { events: 0, alerts: 0 };
  for (;;) {
    const batch = await inTransaction(pool, (sql) => evaluateBatch(sql, workspaceId));
    total.events += batch.events;
    total.alerts += batch.alerts;
    if (batch.events < BATCH) return total;
  }
}

async function evaluateBatch(sql: Sql, workspaceId: string): Promise<ActivityEvaluation> {
  const events = await sql.query<OwedEvent>(
    `SELECT id::text, "tenantId"::text, "eventDataId", "ingestedAt", event FROM activity_event
      WHERE "workspaceId" = $1::uuid AND "evaluatedAt" IS NULL
      ORDER BY "ingestedAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
    [workspaceId],
  );
  if (!events.length) return { events: 0, alerts: 0 };
  const tenantId = events[0]!.tenantId;
  const rules = await sql.query<ActivityRuleRow>(
    `SELECT id::text, name, description, severity, definition FROM alert_rule
      WHERE "tenantId" = $1::uuid AND kind = 'activity' AND enabled`,
    [tenantId],
  );
  let alerts = 0;
  const horizon = Date.now() - ACTIVITY_HORIZON_MS;
  const matches = events
    .filter((owed) => new Date(owed.ingestedAt).getTime() >= horizon)
    .flatMap((owed) => rules.filter((rule) => matchesActivityRule(owed.event, rule.definition)).map((rule) => ({ owed, rule })));
  // silences do not stop the alert or its outbox rows: they act at delivery (packages/notify silencing.ts)
  for (const { owed, rule } of matches) if (await fireActivityAlert(sql, rule, owed)) alerts++;
  await sql.query(`UPDATE activity_event SET "evaluatedAt" = clock_timestamp() WHERE id = ANY($1::uuid[]) RETURNING 1`, [events.map((e) => e.id)]);
  return { events: events.length, alerts };
}

/** One alert per (rule, event): activity log alerts are stateless, as Azure's are. */
async function fireActivityAlert(sql: Sql, rule: ActivityRuleRow, owed: OwedEvent): Promise<boolean> {
  const e = owed.event;
  const at = new Date(owed.ingestedAt);
  const fingerprint = alertFingerprint(rule.id, [{ name: "eventDataId", value: e.eventDataId }]);
  const dimensions = [
    { name: "operationName", value: e.operationName.value },
    { name: "resourceId", value: e.resourceId },
  ];
  const payload = buildActivityAlertPayload({ alertId: "", originAlertId: fingerprint, rule, event: e, firedAt: at });
  const recorded = await recordTransition(sql, {
    tenantId: owed.tenantId,
    ruleId: rule.id,
    fingerprint,
    transition: "Fired",
    at,
    dimensions,
    severity: rule.severity,
    signalType: "Activity Log",
    description: rule.description || `${e.operationName.value} (${e.status?.value ?? e.level})`,
    targetIds: payload.data.essentials.alertTargetIDs,
    configurationItems: payload.data.essentials.configurationItems,
    snapshot: payload.data.alertContext,
  });
  return Boolean(recorded?.recorded);
}

/** Workspaces with events owed an evaluation for longer than `olderThanMs` (the ingest path's request was lost). */
export async function workspacesOwingActivity(pool: pg.Pool, olderThanMs: number, tenantIds?: string[]): Promise<string[]> {
  const rows = await pgSql(pool).query<{ workspaceId: string }>(
    `SELECT DISTINCT "workspaceId"::text AS "workspaceId" FROM activity_event
      WHERE "evaluatedAt" IS NULL AND "ingestedAt" < clock_timestamp() - make_interval(secs => $1::float8 / 1000)
        AND ($2::uuid[] IS NULL OR "tenantId" = ANY($2::uuid[]))`,
    [olderThanMs, tenantIds ?? null],
  );
  return rows.map((r) => r.workspaceId);
}
