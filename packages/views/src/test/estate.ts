/**
 * Test estates for the views: the simulator's records as they arrive in a legacy workspace (resource-log records →
 * AzureDiagnostics), the same facts as resource-specific table rows, and the views' expected numbers worked out
 * from the records themselves in plain TypeScript (never from a query's output).
 */
import type { BackupReportRecord } from "@vaultwatch/simulator";
import { generateEstate } from "@vaultwatch/simulator";

export const ON_PREMISES = new Set(["MAB", "DPM", "AzureBackupServer"]);
const DAY = 86_400_000;

export function simulatedRecords(seed: string, now: Date, days: number, vaults = 3): BackupReportRecord[] {
  const out: BackupReportRecord[] = [];
  for (const b of generateEstate({ seed, vaults, itemsPerKind: 1, days, now, activityLog: false })) {
    for (const r of b.records) if ("category" in r && r.category === "AzureBackupReport") out.push(r as BackupReportRecord);
  }
  return out;
}

const vaultNameOf = (armId: string) => armId.split("/").pop() ?? "";
const num = (s: string | undefined) => (s === undefined || s === "" ? null : Number(s));

/**
 * The same facts as rows of the resource-specific tables (column names of the Azure Monitor table reference,
 * typed): jobs, alerts, items (CoreAzureBackup) and storage. Legacy `ProtectionState` is what CoreAzureBackup
 * calls `BackupItemProtectionState`.
 */
export function resourceSpecificRows(records: BackupReportRecord[]): Record<string, Record<string, unknown>[]> {
  const tables: Record<string, Record<string, unknown>[]> = { AddonAzureBackupJobs: [], AddonAzureBackupAlerts: [], CoreAzureBackup: [], AddonAzureBackupStorage: [] };
  for (const r of records) {
    const p = r.properties;
    const common = {
      TimeGenerated: r.time,
      OperationName: r.operationName,
      SchemaVersion: "V2",
      State: p.State,
      BackupManagementType: p.BackupManagementType,
      ResourceId: r.resourceId,
      VaultUniqueId: p.VaultUniqueId,
    };
    const vault = { VaultName: vaultNameOf(r.resourceId) };
    if (r.operationName === "Job") {
      tables.AddonAzureBackupJobs!.push({
        ...common,
        ...vault,
        Category: "AddonAzureBackupJobs",
        BackupItemUniqueId: p.BackupItemUniqueId,
        JobOperation: p.JobOperation,
        JobOperationSubType: p.JobOperationSubType ?? "",
        AdHocOrScheduledJob: p.AdHocOrScheduledJob,
        JobStatus: p.JobStatus,
        JobFailureCode: p.JobFailureCode,
        JobStartDateTime: p.JobStartDateTime,
        JobDurationInSecs: num(p.JobDurationInSecs),
        DataTransferredInMB: num(p.DataTransferredInMB),
        JobUniqueId: p.JobUniqueId,
      });
    } else if (r.operationName === "Alert") {
      tables.AddonAzureBackupAlerts!.push({
        ...common,
        Category: "AddonAzureBackupAlerts",
        AlertUniqueId: p.AlertUniqueId,
        AlertType: p.AlertType,
        AlertCode: p.AlertCode,
        AlertSeverity: p.AlertSeverity,
        AlertStatus: p.AlertStatus,
        RecommendedAction: p.RecommendedAction,
        BackupItemUniqueId: p.BackupItemUniqueId,
      });
    } else if (r.operationName === "BackupItem") {
      tables.CoreAzureBackup!.push({
        ...common,
        ...vault,
        Category: "CoreAzureBackup",
        BackupItemUniqueId: p.BackupItemUniqueId,
        BackupItemFriendlyName: p.BackupItemFriendlyName,
        BackupItemType: p.BackupItemType,
        BackupItemProtectionState: p.ProtectionState,
      });
    } else if (r.operationName === "Storage" || r.operationName === "StorageAssociation") {
      tables.AddonAzureBackupStorage!.push({
        ...common,
        Category: "AddonAzureBackupStorage",
        StorageUniqueId: p.StorageUniqueId,
        StorageType: p.StorageType ?? "",
        BackupItemUniqueId: p.BackupItemUniqueId ?? "",
        StorageConsumedInMBs: num(p.StorageConsumedInMBs),
      });
    }
  }
  return tables;
}

