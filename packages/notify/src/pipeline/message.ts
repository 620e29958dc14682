/**
 * A delivery's message, rebuilt from Postgres: the alert, the event that caused the delivery (Fired or Resolved), the
 * rule, the tenant and the action group. The common alert schema is rebuilt with the same builders the evaluator
 * used, from the alert's stored snapshot (log alerts keep their result rows, activity alerts the alert context).
 */
import {
  buildActivityAlertPayload,
  buildLogAlertPayload,
  severityLabel,
  type CommonAlertPayload,
  type ResultSnapshot,
} from "@vaultwatch/alerting";
import type { ActivityEvent, LogRuleDefinition } from "@vaultwatch/schemas";
import type { AlertFacts, NotificationMessage, Severity } from "../message";
import { alertSubjects } from "./facts";
import type { Queryable } from "./silencing";

/** The first result rows a message shows (the common payload carries what fits in 256 KB). */
const ROWS_SHOWN = 5;

export type MessageRow = { [K in keyof Row]: Row[K] | null };

type Row = {
  deliveryId: string;
  kind: NotificationMessage["kind"];
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  /** the tenant's own SMTP server (sealed) and From address, for its groups' email */
  tenantSmtpUrl: string | null;
  tenantSmtpFrom: string | null;
  groupId: string;
  groupName: string;
  groupShortName: string | null;
  templates: { subject?: string; body?: string } | null;
  receivers: unknown;
  groupTenantId: string | null;
  alertId: string;
  ruleId: string;
  fingerprint: string;
  dimensions: { name: string; value: string }[];
  severity: number;
  signalType: AlertFacts["signalType"];
  firedAt: Date;
  resolvedAt: Date | null;
  measuredValue: number | null;
  threshold: number | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  description: string;
  targetIds: string[];
  configurationItems: string[];
  snapshot: unknown;
  eventKind: "fired" | "resolved";
  occurredAt: Date;
  ruleName: string | null;
  ruleDescription: string | null;
  ruleKind: "log" | "activity" | null;
  definition: unknown;
  activityEvent: ActivityEvent | null;
};

/**
 * The columns a message needs, read through `d`: a relation with the delivery's id, kind, tenantId, alertId,
 * alertEventId and actionGroupId (the table itself, or the row a claim just updated). Tenant isolation: the alert, its
 * event and rule are joined within the delivery's tenant; the group is the tenant's own or a platform group (tenantId
 * null). Left joins, so a delivery whose alert is gone still comes back (and fails) rather than vanishing.
 */
export const MESSAGE_COLUMNS = `
         d.id::text AS "deliveryId", d.kind::text AS kind,
         t.id::text AS "tenantId", t.name AS "tenantName", t.slug AS "tenantSlug", t."smtpUrlEncrypted" AS "tenantSmtpUrl", t."smtpFrom" AS "tenantSmtpFrom",
         g.id::text AS "groupId", g.name AS "groupName", g."shortName" AS "groupShortName", g.templates, g.receivers,
         g."tenantId"::text AS "groupTenantId",
         a.id::text AS "alertId", a."ruleId"::text AS "ruleId", a.fingerprint, a.dimensions, a.severity, a."signalType",
         a."firedAt", a."resolvedAt", a."measuredValue", a.threshold, a."windowStart", a."windowEnd", a.description,
         a."targetIds", a."configurationItems", a.snapshot,
         e.kind::text AS "eventKind", e."occurredAt",
         r.name AS "ruleName", r.description AS "ruleDescription", r.kind::text AS "ruleKind", r.definition,
         (SELECT ae.event FROM activity_event ae
           WHERE r.kind = 'activity' AND ae."tenantId" = a."tenantId" AND ae."eventDataId" = a.snapshot->>'eventDataId' LIMIT 1) AS "activityEvent"`;

export const MESSAGE_JOINS = `
    LEFT JOIN tenant t ON t.id = d."tenantId"
    LEFT JOIN alert a ON a.id = d."alertId" AND a."tenantId" = d."tenantId"
    LEFT JOIN alert_event e ON e.id = d."alertEventId" AND e."tenantId" = d."tenantId"
    LEFT JOIN action_group g ON g.id = d."actionGroupId" AND (g."tenantId" = d."tenantId" OR g."tenantId" IS NULL)
    LEFT JOIN alert_rule r ON r.id = a."ruleId" AND r."tenantId" = a."tenantId"`;

export type LoadedMessage = { message: NotificationMessage; receivers: unknown; groupTenantId: string | null };

