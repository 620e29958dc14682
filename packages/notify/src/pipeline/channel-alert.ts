/**
 * A dead channel is an alert. A receiver whose last 5 deliveries failed, or that has been failing for an hour, raises
 * a platform alert ("Contoso's Teams webhook answers 404") to the MSP's platform action groups whose routing takes
 * platform alerts; its next success resolves it. The raise and the resolve are each decided by one UPDATE on the
 * receiver's `notify_endpoint` row (`alertRaisedAt`), so however many workers finish deliveries at once, each is
 * announced once. The announcement is a `channel` delivery per platform receiver, carrying its facts in `context`
 * (no secret: names, counts, the receiver's error text, which the channels already scrubbed).
 */
import { routingMatches, routingSchema, unsealReceiverSecrets, type Receiver } from "@vaultwatch/schemas";
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

/**
 * After an attempt's outcome reached `notify_endpoint`: raise the receiver's channel alert when it has just become
 * dead, or resolve it on a success. Returns the channel deliveries to schedule (none most of the time).
 */
export async function judgeChannelHealth(
  sql: Queryable,
  input: { actionGroupId: string; receiverName: string; outcome: "sent" | "retry" | "failed"; at: Date },
  unseal: (sealed: string) => string,
): Promise<ScheduledDelivery[]> {
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
    `INSERT INTO notification_delivery (id, "tenantId", kind, "actionGroupId", "receiverName", "receiverType", "endpointKey", status, context,
                                        "nextAttemptAt", "createdAt", "updatedAt")
     SELECT x.id, $1::uuid, 'channel', x.group_id, x.receiver_name, x.receiver_type, x.endpoint_key, 'pending', $2::jsonb, now(), now(), now()
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
    ],
  );
  return inserted.map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt }));
}

/** The channel alert's id: one per (receiver, time it was raised), the same for its Fired and Resolved. */
export const channelAlertId = (actionGroupId: string, receiverName: string, raisedAt: Date) =>
  deterministicUuid(`channel:${actionGroupId}:${receiverName}:${raisedAt.toISOString()}`);