// ── expected numbers ────────────────────────────────────────────────────────────────────────────────────────────
const dayOf = (time: string) => new Date(Math.floor(Date.parse(time) / DAY) * DAY).toISOString().replace(".000Z", "Z");
const inWindow = (time: string, w: { start: Date; end: Date }) => Date.parse(time) >= w.start.getTime() && Date.parse(time) < w.end.getTime();

function tally(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Backup jobs per day, status and kind (the seed's log backups apart; ad hoc apart from scheduled). */
export function expectedBackupJobs(records: BackupReportRecord[], w: { start: Date; end: Date }): Map<string, number> {
  return tally(
    records
      .filter((r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && inWindow(r.time, w))
      .map((r) => {
        const p = r.properties;
        const kind = p.JobOperationSubType === "Log" ? "Log" : p.AdHocOrScheduledJob === "Adhoc" ? "AdHoc" : "Scheduled";
        return `${dayOf(r.time)}|${p.JobStatus}|${kind}`;
      }),
  );
}

export function expectedRestoreJobs(records: BackupReportRecord[], w: { start: Date; end: Date }): Map<string, number> {
  return tally(records.filter((r) => r.operationName === "Job" && r.properties.JobOperation === "Restore" && inWindow(r.time, w)).map((r) => `${dayOf(r.time)}|${r.properties.JobStatus}`));
}

/** Alerts by the day first seen in the window, severity and latest status. */
export function expectedAlerts(records: BackupReportRecord[], w: { start: Date; end: Date }, onPremises: boolean): Map<string, number> {
  const byId = new Map<string, BackupReportRecord[]>();
  for (const r of records) {
    if (r.operationName !== "Alert" || !inWindow(r.time, w) || ON_PREMISES.has(r.properties.BackupManagementType ?? "") !== onPremises) continue;
    const id = r.properties.AlertUniqueId!;
    byId.set(id, [...(byId.get(id) ?? []), r]);
  }
  return tally(
    [...byId.values()].map((rs) => {
      const sorted = [...rs].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      const last = sorted[sorted.length - 1]!;
      return `${dayOf(sorted[0]!.time)}|${last.properties.AlertSeverity}|${last.properties.AlertStatus}`;
    }),
  );
}

/** Items per day, workload and protection state (each item's last snapshot of the day). */
export function expectedDatasources(records: BackupReportRecord[], w: { start: Date; end: Date }): Map<string, number> {
  const last = new Map<string, BackupReportRecord>();
  for (const r of records) {
    if (r.operationName !== "BackupItem" || !inWindow(r.time, w)) continue;
    const key = `${r.properties.BackupItemUniqueId}|${dayOf(r.time)}`;
    const seen = last.get(key);
    if (!seen || Date.parse(seen.time) < Date.parse(r.time)) last.set(key, r);
  }
  return tally([...last.values()].map((r) => `${dayOf(r.time)}|${r.properties.BackupManagementType}|${r.properties.ProtectionState}`));
}

/** GB of cloud storage per day and vault: each item's last reading of the day, summed. */
export function expectedCloudStorage(records: BackupReportRecord[], w: { start: Date; end: Date }, vaultOf: (r: BackupReportRecord) => string): Map<string, number> {
  const cloud = new Set(records.filter((r) => r.operationName === "Storage" && r.properties.StorageType === "Cloud").map((r) => r.properties.StorageUniqueId));
  const last = new Map<string, BackupReportRecord>();
  for (const r of records) {
    if (r.operationName !== "StorageAssociation" || !inWindow(r.time, w) || !cloud.has(r.properties.StorageUniqueId)) continue;
    const key = `${r.properties.BackupItemUniqueId}|${vaultOf(r)}|${dayOf(r.time)}`;
    const seen = last.get(key);
    if (!seen || Date.parse(seen.time) < Date.parse(r.time)) last.set(key, r);
  }
  const gb = new Map<string, number>();
  for (const r of last.values()) {
    const key = `${dayOf(r.time)}|${vaultOf(r)}`;
    gb.set(key, (gb.get(key) ?? 0) + Number(r.properties.StorageConsumedInMBs) / 1024);
  }
  return gb;
}

export const legacyVault = (r: BackupReportRecord) => vaultNameOf(r.resourceId).toUpperCase();
export const plainVault = (r: BackupReportRecord) => vaultNameOf(r.resourceId);
