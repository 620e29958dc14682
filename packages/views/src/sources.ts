/**
 * Where each kind of Azure Backup record lives, in both shapes a workspace may hold (AZURE-REFERENCE §1.1):
 * - legacy: `AzureDiagnostics` rows with `Category == "AzureBackupReport"`, one `OperationName` per record kind, every
 *   field a `_s` string (numbers converted with todouble), V2 schema only (V1 is still sent for VM and agent backups);
 * - resourceSpecific: the typed `CoreAzureBackup` / `AddonAzureBackup*` tables.
 * Each source ends in a `project` to the same column names, so a view's body is written once and reads the same in
 * both shapes; the text stays plain KQL a user can open in Logs and edit.
 *
 * Columns that exist only once some row has filled them (AzureDiagnostics is open-schema): `JobOperationSubType_s` is
 * wrapped in `columnifexists` as in the seed's own queries (a workspace with only VM backups never gets it); the
 * rest belong to every record of their kind, so a workspace missing them has no record of that kind ("no data yet").
 *
 * One record, one count (dedupe.ts): a vault may send both shapes at once (a migration, or Vaultwatch's own "Fix
 * diagnostics", which adds the resource-specific categories to a setting that keeps the legacy one). The
 * resource-specific shape wins wherever it holds the record: the legacy jobs source leaves out the jobs whose id the
 * jobs table holds, and the views that keep an entity's latest state (items, storage, alerts) leave out, after their
 * own summarize, the entities the other shape reports in the same bucket. Records are matched by their own ids, not
 * by vault, so a vault that moved inside the range keeps its legacy-only days, a vault sending only some of the
 * resource-specific categories keeps the others from AzureDiagnostics, and neither shape's lag matters. `Vault` is
 * the name as the shape writes it (AzureDiagnostics upper-cases it); views show it lower-cased (`vaultShown`) so both
 * shapes read alike.
 */
import { everything, type Held } from "./dedupe";

export const shapes = ["legacy", "resourceSpecific"] as const;
export type Shape = (typeof shapes)[number];

/** Workloads Azure Backup protects outside Azure: the agent (MARS), DPM and MABS. */
export const onPremisesManagementTypes = ["MAB", "DPM", "AzureBackupServer"] as const;
const onPremList = onPremisesManagementTypes.map((t) => `"${t}"`).join(", ");

const legacy = (operation: string, more = "") =>
  `AzureDiagnostics\n| where Category == "AzureBackupReport" and SchemaVersion_s == "V2" and OperationName == "${operation}"${more}`;

const legacyJobColumns = `TimeGenerated, Vault = Resource, BackupItemUniqueId = BackupItemUniqueId_s, BackupManagementType = BackupManagementType_s, JobOperation = JobOperation_s, JobOperationSubType = columnifexists("JobOperationSubType_s", ""), AdHocOrScheduledJob = AdHocOrScheduledJob_s, JobStatus = JobStatus_s, JobFailureCode = JobFailureCode_s, JobDurationInSecs = todouble(JobDurationInSecs_s), DataTransferredInMB = todouble(DataTransferredInMB_s), JobUniqueId = tostring(JobUniqueId_g)`;

/**
 * Backup and restore jobs: one row per finished job. Where the workspace's jobs table has rows (`held`, dedupe.ts),
 * the legacy source leaves out the jobs that table holds, by JobUniqueId (a GUID, which tostring() writes in lower
 * case); elsewhere it reads AzureDiagnostics alone, as fast as before.
 */
/** The items with a completed backup job in the last 24 hours: the Overview's "without a successful backup" counts the rest. */
export const succeededIn24h = (jobs: string) => `${jobs}
| where JobOperation == "Backup" and TimeGenerated > ago(1d) and JobStatus in ("Completed", "CompletedWithWarnings")
| distinct BackupItemUniqueId`;

export function jobsSource(shape: Shape, held: Held = everything): string {
  if (shape === "resourceSpecific") {
    // Microsoft's resource-specific samples keep a job's latest record (a job may be reported more than once)
    return `AddonAzureBackupJobs
| summarize arg_max(TimeGenerated, *) by JobUniqueId
| project TimeGenerated, Vault = VaultName, BackupItemUniqueId, BackupManagementType, JobOperation, JobOperationSubType, AdHocOrScheduledJob, JobStatus, JobFailureCode, JobDurationInSecs, DataTransferredInMB, JobUniqueId`;
  }
  const unlessSpecific = held.has("AddonAzureBackupJobs")
    ? `
| extend JobKey = tostring(JobUniqueId_g)
| join kind=leftanti (union isfuzzy=true (datatable(JobKey: string) []), (AddonAzureBackupJobs | summarize by JobKey = tolower(JobUniqueId))) on JobKey`
    : "";
  return `${legacy("Job")}${unlessSpecific}
| project ${legacyJobColumns}`;
}

