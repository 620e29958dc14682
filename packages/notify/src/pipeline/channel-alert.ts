/**
 * A dead channel is an alert. A receiver whose last 5 deliveries failed, or that has been failing for an hour, raises
 * a platform alert: an `alert` row of the receiver's tenant (no rule; it names the group and receiver, signal type
 * Platform: "Contoso's Teams receiver "On call" in action group "Ops" answers 404"), announced to the MSP's platform
 * action groups whose routing takes platform alerts; its next success resolves it (the row moves to Resolved and the
 * resolution is announced). The raise and the resolve are each decided by one UPDATE on the receiver's
 * `notify_endpoint` row (`alertRaisedAt`), in the same transaction as the alert row, its event and the announcements,
 * so however many workers finish deliveries at once, each happens once. The hour is judged when a delivery finishes
 * and by the sweep (`judgeQuietChannels`), so a receiver that stops getting traffic still crosses it.
 * An announcement is a `channel` delivery per platform receiver, carrying its facts in `context` (no secret: names,
 * counts, the receiver's error text, which the channels already scrubbed). A platform group's own receiver has no
 * tenant, so it is announced without an alert row.
 */
import { alertFingerprint } from "@vaultwatch/alerting";
import { withPgTransaction } from "@vaultwatch/db";
import { routingMatches, routingSchema, unsealReceiverSecrets, type Receiver } from "@vaultwatch/schemas";
import type pg from "pg";
import { endpointKeyOf } from "../channels/endpoint-key";
import { deterministicUuid } from "./ids";
import type { Queryable } from "./silencing";
import type { ScheduledDelivery } from "./types";

export const DEAD_AFTER_FAILURES = 5;
export const DEAD_AFTER_MS = 3600_000;
/** How platform routing names these alerts (routing.ruleNames), and the severity they carry. */
export const CHANNEL_ALERT_RULE = "Notification channel failing";
export const CHANNEL_ALERT_SEVERITY = 1;

/** What a channel delivery's `context` holds. */
export type ChannelAlertContext = {
  condition: "Fired" | "Resolved";
  /** identifies the alert: the same for its Fired and its Resolved */
  alertId: string;
  raisedAt: string;
  resolvedAt: string | null;
  tenant: { id: string; name: string; slug: string } | null;
  source: { actionGroupId: string; actionGroupName: string; receiverName: string; receiverType: string };
  consecutiveFailures: number;
  failingSince: string | null;
  lastError: string | null;
};

type Flipped = {
  raisedAt: Date;
  tenantId: string | null;
  receiverType: string;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastError: string | null;
};

/** What judging follows: an attempt's outcome, or the sweep looking at a receiver that has stopped getting traffic. */
export type ChannelJudgement = { actionGroupId: string; receiverName: string; outcome: "sent" | "retry" | "failed" | "sweep"; at: Date };

/**
 * After an attempt's outcome reached `notify_endpoint` (or on the sweep): raise the receiver's channel alert when it
 * has just become dead, or resolve it on a success, in one transaction. Returns the channel deliveries to schedule
 * (none most of the time).
 */
export async function judgeChannelHealth(
  pool: Pick<pg.Pool, "connect">,
  input: ChannelJudgement,
  unseal: (sealed: string) => string,
): Promise<ScheduledDelivery[]> {
  return withPgTransaction(pool, (sql) => judgeIn(sql, input, unseal));
}

