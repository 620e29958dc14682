/**
 * Tests only: a realistic alert message (a Sev2 log alert from the common-schema builder, as the pipeline builds
 * them) and a channel context pointed at loopback servers.
 */
import { buildLogAlertPayload } from "@vaultwatch/alerting";
import type { AlertFacts, ChannelContext, NotificationMessage, Severity } from "../message";

export const TENANT = { id: "6f1c2a52-3c1e-4b0e-9d1f-0a9b8c7d6e5f", name: "Contoso Ltd", slug: "contoso" };
export const APP = "https://vaultwatch.example.net";

export type AlertOptions = {
  kind?: NotificationMessage["kind"];
  severity?: Severity;
  condition?: "Fired" | "Resolved";
  ruleName?: string;
  description?: string;
  rows?: Record<string, unknown>[];
  templates?: NotificationMessage["templates"];
  digestOf?: number;
};

export function alertMessage(options: AlertOptions = {}): NotificationMessage {
  const severity = options.severity ?? 2;
  const firedAt = new Date("2026-03-08T01:17:00Z");
  const resolvedAt = options.condition === "Resolved" ? new Date("2026-03-08T02:02:00Z") : null;
  const window = { start: new Date("2026-03-08T01:00:00Z"), end: new Date("2026-03-08T01:15:00Z") };
  const rows = options.rows ?? [
    { TimeGenerated: "2026-03-08T01:09:12Z", BackupItemName: "vm-sql-01", JobStatus: "Failed", JobFailureCode: "UserErrorVmNotFound" },
    { TimeGenerated: "2026-03-08T01:11:40Z", BackupItemName: "vm-sql-01", JobStatus: "Failed", JobFailureCode: "UserErrorVmNotFound" },
  ];
  const alertId = "3b0f5d6e-1c2a-4f8e-9b7d-5a4c3b2a1f0e";
  const ruleName = options.ruleName ?? "Backup failed";
  const description = options.description ?? "A backup job failed in the last 15 minutes.";
  const dimensions = [
    { name: "VaultName", value: "rsv-prod-weu" },
    { name: "BackupItemName", value: "vm-sql-01" },
  ];
  const payload = buildLogAlertPayload({
    alertId,
    originAlertId: "fp-0123",
    rule: {
      name: ruleName,
      description,
      severity,
      query: "AddonAzureBackupJobs | where JobStatus == 'Failed'",
      measure: { kind: "count" },
      operator: "GreaterThan",
      threshold: 0,
      windowSize: "PT15M",
      failingPeriods: { minFailing: 1, of: 1 },
      timeMode: "ingestion",
    },
    monitorCondition: options.condition ?? "Fired",
    firedAt,
    resolvedAt,
    window: { kind: "event", ...window },
    dimensions,
    value: rows.length,
    targetIds: ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup-prod/providers/Microsoft.OperationalInsights/workspaces/law-backup"],
    configurationItems: ["rsv-prod-weu"],
    rows,
  });
  const alert: AlertFacts = {
    id: alertId,
    ruleId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
    ruleName,
    severity,
    signalType: "Log",
    monitorCondition: options.condition ?? "Fired",
    firedAt,
    resolvedAt,
    description,
    dimensions,
    measuredValue: rows.length,
    threshold: 0,
    operator: "GreaterThan",
    window,
    targetIds: payload.data.essentials.alertTargetIDs,
    configurationItems: ["rsv-prod-weu"],
    vault: "rsv-prod-weu",
    backupItem: "vm-sql-01",
    resourceGroup: "rg-backup-prod",
    rows: rows.slice(0, 5),
    link: `${APP}/t/contoso/alerts?alert=${alertId}`,
  };
  const { data } = payload;
  const message: NotificationMessage = {
    deliveryId: "c0ffee00-1234-4abc-8def-000000000001",
    kind: options.kind ?? "alert",
    tenant: TENANT,
    actionGroup: { id: "a9b8c7d6-0000-4000-8000-000000000001", name: "Contoso on-call", shortName: "oncall" },
    alert,
    commonAlertPayload: payload,
    barePayload: { ...data.essentials, alertContext: data.alertContext, customProperties: data.customProperties },
    ...(options.templates ? { templates: options.templates } : {}),
  };
  if (options.digestOf !== undefined) {
    message.kind = "digest";
    message.digest = {
      windowStart: new Date("2026-03-08T01:00:00Z"),
      windowEnd: new Date("2026-03-08T02:00:00Z"),
      alerts: Array.from({ length: options.digestOf }, (_, i) => ({
        ...alert,
        id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        ruleName: `${ruleName} #${i}`,
        link: `${APP}/t/contoso/alerts?alert=${i}`,
      })),
    };
  }
  return message;
}

export function testContext(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return {
    smtp: null,
    twilio: null,
    allowPrivateNetworks: true,
    timeoutMs: 5000,
    membersWithRole: () => Promise.resolve([]),
    ...overrides,
  };
}