/** Azure Backup's built-in alerts, one row per state change; `onPremises` picks the agent / DPM / MABS ones. */
export function alertsSource(shape: Shape, onPremises: boolean): string {
  const where = (column: string) => `${column} ${onPremises ? "in" : "!in"} (${onPremList})`;
  if (shape === "legacy") {
    // on-premises alerts carry a GUID id (AlertUniqueId_g), Azure workloads' a string one (AlertUniqueId_s)
    const id = onPremises ? "tostring(AlertUniqueId_g)" : "AlertUniqueId_s";
    return `${legacy("Alert", ` and ${where("BackupManagementType_s")}`)}
| project TimeGenerated, Vault = Resource, AlertUniqueId = ${id}, BackupItemUniqueId = BackupItemUniqueId_s, BackupManagementType = BackupManagementType_s, AlertType = AlertType_s, AlertCode = AlertCode_s, AlertSeverity = AlertSeverity_s, AlertStatus = AlertStatus_s, RecommendedAction = RecommendedAction_s`;
  }
  // the alerts table has no VaultName: the vault is the last segment of its resource id
  return `AddonAzureBackupAlerts
| where ${where("BackupManagementType")}
| project TimeGenerated, Vault = extract("[^/]+$", 0, _ResourceId), AlertUniqueId, BackupItemUniqueId, BackupManagementType, AlertType, AlertCode, AlertSeverity, AlertStatus, RecommendedAction`;
}

/** The daily snapshot of each protected item (datasource). */
export const itemsSource: Record<Shape, string> = {
  legacy: `${legacy("BackupItem", ` and State_s != "Deleted"`)}
| project TimeGenerated, Vault = Resource, BackupItemUniqueId = BackupItemUniqueId_s, BackupItemFriendlyName = BackupItemFriendlyName_s, BackupItemType = BackupItemType_s, BackupManagementType = BackupManagementType_s, ProtectionState = ProtectionState_s`,
  resourceSpecific: `CoreAzureBackup
| where OperationName == "BackupItem" and State != "Deleted"
| project TimeGenerated, Vault = VaultName, BackupItemUniqueId, BackupItemFriendlyName, BackupItemType, BackupManagementType, ProtectionState = BackupItemProtectionState`,
};

/** The name and type of each item, for lists of jobs and alerts (their records carry only the item's id). */
export const itemNames: Record<Shape, string> = {
  legacy: `${legacy("BackupItem")}
| summarize arg_max(TimeGenerated, BackupItemFriendlyName_s, BackupItemType_s) by BackupItemUniqueId_s
| project BackupItemUniqueId = BackupItemUniqueId_s, BackupItemFriendlyName = BackupItemFriendlyName_s, BackupItemType = BackupItemType_s`,
  resourceSpecific: `CoreAzureBackup
| where OperationName == "BackupItem"
| summarize arg_max(TimeGenerated, BackupItemFriendlyName, BackupItemType) by BackupItemUniqueId
| project BackupItemUniqueId, BackupItemFriendlyName, BackupItemType`,
};

/** Storage each item consumes in its vault's cloud storage (associations to Disk storage of DPM / MABS left out). */
export const cloudStorageSource: Record<Shape, string> = {
  legacy: `${legacy("StorageAssociation")}
| where StorageUniqueId_s in ((${legacy("Storage", ` and StorageType_s == "Cloud"`).replace(/\n/g, " ")} | project StorageUniqueId_s))
| project TimeGenerated, Vault = Resource, BackupItemUniqueId = BackupItemUniqueId_s, BackupManagementType = BackupManagementType_s, StorageConsumedInMBs = todouble(StorageConsumedInMBs_s)`,
  resourceSpecific: `AddonAzureBackupStorage
| where OperationName == "StorageAssociation"
| where StorageUniqueId in ((AddonAzureBackupStorage | where OperationName == "Storage" and StorageType == "Cloud" | project StorageUniqueId))
| project TimeGenerated, Vault = extract("[^/]+$", 0, _ResourceId), BackupItemUniqueId, BackupManagementType, StorageConsumedInMBs`,
};

/** A vault's name as views show it: lower case in both shapes (AzureDiagnostics upper-cases it, VaultName does not). */
export const vaultShown = "Vault = tolower(Vault)";

