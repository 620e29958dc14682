/**
 * Messages of deliveries that have no alert row of their own: a digest (what a rate limit folded, listed in one
 * message) and a channel alert (a receiver that stopped delivering). Ordinary alert deliveries are built in message.ts.
 */
import { severityLabel, type CommonAlertPayload } from "@vaultwatch/alerting";
import type { AlertFacts, NotificationMessage } from "../message";
import { CHANNEL_ALERT_RULE, CHANNEL_ALERT_SEVERITY, channelDimensions, describeChannelAlert, type ChannelAlertContext } from "./channel-alert";
import { MESSAGE_COLUMNS, MESSAGE_JOINS, messageOf, type LoadedMessage, type MessageRow } from "./message";
import type { Queryable } from "./silencing";

/** A digest lists at most this many of the notifications folded into it (newest first), and counts the rest. */
export const DIGEST_LIST_LIMIT = 200;

export type GroupOfDelivery = {
  deliveryId: string;
  group: { id: string; name: string; shortName: string | null; tenantId: string | null };
  receivers: unknown;
};

/** The digest's message: the newest folded alert as its headline, every folded alert listed. Null when none is left. */
export async function loadDigestMessage(sql: Queryable, d: GroupOfDelivery, context: unknown, appUrl: string): Promise<LoadedMessage | null> {
  const { rows } = await sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM notification_delivery d ${MESSAGE_JOINS}
      WHERE d."digestId" = $1::uuid AND d.status = 'folded' ORDER BY d."createdAt" DESC, d.id LIMIT ${DIGEST_LIST_LIMIT}`,
    [d.deliveryId],
  );
  const folded = rows.flatMap((r) => messageOf(r, appUrl) ?? []);
  const newest = folded[0];
  if (!newest) return null;
  const window = windowOfContext(context);
  const message: NotificationMessage = {
    ...newest.message,
    deliveryId: d.deliveryId,
    kind: "digest",
    digest: { alerts: folded.map((f) => f.message.alert), windowStart: window.start, windowEnd: window.end },
  };
  return { message, receivers: d.receivers, groupTenantId: d.group.tenantId };
}

function windowOfContext(context: unknown): { start: Date; end: Date } {
  const c = (context ?? {}) as { windowStart?: string; windowEnd?: string };
  const end = c.windowEnd ? new Date(c.windowEnd) : new Date();
  return { start: c.windowStart ? new Date(c.windowStart) : end, end };
}

const isChannelContext = (c: unknown): c is ChannelAlertContext =>
  typeof c === "object" && c !== null && typeof (c as ChannelAlertContext).alertId === "string" && typeof (c as ChannelAlertContext).source === "object";

/** A channel alert's message ("Contoso's Teams receiver "On-call" in group "Ops" is failing: HTTP 404"). */
export function channelMessage(d: GroupOfDelivery, context: unknown, appUrl: string): LoadedMessage | null {
  if (!isChannelContext(context)) return null;
  const base = appUrl.replace(/\/+$/, "");
  const description = describeChannelAlert(context);
  const alert: AlertFacts = {
    id: context.alertId,
    ruleId: null,
    ruleName: CHANNEL_ALERT_RULE,
    severity: CHANNEL_ALERT_SEVERITY,
    signalType: "Platform",
    monitorCondition: context.condition,
    firedAt: new Date(context.raisedAt),
    resolvedAt: context.resolvedAt ? new Date(context.resolvedAt) : null,
    description: description.slice(0, 2000),
    dimensions: channelDimensions(context),
    measuredValue: context.consecutiveFailures,
    threshold: null,
    operator: null,
    window: null,
    targetIds: [],
    configurationItems: [`${context.source.actionGroupName}/${context.source.receiverName}`],
    vault: null,
    backupItem: null,
    resourceGroup: null,
    rows: [],
    link: context.tenant ? `${base}/t/${encodeURIComponent(context.tenant.slug)}/action-groups` : `${base}/platform/action-groups`,
  };
  const commonAlertPayload: CommonAlertPayload<unknown> = {
    schemaId: "azureMonitorCommonAlertSchema",
    data: {
      essentials: {
        alertId: alert.id,
        alertRule: CHANNEL_ALERT_RULE,
        severity: severityLabel(CHANNEL_ALERT_SEVERITY),
        signalType: "Platform" as "Log",
        monitorCondition: context.condition,
        monitoringService: "Vaultwatch",
        alertTargetIDs: [],
        configurationItems: alert.configurationItems,
        originAlertId: alert.id,
        firedDateTime: context.raisedAt,
        ...(context.resolvedAt ? { resolvedDateTime: context.resolvedAt } : {}),
        description: alert.description,
        essentialsVersion: "1.0",
        alertContextVersion: "1.0",
      },
      alertContext: { channel: context.source, consecutiveFailures: context.consecutiveFailures, failingSince: context.failingSince, lastError: context.lastError },
      customProperties: null,
    },
  };
  const { data } = commonAlertPayload;
  const message: NotificationMessage = {
    deliveryId: d.deliveryId,
    kind: "channel",
    tenant: context.tenant,
    actionGroup: { id: d.group.id, name: d.group.name, shortName: d.group.shortName },
    alert,
    commonAlertPayload,
    barePayload: { ...data.essentials, alertContext: data.alertContext, customProperties: data.customProperties },
  };
  return { message, receivers: d.receivers, groupTenantId: d.group.tenantId };
}
