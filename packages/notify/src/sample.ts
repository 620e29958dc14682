/**
 * The sample alert "Send test notification" sends: a realistic Sev1 "Backup failed" log alert on a Recovery Services
 * vault, with the result rows a real rule would carry, marked as a test everywhere it shows (kind "test", `[TEST]`
 * subjects, and `vaultwatchTest: "true"` in the common schema's customProperties, which webhooks post as is).
 */
import { randomUUID } from "node:crypto";
import { buildLogAlertPayload } from "@vaultwatch/alerting";
import type { AlertFacts, NotificationMessage } from "./message";

export type SampleInput = {
  deliveryId: string;
  tenant: NotificationMessage["tenant"];
  actionGroup: NotificationMessage["actionGroup"];
  appUrl: string;
  templates?: NotificationMessage["templates"];
  /** the time the sample alert fires (default now) */
  now?: Date;
};

const VAULT = "rsv-prod-weu";
const RESOURCE_GROUP = "rg-backup-prod";
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const BACKUP_ITEM = "vm-sql-01";

export function sampleMessage(input: SampleInput): NotificationMessage {
  const now = input.now ?? new Date();
  const windowEnd = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  const windowStart = new Date(windowEnd.getTime() - 15 * 60_000);
  const alertId = randomUUID();
  const rows = [
    {
      TimeGenerated: new Date(windowEnd.getTime() - 9 * 60_000).toISOString(),
      BackupItemName: BACKUP_ITEM,
      JobOperation: "Backup",
      JobStatus: "Failed",
      JobFailureCode: "UserErrorVmNotFound",
    },
  ];
  const dimensions = [
    { name: "VaultName", value: VAULT },
    { name: "BackupItemName", value: BACKUP_ITEM },
  ];
  const link = `${input.appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(input.tenant?.slug ?? "platform")}/alerts?alert=${alertId}&test=1`;
  const payload = buildLogAlertPayload({
    alertId,
    originAlertId: `test-${input.deliveryId}`,
    rule: {
      name: "Backup failed",
      description: "TEST notification from Vaultwatch: a backup job of vm-sql-01 failed (sample data, no real alert).",
      severity: 1,
      query: 'AddonAzureBackupJobs\n| where JobOperation == "Backup" and JobStatus == "Failed"',
      measure: { kind: "count" },
      operator: "GreaterThan",
      threshold: 0,
      windowSize: "PT15M",
      failingPeriods: { minFailing: 1, of: 1 },
      timeMode: "ingestion",
    },
    monitorCondition: "Fired",
    firedAt: now,
    window: { kind: "event", start: windowStart, end: windowEnd },
    dimensions,
    value: 1,
    targetIds: [`/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/law-backup`],
    configurationItems: [VAULT],
    rows,
    customProperties: { vaultwatchTest: "true" },
  });
  const alert: AlertFacts = {
    id: alertId,
    ruleId: null,
    ruleName: "Backup failed",
    severity: 1,
    signalType: "Log",
    monitorCondition: "Fired",
    firedAt: now,
    resolvedAt: null,
    description: payload.data.essentials.description,
    dimensions,
    measuredValue: 1,
    threshold: 0,
    operator: "GreaterThan",
    window: { start: windowStart, end: windowEnd },
    targetIds: payload.data.essentials.alertTargetIDs,
    configurationItems: [VAULT],
    vault: VAULT,
    backupItem: BACKUP_ITEM,
    resourceGroup: RESOURCE_GROUP,
    rows,
    link,
  };
  const { data } = payload;
  return {
    deliveryId: input.deliveryId,
    kind: "test",
    tenant: input.tenant,
    actionGroup: input.actionGroup,
    alert,
    commonAlertPayload: payload,
    barePayload: { ...data.essentials, alertContext: data.alertContext, customProperties: data.customProperties },
    ...(input.templates ? { templates: input.templates } : {}),
  };
}
