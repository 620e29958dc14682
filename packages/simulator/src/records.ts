/**
 * Records in the resource-log shape that a vault's diagnostic setting streams to Event Hubs or a storage account:
 * `{time, resourceId, category, operationName, properties}`, with every backup field a string as Azure sends it.
 */
import type { Container, Item, ManagementServer, Policy, Vault } from "./estate";
import type { ResourceSpecificRecord } from "./resource-specific";

export type BackupOperationName =
  | "Job"
  | "Alert"
  | "BackupItem"
  | "BackupItemAssociation"
  | "BackupManagementServer"
  | "Policy"
  | "PolicyAssociation"
  | "ProtectedContainer"
  | "Storage"
  | "StorageAssociation"
  | "Vault"
  | "RecoveryPoint"
  | "ProtectedInstance";

export type BackupReportRecord = {
  time: string;
  resourceId: string;
  category: "AzureBackupReport";
  operationName: BackupOperationName;
  properties: Record<string, string>;
};

export type ActivityLogRecord = {
  time: string;
  resourceId: string;
  operationName: string;
  category: string;
  resultType: string;
  resultSignature: string;
  resultDescription: string;
  durationMs: number;
  callerIpAddress: string;
  correlationId: string;
  identity: Record<string, unknown>;
  level: "Critical" | "Error" | "Warning" | "Informational";
  location: string;
  properties: Record<string, unknown>;
};

/** What a simulation emits: legacy backup records, their resource-specific form (shape option), activity-log events. */
export type SimRecord = BackupReportRecord | ResourceSpecificRecord | ActivityLogRecord;

const TWO: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const DAY_MS = 86_400_000;
// Formatting dates is a large share of generation time: cache the date part of the last two days seen.
const dayCache: [number, string][] = [[NaN, ""], [NaN, ""]];

function formatUtc(ms: number, millis: boolean): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  let prefix: string;
  const [a, b] = dayCache as [[number, string], [number, string]];
  if (a[0] === day) prefix = a[1];
  else if (b[0] === day) prefix = b[1];
  else {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayCache[1] = a;
    dayCache[0] = [day, prefix];
  }
  let r = t - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  const time = prefix + (TWO[h] as string) + ":" + (TWO[m] as string) + ":" + (TWO[s] as string);
  return millis ? time + "." + (THREE[r - s * 1000] as string) + "Z" : time + "Z";
}

/** Azure's string dates in backup fields: second precision, UTC. */
export function azureDate(ms: number): string {
  return formatUtc(ms, false);
}

/** A record's `time`, as Date.prototype.toISOString prints it. */
export function isoTime(ms: number): string {
  return formatUtc(ms, true);
}

function report(vault: Vault, operationName: BackupOperationName, ms: number, managementType: string, fields: Record<string, string>): BackupReportRecord {
  return {
    time: isoTime(ms),
    resourceId: vault.armId,
    category: "AzureBackupReport",
    operationName,
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: managementType,
      VaultUniqueId: vault.uniqueId,
      ...fields,
    },
  };
}

const num = (n: number, digits = 0) => (digits === 0 ? String(Math.round(n)) : n.toFixed(digits));

export type JobFacts = {
  item: Item;
  jobId: string;
  operation: "Backup" | "Restore";
  subType?: "Full" | "Log" | "Recovery point_Log";
  status: "Completed" | "Failed" | "CompletedWithWarnings" | "Cancelled";
  failureCode: string;
  startMs: number;
  endMs: number;
  adHoc: boolean;
  destination: "Cloud" | "Disk";
  transferredMB: number;
  recovery?: { destination: string; rpMs: number; rpLocation: string };
};

export function jobRecord(vault: Vault, j: JobFacts): BackupReportRecord {
  // Written out in full rather than through report(): jobs are most of the volume.
  const properties: Record<string, string> = {
    EventName: "AzureBackupCentralReport",
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: j.item.managementType,
    VaultUniqueId: vault.uniqueId,
    BackupItemUniqueId: j.item.uniqueId,
    ProtectedContainerUniqueId: j.item.container.uniqueId,
    JobOperation: j.operation,
    JobStatus: j.status,
    JobFailureCode: j.failureCode || "Success",
    JobStartDateTime: azureDate(j.startMs),
    BackupStorageDestination: j.destination,
    AdHocOrScheduledJob: j.adHoc ? "Adhoc" : "Scheduled",
    JobDurationInSecs: String(Math.round((j.endMs - j.startMs) / 1000)),
    DataTransferredInMB: j.transferredMB.toFixed(2),
    JobUniqueId: j.jobId,
  };
  if (j.subType) properties.JobOperationSubType = j.subType;
  if (j.item.server) properties.BackupManagementServerUniqueId = j.item.server.uniqueId;
  if (j.recovery) {
    properties.RecoveryJobDestination = j.recovery.destination;
    properties.RecoveryJobRPDateTime = azureDate(j.recovery.rpMs);
    properties.RecoveryJobRPLocation = j.recovery.rpLocation;
  }
  return { time: isoTime(j.endMs), resourceId: vault.armId, category: "AzureBackupReport", operationName: "Job", properties };
}