/** The message of one delivery and its group's stored receivers (still sealed), or null when the alert is gone. */
export async function loadMessage(sql: Queryable, deliveryId: string, appUrl: string): Promise<LoadedMessage | null> {
  const { rows } = await sql.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM notification_delivery d ${MESSAGE_JOINS} WHERE d.id = $1::uuid`, [deliveryId]);
  return rows[0] ? messageOf(rows[0], appUrl) : null;
}

/** A row read with MESSAGE_COLUMNS as a message, or null when its alert, event, tenant or group is gone. */
export function messageOf(row: MessageRow, appUrl: string): LoadedMessage | null {
  if (!row.alertId || !row.eventKind || !row.tenantId || !row.groupId) return null;
  return { message: buildMessage(row as Row, appUrl), receivers: row.receivers, groupTenantId: row.groupTenantId };
}

const asSeverity = (n: number): Severity => Math.min(4, Math.max(0, Math.trunc(n))) as Severity;

function buildMessage(row: Row, appUrl: string): NotificationMessage {
  const monitorCondition = row.eventKind === "resolved" ? "Resolved" : "Fired";
  // a Resolved delivery speaks of the resolution it was made for, even if the alert fired again since
  const resolvedAt = monitorCondition === "Resolved" ? (row.resolvedAt ?? row.occurredAt) : null;
  const window = row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null;
  const snapshotRows = isResultSnapshot(row.snapshot) ? row.snapshot.rows : [];
  const ruleName = row.ruleName ?? "(deleted rule)";
  const definition = row.ruleKind === "log" ? (row.definition as LogRuleDefinition) : null;
  const commonAlertPayload = payloadOf(row, { monitorCondition, resolvedAt, window, rows: snapshotRows, ruleName, definition });
  const alert: AlertFacts = {
    id: row.alertId,
    ruleId: row.ruleId,
    ruleName,
    severity: asSeverity(row.severity),
    signalType: row.signalType,
    monitorCondition,
    firedAt: row.firedAt,
    resolvedAt,
    description: row.description,
    dimensions: row.dimensions,
    measuredValue: row.measuredValue,
    threshold: row.threshold,
    operator: definition ? definitionOperator(commonAlertPayload) : null,
    window,
    targetIds: row.targetIds,
    configurationItems: row.configurationItems,
    ...alertSubjects(row.dimensions, row.targetIds),
    rows: snapshotRows.slice(0, ROWS_SHOWN),
    link: `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(row.tenantSlug)}/alerts?alert=${row.alertId}`,
  };
  const { schemaId: _schemaId, data } = commonAlertPayload;
  return {
    deliveryId: row.deliveryId,
    kind: row.kind,
    tenant: { id: row.tenantId, name: row.tenantName, slug: row.tenantSlug },
    actionGroup: { id: row.groupId, name: row.groupName, shortName: row.groupShortName },
    alert,
    commonAlertPayload,
    // the alert without the envelope: the essentials, the context and the custom properties side by side
    barePayload: { ...data.essentials, alertContext: data.alertContext, customProperties: data.customProperties },
    ...(row.templates ? { templates: row.templates } : {}),
  };
}

function definitionOperator(payload: CommonAlertPayload<unknown>): string | null {
  const context = payload.data.alertContext as { condition?: { allOf?: { operator?: string }[] } };
  return context.condition?.allOf?.[0]?.operator ?? null;
}

const isResultSnapshot = (v: unknown): v is ResultSnapshot => typeof v === "object" && v !== null && Array.isArray((v as ResultSnapshot).rows);

type PayloadParts = {
  monitorCondition: "Fired" | "Resolved";
  resolvedAt: Date | null;
  window: { start: Date; end: Date } | null;
  rows: Record<string, unknown>[];
  ruleName: string;
  definition: LogRuleDefinition | null;
};

function payloadOf(row: Row, p: PayloadParts): CommonAlertPayload<unknown> {
  if (row.signalType === "Log" && p.definition && p.window) {
    return buildLogAlertPayload({
      alertId: row.alertId,
      originAlertId: row.fingerprint,
      rule: { ...p.definition, name: p.ruleName, description: row.ruleDescription ?? "", severity: row.severity },
      monitorCondition: p.monitorCondition,
      firedAt: row.firedAt,
      resolvedAt: p.resolvedAt,
      window: { kind: "event", start: p.window.start, end: p.window.end },
      dimensions: row.dimensions,
      value: row.measuredValue,
      targetIds: row.targetIds,
      configurationItems: row.configurationItems,
      rows: p.rows,
    });
  }
  if (row.signalType === "Activity Log" && row.activityEvent) {
    return buildActivityAlertPayload({
      alertId: row.alertId,
      originAlertId: row.fingerprint,
      rule: { name: p.ruleName, description: row.ruleDescription ?? "" },
      event: row.activityEvent,
      firedAt: row.firedAt,
    });
  }
  // a platform alert (Vaultwatch about itself), or an activity alert whose event was deleted: the essentials from
  // the alert row, the stored context as it is
  return {
    schemaId: "azureMonitorCommonAlertSchema",
    data: {
      essentials: {
        alertId: row.alertId,
        alertRule: p.ruleName,
        severity: severityLabel(row.severity),
        signalType: row.signalType as "Log",
        monitorCondition: p.monitorCondition,
        monitoringService: row.signalType === "Activity Log" ? "Activity Log - Administrative" : "Vaultwatch",
        alertTargetIDs: row.targetIds.map((id) => id.toLowerCase()),
        configurationItems: row.configurationItems,
        originAlertId: row.fingerprint,
        firedDateTime: row.firedAt.toISOString(),
        ...(p.resolvedAt ? { resolvedDateTime: p.resolvedAt.toISOString() } : {}),
        description: row.description,
        essentialsVersion: "1.0",
        alertContextVersion: "1.0",
      },
      alertContext: row.snapshot ?? {},
      customProperties: null,
    },
  };
}