async function judgeIn(sql: Queryable, input: ChannelJudgement, unseal: (sealed: string) => string): Promise<ScheduledDelivery[]> {
  const flipped =
    input.outcome === "sent"
      ? await sql.query<Flipped>(
          `UPDATE notify_endpoint n SET "alertRaisedAt" = NULL, "updatedAt" = now()
             FROM (SELECT "actionGroupId", "receiverName", "alertRaisedAt" FROM notify_endpoint
                    WHERE "actionGroupId" = $1::uuid AND "receiverName" = $2 AND "alertRaisedAt" IS NOT NULL FOR UPDATE) o
            WHERE n."actionGroupId" = o."actionGroupId" AND n."receiverName" = o."receiverName"
            RETURNING o."alertRaisedAt" AS "raisedAt", n."tenantId"::text AS "tenantId", n."receiverType", n."consecutiveFailures",
                      n."failingSince", n."lastError"`,
          [input.actionGroupId, input.receiverName],
        )
      : await sql.query<Flipped>(
          `UPDATE notify_endpoint SET "alertRaisedAt" = $3::timestamptz, "updatedAt" = now()
            WHERE "actionGroupId" = $1::uuid AND "receiverName" = $2 AND "alertRaisedAt" IS NULL
              AND ("consecutiveFailures" >= $4::int OR "failingSince" <= $3::timestamptz - make_interval(secs => $5::float8 / 1000))
            RETURNING "alertRaisedAt" AS "raisedAt", "tenantId"::text AS "tenantId", "receiverType", "consecutiveFailures", "failingSince", "lastError"`,
          [input.actionGroupId, input.receiverName, input.at, DEAD_AFTER_FAILURES, DEAD_AFTER_MS],
        );
  const row = flipped.rows[0];
  if (!row) return [];
  const condition = input.outcome === "sent" ? "Resolved" : "Fired";

  const { rows: sources } = await sql.query<{ name: string; tenantName: string | null; tenantSlug: string | null }>(
    `SELECT g.name, t.name AS "tenantName", t.slug AS "tenantSlug" FROM action_group g LEFT JOIN tenant t ON t.id = g."tenantId" WHERE g.id = $1::uuid`,
    [input.actionGroupId],
  );
  const source = sources[0];
  if (!source) return [];
  const context: ChannelAlertContext = {
    condition,
    alertId: channelAlertId(input.actionGroupId, input.receiverName, row.raisedAt),
    raisedAt: row.raisedAt.toISOString(),
    resolvedAt: condition === "Resolved" ? input.at.toISOString() : null,
    tenant: row.tenantId && source.tenantName && source.tenantSlug ? { id: row.tenantId, name: source.tenantName, slug: source.tenantSlug } : null,
    source: { actionGroupId: input.actionGroupId, actionGroupName: source.name, receiverName: input.receiverName, receiverType: row.receiverType },
    consecutiveFailures: row.consecutiveFailures,
    failingSince: row.failingSince ? row.failingSince.toISOString() : null,
    lastError: row.lastError,
  };
  const recorded = context.tenant ? await recordChannelAlert(sql, context, input.at) : null;

  // the MSP's groups that take platform alerts of this tenant (never the failing group itself)
  const { rows: groups } = await sql.query<{ id: string; routing: unknown; receivers: unknown }>(
    `SELECT id::text, routing, receivers FROM action_group WHERE "tenantId" IS NULL AND enabled AND id <> $1::uuid`,
    [input.actionGroupId],
  );
  const targets: { groupId: string; receiver: Receiver }[] = [];
  for (const g of groups) {
    const routing = routingSchema.safeParse(g.routing ?? {});
    if (!routing.success) continue;
    const takes = routingMatches(routing.data, {
      tenantId: row.tenantId ?? "",
      severity: CHANNEL_ALERT_SEVERITY,
      signalType: "Platform",
      ruleName: CHANNEL_ALERT_RULE,
    });
    if (!takes || (row.tenantId === null && routing.data.tenantIds)) continue;
    let receivers: Receiver[];
    try {
      receivers = unsealReceiverSecrets(g.receivers, unseal).filter((r) => (r as { enabled?: boolean }).enabled !== false);
    } catch {
      continue; // sealed under another key: that group's own health will say so
    }
    for (const receiver of receivers) targets.push({ groupId: g.id, receiver });
  }
  if (!targets.length) return [];

  const { rows: inserted } = await sql.query<{ id: string; nextAttemptAt: Date }>(
    `INSERT INTO notification_delivery (id, "tenantId", kind, "alertId", "alertEventId", "actionGroupId", "receiverName", "receiverType", "endpointKey",
                                        status, context, "nextAttemptAt", "createdAt", "updatedAt")
     SELECT x.id, $1::uuid, 'channel', $8::uuid, $9::uuid, x.group_id, x.receiver_name, x.receiver_type, x.endpoint_key, 'pending', $2::jsonb, now(), now(), now()
       FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS x(id, group_id, receiver_name, receiver_type, endpoint_key)
     ON CONFLICT (id) DO NOTHING
     RETURNING id::text, "nextAttemptAt"`,
    [
      row.tenantId,
      JSON.stringify(context),
      targets.map((t) => deterministicUuid(`${context.alertId}:${condition}:${t.groupId}:${t.receiver.name}`)),
      targets.map((t) => t.groupId),
      targets.map((t) => t.receiver.name),
      targets.map((t) => t.receiver.type),
      targets.map((t) => endpointKeyOf(t.receiver, row.tenantId)),
      recorded?.alertId ?? null,
      recorded?.eventId ?? null,
    ],
  );
  return inserted.map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt }));
}