export type AlertFacts = {
  item: Item;
  alertId: string;
  onPremises: boolean;
  type: "Backup" | "Restore";
  status: "Active" | "Resolved";
  severity: "Critical" | "Warning" | "Information";
  code: string;
  recommendedAction: string;
  raisedMs: number;
  resolvedMs?: number;
  consolidated: number;
};

export function alertRecord(vault: Vault, a: AlertFacts, atMs: number): BackupReportRecord {
  const fields: Record<string, string> = {
    // On-premises alerts carry a GUID (AlertUniqueId_g in Log Analytics); Azure workloads a string id.
    AlertUniqueId: a.alertId,
    AlertType: a.type,
    AlertStatus: a.status,
    AlertOccurrenceDateTime: azureDate(a.raisedMs),
    AlertSeverity: a.severity,
    AlertConsolidationStatus: a.consolidated > 1 ? "Consolidated" : "NotApplicable",
    CountOfAlertsConsolidated: String(a.consolidated),
    AlertRaisedOn: "BackupItem",
    AlertCode: a.code,
    RecommendedAction: a.recommendedAction,
    BackupItemUniqueId: a.item.uniqueId,
    ProtectedContainerUniqueId: a.item.container.uniqueId,
  };
  if (a.resolvedMs !== undefined) fields.AlertTimeToResolveInMinutes = num((a.resolvedMs - a.raisedMs) / 60_000);
  if (a.item.server) fields.BackupManagementServerUniqueId = a.item.server.uniqueId;
  return report(vault, "Alert", atMs, a.item.managementType, fields);
}

export type ItemSnapshot = {
  item: Item;
  sizeMB: number;
  consumedMB: number;
  latestRpMs?: number;
  oldestRpMs?: number;
};

/** Everything a vault pushes in its daily snapshot of entities. */
export function snapshotRecords(vault: Vault, ms: number, items: ItemSnapshot[]): BackupReportRecord[] {
  const out: BackupReportRecord[] = [];
  out.push(
    report(vault, "Vault", ms, "", {
      VaultName: vault.name,
      AzureDataCenter: vault.region,
      StorageReplicationType: vault.replication,
    }),
  );
  for (const s of vault.servers) out.push(serverRecord(vault, ms, s));
  for (const p of vault.policies) out.push(policyRecord(vault, ms, p));
  for (const c of vault.containers) out.push(containerRecord(vault, ms, c));

  const cloudStorageId = `${vault.uniqueId};cloud`;
  let totalConsumed = 0;
  for (const s of items) totalConsumed += s.consumedMB;
  out.push(
    report(vault, "Storage", ms, "", {
      StorageUniqueId: cloudStorageId,
      StorageType: "Cloud",
      StorageName: "Cloud",
      StorageTotalSizeInGBs: num(totalConsumed / 1024, 2),
      ProtectedInstances: String(items.length),
    }),
  );
  for (const server of vault.servers) {
    const own = items.filter((s) => s.item.server === server);
    const used = own.reduce((sum, s) => sum + s.sizeMB * 1.6, 0);
    out.push(
      report(vault, "Storage", ms, server.kind === "dpm" ? "DPM" : "AzureBackupServer", {
        StorageUniqueId: `${server.uniqueId};disk`,
        StorageType: "Disk",
        StorageName: `${server.name} storage pool`,
        StorageTotalSizeInGBs: num((used * 1.5) / 1024, 2),
        ProtectedInstances: String(own.length),
        BackupManagementServerUniqueId: server.uniqueId,
      }),
    );
  }

  for (const s of items) {
    const { item } = s;
    const mt = item.managementType;
    const serverId: Record<string, string> = item.server ? { BackupManagementServerUniqueId: item.server.uniqueId } : {};
    out.push(
      report(vault, "BackupItem", ms, mt, {
        BackupItemUniqueId: item.uniqueId,
        BackupItemName: item.name,
        BackupItemFriendlyName: item.friendlyName,
        BackupItemType: item.itemType,
        BackupItemProtectionState: "Protected",
        BackupItemAppVersion: item.appVersion,
        ProtectionState: s.latestRpMs === undefined ? "InitialBackupPending" : "Protected",
        ProtectionGroupName: item.protectionGroup,
        SecondaryBackupProtectionState: "NotApplicable",
      }),
      report(vault, "BackupItemAssociation", ms, mt, {
        BackupItemUniqueId: item.uniqueId,
        BackupItemSourceSize: num(s.sizeMB, 2),
        ProtectedContainerUniqueId: item.container.uniqueId,
        PolicyUniqueId: item.policy.uniqueId,
        ...serverId,
      }),
      report(vault, "PolicyAssociation", ms, mt, {
        PolicyUniqueId: item.policy.uniqueId,
        BackupItemUniqueId: item.uniqueId,
        ...serverId,
      }),
      report(vault, "StorageAssociation", ms, mt, {
        StorageUniqueId: cloudStorageId,
        BackupItemUniqueId: item.uniqueId,
        StorageConsumedInMBs: num(s.consumedMB, 2),
        StorageAllocatedInMBs: num(s.consumedMB * 1.1, 2),
        ...serverId,
      }),
      report(vault, "ProtectedInstance", ms, mt, {
        BackupItemUniqueId: item.uniqueId,
        ProtectedInstanceCount: "1",
      }),
    );
    if (s.latestRpMs !== undefined && s.oldestRpMs !== undefined) {
      const onAzure = item.kind === "vm" || item.kind === "afs";
      out.push(
        report(vault, "RecoveryPoint", ms, mt, {
          BackupItemUniqueId: item.uniqueId,
          OldestRecoveryPointTime: azureDate(s.oldestRpMs),
          OldestRecoveryPointLocation: "Vault",
          LatestRecoveryPointTime: azureDate(s.latestRpMs),
          LatestRecoveryPointLocation: onAzure ? "Snapshot and Vault" : "Vault",
        }),
      );
    }
  }
  return out;
}

