/**
 * What an evaluation persists when it moves an alert (Fired or Resolved): the alert, its history event and the
 * notifications owed (the outbox), all in the caller's transaction so that none exists without the others.
 */
import type { Dimension, MonitorCondition, UserState } from "@vaultwatch/alerting";
import type { Db, Tx } from "@vaultwatch/db";
import { routingMatches, routingSchema, type Routing } from "@vaultwatch/schemas";
import { asSql, type Sql } from "./sql";

type AlertUserState = "new" | "acknowledged" | "closed";

/** The common alert schema caps a payload at 256 KB; the snapshot of result rows must fit well within it. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024;

export type TransitionInput = {
  tenantId: string;
  ruleId: string;
  fingerprint: string;
  transition: MonitorCondition;
  /** The evaluation tick that decided it: recording the same transition at the same tick again changes nothing. */
  at: Date;
  dimensions: Dimension[];
  severity: number;
  /** "Platform": Vaultwatch about itself (a rule that keeps failing). */
  signalType: "Log" | "Activity Log" | "Platform";
  measuredValue?: number | null;
  threshold?: number | null;
  window?: { start: Date; end: Date } | null;
  description?: string;
  targetIds?: string[];
  configurationItems?: string[];
  snapshot?: unknown;
  /** False when the rule's muted actions hold back this Fired notification (silences act at delivery, not here); Resolved transitions always notify. */
  notify?: boolean;
};

export type TransitionResult = { alertId: string; eventId: string; recorded: boolean; outbox: number } | null;

export function assertSnapshotSize(snapshot: unknown): void {
  if (snapshot === undefined || snapshot === null) return;
  const bytes = Buffer.byteLength(JSON.stringify(snapshot), "utf8");
  if (bytes > MAX_SNAPSHOT_BYTES) throw new RangeError(`alert snapshot is ${bytes} bytes; at most ${MAX_SNAPSHOT_BYTES} are kept`);
}

// Prisma's createdAt/updatedAt columns are timestamp(3) without time zone, written in UTC
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/** Records one Fired or Resolved transition; null for a Resolved with no open alert (nothing to resolve). */
export async function recordTransition(handle: Sql | Db | Tx, input: TransitionInput): Promise<TransitionResult> {
  const sql = asSql(handle);
  assertSnapshotSize(input.snapshot);
  const kind = input.transition === "Fired" ? "fired" : "resolved";
  // the one open alert of the fingerprint, through its unique partial index: OFFSET 0 keeps the tenant test out of
  // the scan, else the planner may walk the tenant's open alerts by another index (a storm of them made each
  // transition cost as much as the tenant had open alerts)
  const [open] = await sql.query<{ id: string }>(
    `SELECT id::text FROM (SELECT id, "tenantId" FROM alert WHERE "ruleId" = $2::uuid AND fingerprint = $3 AND "monitorCondition" = 'fired' OFFSET 0) a
      WHERE "tenantId" = $1::uuid LIMIT 1`,
    [input.tenantId, input.ruleId, input.fingerprint],
    "vw-tx-open",
  );

  let alertId: string;
  if (input.transition === "Fired") {
    alertId = open ? open.id : await openAlert(sql, input);
  } else {
    // an alert already resolved at this tick is this transition recorded before
    const [target] = open
      ? [open]
      : await sql.query<{ id: string }>(
          `SELECT id::text FROM alert WHERE "tenantId" = $1::uuid AND "ruleId" = $2::uuid AND fingerprint = $3 AND "resolvedAt" = $4::timestamptz LIMIT 1`,
          [input.tenantId, input.ruleId, input.fingerprint, input.at],
    "vw-tx-resolved-at",
        );
    if (!target) return null;
    alertId = target.id;
  }

  const [existing] = await sql.query<{ id: string }>(
    `SELECT id::text FROM alert_event WHERE "alertId" = $1::uuid AND kind = $2::"AlertEventKind" AND "occurredAt" = $3::timestamptz`,
    [alertId, kind, input.at],
    "vw-tx-event-exists",
  );
  if (existing) return { alertId, eventId: existing.id, recorded: false, outbox: 0 };

  if (open && input.transition === "Resolved") {
    await sql.query(`UPDATE alert SET "monitorCondition" = 'resolved', "resolvedAt" = $2::timestamptz, "updatedAt" = ${UTC_NOW} WHERE id = $1::uuid RETURNING id`, [alertId, input.at], "vw-tx-resolve");
  } else if (open) {
    await sql.query(
      `UPDATE alert SET "measuredValue" = $2, "windowStart" = $3::timestamptz, "windowEnd" = $4::timestamptz,
              snapshot = coalesce($5::jsonb, snapshot), "updatedAt" = ${UTC_NOW} WHERE id = $1::uuid RETURNING id`,
      [alertId, input.measuredValue ?? null, input.window?.start ?? null, input.window?.end ?? null, input.snapshot === undefined ? null : JSON.stringify(input.snapshot)],
      "vw-tx-refresh",
    );
  }
  const [event] = await sql.query<{ id: string }>(
    `INSERT INTO alert_event (id, "tenantId", "alertId", kind, "occurredAt") VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::"AlertEventKind", $4::timestamptz) RETURNING id::text`,
    [input.tenantId, alertId, kind, input.at],
    "vw-tx-event",
  );
  const outbox = input.transition === "Resolved" || input.notify !== false ? await owe(sql, input, event!.id) : 0;
  return { alertId, eventId: event!.id, recorded: true, outbox };
}