// Prisma's createdAt/updatedAt columns are timestamp(3) without time zone, written in UTC
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * The alert row of a tenant's channel alert and its history event: opened on Fired (with the id the announcements
 * carry), resolved on Resolved. Returns the alert and event ids, or null when there was nothing to record (a Resolved
 * with no open alert, or a Fired while one is still open).
 */
async function recordChannelAlert(sql: Queryable, context: ChannelAlertContext, at: Date): Promise<{ alertId: string; eventId: string } | null> {
  const tenantId = context.tenant!.id;
  const { actionGroupId, receiverName } = context.source;
  const alert =
    context.condition === "Fired"
      ? await sql.query<{ id: string; at: Date }>(
          `INSERT INTO alert (id, "tenantId", "ruleId", "channelActionGroupId", "channelReceiverName", fingerprint, dimensions, severity, "signalType",
                              "monitorCondition", "firedAt", description, "targetIds", "configurationItems", "createdAt", "updatedAt")
           VALUES ($1::uuid, $2::uuid, NULL, $3::uuid, $4, $5, $6::jsonb, $7::int, 'Platform', 'fired', $8::timestamptz, $9, '{}', $10::text[],
                   ${UTC_NOW}, ${UTC_NOW})
           ON CONFLICT DO NOTHING
           RETURNING id::text, "firedAt" AS at`,
          [
            context.alertId,
            tenantId,
            actionGroupId,
            receiverName,
            channelFingerprint(actionGroupId, receiverName),
            JSON.stringify(channelDimensions(context)),
            CHANNEL_ALERT_SEVERITY,
            new Date(context.raisedAt),
            describeChannelAlert(context).slice(0, 2000),
            [context.source.actionGroupName, receiverName],
          ],
        )
      : // whichever alert of this receiver is open (normally the one this raise opened)
        await sql.query<{ id: string; at: Date }>(
          `UPDATE alert SET "monitorCondition" = 'resolved', "resolvedAt" = $4::timestamptz, "updatedAt" = ${UTC_NOW}
            WHERE "tenantId" = $1::uuid AND "channelActionGroupId" = $2::uuid AND "channelReceiverName" = $3 AND "ruleId" IS NULL
              AND "monitorCondition" = 'fired'
            RETURNING id::text, "resolvedAt" AS at`,
          [tenantId, actionGroupId, receiverName, at],
        );
  const opened = alert.rows[0];
  if (!opened) return null;
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO alert_event (id, "tenantId", "alertId", kind, "occurredAt") VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::"AlertEventKind", $4::timestamptz)
     ON CONFLICT ("alertId", kind, "occurredAt") DO NOTHING RETURNING id::text`,
    [tenantId, opened.id, context.condition === "Fired" ? "fired" : "resolved", opened.at],
  );
  return rows[0] ? { alertId: opened.id, eventId: rows[0].id } : null;
}

/**
 * The sweep's part: receivers failing for longer than an hour (or with 5 failures in a row) whose alert is not raised
 * yet, judged at `now` even if no delivery to them finishes any more. `tenantIds` limits it to those tenants' receivers
 * (a scoped worker), and with `platform` the platform groups' too (a deployment may have only scoped workers; the raise
 * is decided once whoever judges).
 * Receivers no longer in their group are left out.
 */
export async function judgeQuietChannels(
  pool: pg.Pool,
  now: Date,
  unseal: (sealed: string) => string,
  tenantIds?: readonly string[],
  platform = false,
): Promise<ScheduledDelivery[]> {
  const { rows } = await pool.query<{ actionGroupId: string; receiverName: string }>(
    `SELECT n."actionGroupId"::text AS "actionGroupId", n."receiverName" FROM notify_endpoint n JOIN action_group g ON g.id = n."actionGroupId"
      WHERE n."alertRaisedAt" IS NULL
        AND (n."consecutiveFailures" >= $2::int OR n."failingSince" <= $1::timestamptz - make_interval(secs => $3::float8 / 1000))
        AND ($4::uuid[] IS NULL OR n."tenantId" = ANY($4::uuid[]) OR ($5::boolean AND n."tenantId" IS NULL))
        AND g.receivers @> jsonb_build_array(jsonb_build_object('name', n."receiverName"))
      ORDER BY n."failingSince" LIMIT 100`,
    [now, DEAD_AFTER_FAILURES, DEAD_AFTER_MS, tenantIds ?? null, platform],
  );
  const due: ScheduledDelivery[] = [];
  for (const r of rows) due.push(...(await judgeChannelHealth(pool, { ...r, outcome: "sweep", at: now }, unseal)));
  return due;
}

const RECEIVER_LABEL: Record<string, string> = {
  email: "email",
  armRoleEmail: "role email",
  sms: "SMS",
  voice: "voice",
  webhook: "webhook",
  teams: "Teams",
  slack: "Slack",
  pagerduty: "PagerDuty",
  opsgenie: "Opsgenie",
};

/** "Contoso's Teams receiver "On call" in action group "Ops" answers 404 (5 deliveries failed in a row ...)". */
export function describeChannelAlert(context: ChannelAlertContext): string {
  const owner = context.tenant ? `${context.tenant.name}'s` : "The MSP's";
  const who = `${owner} ${RECEIVER_LABEL[context.source.receiverType] ?? context.source.receiverType} receiver "${context.source.receiverName}" in action group "${context.source.actionGroupName}"`;
  if (context.condition === "Resolved") return `${who} delivers again.`;
  // the channels word an HTTP refusal as "HTTP 404" or "<host> answered 404"
  const status = /\b(?:HTTP|answered) (\d{3})\b/.exec(context.lastError ?? "")?.[1];
  const what = status ? `answers ${status}` : "is failing";
  const n = context.consecutiveFailures;
  const since = context.failingSince ? `, failing since ${context.failingSince}` : "";
  return `${who} ${what} (${n} ${n === 1 ? "delivery" : "deliveries"} failed in a row${since}). Last error: ${context.lastError ?? "unknown"}`;
}

/** The dimensions a channel alert carries (its row and its announcements alike). */
export const channelDimensions = (context: ChannelAlertContext) => [
  { name: "actionGroup", value: context.source.actionGroupName },
  { name: "receiver", value: context.source.receiverName },
  { name: "receiverType", value: context.source.receiverType },
];

export const channelFingerprint = (actionGroupId: string, receiverName: string) => alertFingerprint(`channel:${actionGroupId}:${receiverName}`, []);

/** The channel alert's id: one per (receiver, time it was raised), the same for its Fired and Resolved. */
export const channelAlertId = (actionGroupId: string, receiverName: string, raisedAt: Date) =>
  deterministicUuid(`channel:${actionGroupId}:${receiverName}:${raisedAt.toISOString()}`);