function serverRecord(vault: Vault, ms: number, s: ManagementServer): BackupReportRecord {
  return report(vault, "BackupManagementServer", ms, s.kind === "dpm" ? "DPM" : "AzureBackupServer", {
    BackupManagementServerName: s.name,
    BackupManagementServerUniqueId: s.uniqueId,
    BackupManagementServerType: s.type,
    BackupManagementServerVersion: s.version,
    BackupManagementServerOSVersion: s.osVersion,
    AzureBackupAgentVersion: s.agentVersion,
  });
}

const weekday = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function policyRecord(vault: Vault, ms: number, p: Policy): BackupReportRecord {
  const fields: Record<string, string> = {
    PolicyUniqueId: p.uniqueId,
    PolicyName: p.name,
    BackupFrequency: "Daily",
    BackupTimes: p.backupTimes.map(hhmm).join(", "),
    BackupDaysOfTheWeek: "",
    RetentionDuration: String(p.dailyRetentionDays),
    RetentionType: "Days",
    DailyRetentionDuration: String(p.dailyRetentionDays),
    DailyRetentionTimes: p.backupTimes.map(hhmm).join(", "),
    WeeklyRetentionDuration: String(p.weeklyRetentionWeeks),
    WeeklyRetentionDaysOfTheWeek: weekday[0] as string,
    MonthlyRetentionDuration: String(p.monthlyRetentionMonths),
    MonthlyRetentionFormat: "Weekly",
    MonthlyRetentionDaysOfTheWeek: weekday[0] as string,
    MonthlyRetentionWeeksOfTheMonth: "First",
    YearlyRetentionDuration: String(p.yearlyRetentionYears),
    YearlyRetentionFormat: "Weekly",
    YearlyRetentionMonthsOfTheYear: "January",
  };
  if (p.logIntervalMinutes) {
    fields.LogBackupFrequency = String(p.logIntervalMinutes);
    fields.LogBackupRetentionDuration = "15";
    fields.DiffBackupFormat = "";
    fields.DiffBackupTime = "";
  }
  if (p.kind === "dpm" || p.kind === "mabs") fields.SynchronisationFrequencyPerDay = "24";
  const mt = { vm: "IaaSVM", sql: "AzureWorkload", mab: "MAB", dpm: "DPM", mabs: "AzureBackupServer", afs: "AzureStorage" }[p.kind];
  return report(vault, "Policy", ms, mt, fields);
}

function containerRecord(vault: Vault, ms: number, c: Container): BackupReportRecord {
  const mt = { vm: "IaaSVM", sql: "AzureWorkload", mab: "MAB", dpm: "DPM", mabs: "AzureBackupServer", afs: "AzureStorage" }[c.kind];
  const fields: Record<string, string> = {
    ProtectedContainerUniqueId: c.uniqueId,
    ProtectedContainerName: c.name,
    ProtectedContainerFriendlyName: c.friendlyName,
    ProtectedContainerOSType: c.osType,
    ProtectedContainerOSVersion: c.osVersion,
    ProtectedContainerWorkloadType: c.workloadType,
    ProtectedContainerLocation: c.location,
    ProtectedContainerType: c.type,
    ProtectedContainerProtectionState: "Protected",
    AgentVersion: c.agentVersion,
    EntityState: "Active",
  };
  if (c.server) fields.BackupManagementServerUniqueId = c.server.uniqueId;
  return report(vault, "ProtectedContainer", ms, mt, fields);
}