async function openAlert(sql: Sql, input: TransitionInput): Promise<string> {
  const [alert] = await sql.query<{ id: string }>(
    `INSERT INTO alert (id, "tenantId", "ruleId", fingerprint, dimensions, severity, "signalType", "monitorCondition", "firedAt",
                        "measuredValue", threshold, "windowStart", "windowEnd", description, "targetIds", "configurationItems", snapshot,
                        "createdAt", "updatedAt")
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4::jsonb, $5::int, $6, 'fired', $7::timestamptz, $8, $9, $10::timestamptz,
             $11::timestamptz, $12, $13::text[], $14::text[], $15::jsonb, ${UTC_NOW}, ${UTC_NOW})
     RETURNING id::text`,
    [
      input.tenantId,
      input.ruleId,
      input.fingerprint,
      JSON.stringify(input.dimensions),
      input.severity,
      input.signalType,
      input.at,
      input.measuredValue ?? null,
      input.threshold ?? null,
      input.window?.start ?? null,
      input.window?.end ?? null,
      input.description ?? "",
      input.targetIds ?? [],
      input.configurationItems ?? [],
      input.snapshot === undefined ? null : JSON.stringify(input.snapshot),
    ],
    "vw-tx-alert",
  );
  return alert!.id;
}

/**
 * The channel a worker LISTENs on: the notification is delivered when the transaction commits, so it drains at once.
 * Its payload is the tenant's id (listeners on a shared database can tell whose outbox moved).
 */
export const OUTBOX_CHANNEL = "vw_outbox";

type PlatformGroup = { id: string; routing: Routing | null; ruleName: string };

/**
 * One pending notification per enabled action group of the rule, plus one per enabled platform action group (the
 * MSP's, tenantId null) whose routing takes the alert. Platform groups are few: they are read with each transition.
 */
async function owe(sql: Sql, input: TransitionInput, alertEventId: string): Promise<number> {
  const platform = await sql.query<PlatformGroup>(
    `SELECT g.id::text, g.routing, r.name AS "ruleName"
       FROM action_group g CROSS JOIN (SELECT name FROM alert_rule WHERE id = $1::uuid AND "tenantId" = $2::uuid) r
      WHERE g."tenantId" IS NULL AND g.enabled`,
    [input.ruleId, input.tenantId],
    "vw-tx-platform",
  );
  const alert = { tenantId: input.tenantId, severity: input.severity, signalType: input.signalType };
  // a routing that no longer parses (written around the API) routes nothing rather than everything
  const routed = platform
    .filter((g) => {
      const routing = g.routing === null ? null : routingSchema.safeParse(g.routing);
      return routing === null || (routing.success && routingMatches(routing.data, { ...alert, ruleName: g.ruleName }));
    })
    .map((g) => g.id);
  const [row] = await sql.query<{ n: number }>(
    `WITH owed AS (
       SELECT l."actionGroupId" FROM alert_rule_action_group l JOIN action_group g ON g.id = l."actionGroupId" AND g."tenantId" = l."tenantId"
        WHERE l."tenantId" = $1::uuid AND l."ruleId" = $2::uuid AND g.enabled
       UNION
       SELECT unnest($4::uuid[])
     ), ins AS (
       INSERT INTO notification_outbox (id, "tenantId", "alertEventId", "actionGroupId", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, $3::uuid, "actionGroupId", ${UTC_NOW}, ${UTC_NOW} FROM owed
       ON CONFLICT ("alertEventId", "actionGroupId") DO NOTHING
       RETURNING id
     )
     SELECT n, (CASE WHEN n > 0 THEN pg_notify('${OUTBOX_CHANNEL}', $1::text) END)::text AS notified FROM (SELECT count(*)::int AS n FROM ins) c`,
    [input.tenantId, input.ruleId, alertEventId, routed],
    "vw-tx-owe",
  );
  return row?.n ?? 0;
}

/** The alerting package names user states as Azure shows them; the database stores them lower-case. */
export const toUserState = (s: AlertUserState): UserState =>
  s === "new" ? "New" : s === "acknowledged" ? "Acknowledged" : "Closed";
export const fromUserState = (s: UserState): AlertUserState => s.toLowerCase() as AlertUserState;
