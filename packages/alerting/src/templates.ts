import type { LogRuleInput } from "@vaultwatch/schemas";

/** A ready-made log rule: everything but the workspaces, which the user picks when creating it. */
export type RuleTemplate = {
  id: string;
  name: string;
  description: string;
  /** A constant KQL text; the user may edit it after creating the rule. */
  query: string;
  /**
   * Which tables it reads: `AzureDiagnostics` (a vault's diagnostic setting sending the legacy AzureBackupReport
   * category) or the resource-specific tables (CoreAzureBackup, AddonAzureBackup*: Azure's current recommendation).
   */
  shape: "legacy" | "resourceSpecific";
  defaults: Omit<LogRuleInput, "name" | "description" | "query" | "workspaceIds">;
};

// ------------------------------------------------------------ the seed's five sample queries, verbatim

const seedSuccessfulBackups = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Completed"`;

const seedFailedBackups = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Failed"`;

const seedSuccessfulVmBackups = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| extend JobOperationSubType_s = columnifexists("JobOperationSubType_s", "")
| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s != "Log" and JobOperationSubType_s != "Recovery point_Log"
| join kind=inner
(
    AzureDiagnostics
    | where Category == "AzureBackupReport"
    | where OperationName == "BackupItem"
    | where SchemaVersion_s == "V2"
    | where BackupItemType_s == "VM" and BackupManagementType_s == "IaaSVM"
    | distinct BackupItemUniqueId_s, BackupItemFriendlyName_s
    | project BackupItemUniqueId_s , BackupItemFriendlyName_s
)
on BackupItemUniqueId_s
| extend Vault= Resource
| project-away Resource`;

const seedSuccessfulSqlLogBackups = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| extend JobOperationSubType_s = columnifexists("JobOperationSubType_s", "")
| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s == "Log"
| join kind=inner
(
    AzureDiagnostics
    | where Category == "AzureBackupReport"
    | where OperationName == "BackupItem"
    | where SchemaVersion_s == "V2"
    | where BackupItemType_s == "SQLDataBase" and BackupManagementType_s == "AzureWorkload"
    | distinct BackupItemUniqueId_s, BackupItemFriendlyName_s
    | project BackupItemUniqueId_s , BackupItemFriendlyName_s
)
on BackupItemUniqueId_s
| extend Vault= Resource
| project-away Resource`;

const seedSuccessfulMabBackups = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| extend JobOperationSubType_s = columnifexists("JobOperationSubType_s", "")
| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s != "Log" and JobOperationSubType_s != "Recovery point_Log"
| join kind=inner
(
    AzureDiagnostics
    | where Category == "AzureBackupReport"
    | where OperationName == "BackupItem"
    | where SchemaVersion_s == "V2"
    | where BackupItemType_s == "FileFolder" and BackupManagementType_s == "MAB"
    | distinct BackupItemUniqueId_s, BackupItemFriendlyName_s
    | project BackupItemUniqueId_s , BackupItemFriendlyName_s
)
on BackupItemUniqueId_s
| extend Vault= Resource
| project-away Resource`;

// ------------------------------------------------------------ Vaultwatch's own

const failedBackupsByItem = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Failed"
| project TimeGenerated, Resource, BackupItemUniqueId_s, JobUniqueId_g, JobFailureCode_s, JobStartDateTime_s, BackupManagementType_s`;

// older templates call a restore "Recovery"
const failedRestores = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s in ("Restore", "Recovery")
| where JobStatus_s == "Failed"
| project TimeGenerated, Resource, BackupItemUniqueId_s, JobUniqueId_g, JobFailureCode_s, JobStartDateTime_s, RecoveryJobDestination_s`;

// Azure resources carry AlertUniqueId_s, on-premises ones AlertUniqueId_g: either column may be absent.
// The guid column's default must be a guid (`guid(null)`, which reads as "" through tostring).
const activeCriticalAlerts = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Alert"
| extend AlertKey = iff(isnotempty(tostring(columnifexists("AlertUniqueId_s", ""))), tostring(columnifexists("AlertUniqueId_s", "")), tostring(columnifexists("AlertUniqueId_g", guid(null))))
| summarize arg_max(TimeGenerated, AlertStatus_s, AlertSeverity_s, AlertType_s, AlertCode_s, BackupItemUniqueId_s, Resource) by AlertKey
| where AlertStatus_s == "Active" and AlertSeverity_s == "Critical"`;

// Silence: items still Protected by their latest BackupItem record and no successful backup job since.
const noSuccessfulBackup = `let lookback = 24h;
let protectedItems = AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "BackupItem"
| summarize arg_max(TimeGenerated, ProtectionState_s, BackupItemFriendlyName_s, BackupItemType_s, Resource) by BackupItemUniqueId_s
| where ProtectionState_s == "Protected";
let recentSuccesses = AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s in ("Completed", "CompletedWithWarnings")
| where TimeGenerated > ago(lookback)
| distinct BackupItemUniqueId_s;
protectedItems
| join kind=leftanti recentSuccesses on BackupItemUniqueId_s
| project Resource, BackupItemUniqueId_s, BackupItemFriendlyName_s, BackupItemType_s, LastItemRecord = TimeGenerated`;

// One row when the workspace has been silent, none when it is fine: a silent workspace fires instead of looking healthy.
// (summarize without `by` yields one row even over no input.)
const workspaceBlind = `let silentFor = 6h;
AzureDiagnostics
| where Category == "AzureBackupReport"
| summarize RecentRecords = countif(TimeGenerated > ago(silentFor)), LastRecord = max(TimeGenerated)
| where RecentRecords == 0
| extend SilentFor = silentFor`;

// ------------------------------------------------------------ the same, over the resource-specific tables
// Typed columns without suffixes; the vault's name is a column of its own. Each asks the same question of the same
// records as its AzureDiagnostics twin above.

// The seed's samples: every record of AddonAzureBackupJobs is a job of the V2 schema, so the Category, SchemaVersion
// and OperationName filters have nothing left to do. The job table has no item type: as in the seed, a join to the
// items' CoreAzureBackup records picks the workload (the job's own, often empty, friendly name makes way for the item's).
const seedSuccessfulBackupsRs = `AddonAzureBackupJobs
| where JobOperation == "Backup"
| where JobStatus == "Completed"`;

const seedFailedBackupsRs = `AddonAzureBackupJobs
| where JobOperation == "Backup"
| where JobStatus == "Failed"`;

/** Completed backup jobs (`logs`: log backups only, or none of them) of the items of one type and management type. */
const completedJobsOfItemsRs = (logs: boolean, itemType: string, managementType: string) => `AddonAzureBackupJobs
| where JobOperation == "Backup" and JobStatus == "Completed" and ${
  logs ? `JobOperationSubType == "Log"` : `JobOperationSubType != "Log" and JobOperationSubType != "Recovery point_Log"`
}
| project-away BackupItemFriendlyName
| join kind=inner
(
    CoreAzureBackup
    | where OperationName == "BackupItem"
    | where BackupItemType == "${itemType}" and BackupManagementType == "${managementType}"
    | distinct BackupItemUniqueId, BackupItemFriendlyName
)
on BackupItemUniqueId`;

const seedSuccessfulVmBackupsRs = completedJobsOfItemsRs(false, "VM", "IaaSVM");
const seedSuccessfulSqlLogBackupsRs = completedJobsOfItemsRs(true, "SQLDataBase", "AzureWorkload");
const seedSuccessfulMabBackupsRs = completedJobsOfItemsRs(false, "FileFolder", "MAB");

const failedBackupsByItemRs = `AddonAzureBackupJobs
| where JobOperation == "Backup"
| where JobStatus == "Failed"
| project TimeGenerated, VaultName, BackupItemUniqueId, JobUniqueId, JobFailureCode, JobStartDateTime, BackupManagementType`;

const failedRestoresRs = `AddonAzureBackupJobs
| where JobOperation in ("Restore", "Recovery")
| where JobStatus == "Failed"
| project TimeGenerated, VaultName, BackupItemUniqueId, JobUniqueId, JobFailureCode, JobStartDateTime, RecoveryJobDestination`;

const activeCriticalAlertsRs = `AddonAzureBackupAlerts
| summarize arg_max(TimeGenerated, AlertStatus, AlertSeverity, AlertType, AlertCode, BackupItemUniqueId, ResourceId) by AlertUniqueId
| where AlertStatus == "Active" and AlertSeverity == "Critical"`;

const noSuccessfulBackupRs = `let lookback = 24h;
let protectedItems = CoreAzureBackup
| where OperationName == "BackupItem"
| summarize arg_max(TimeGenerated, BackupItemProtectionState, BackupItemFriendlyName, BackupItemType, VaultName) by BackupItemUniqueId
| where BackupItemProtectionState == "Protected";
let recentSuccesses = AddonAzureBackupJobs
| where JobOperation == "Backup"
| where JobStatus in ("Completed", "CompletedWithWarnings")
| where TimeGenerated > ago(lookback)
| distinct BackupItemUniqueId;
protectedItems
| join kind=leftanti recentSuccesses on BackupItemUniqueId
| project VaultName, BackupItemUniqueId, BackupItemFriendlyName, BackupItemType, LastItemRecord = TimeGenerated`;

// isfuzzy: a workspace that never received one of the tables still answers from the others (each leg keeps only
// TimeGenerated: the tables type some same-named columns differently)
const workspaceBlindRs = `let silentFor = 6h;
union isfuzzy=true
  (CoreAzureBackup | project TimeGenerated), (AddonAzureBackupJobs | project TimeGenerated),
  (AddonAzureBackupAlerts | project TimeGenerated), (AddonAzureBackupPolicy | project TimeGenerated),
  (AddonAzureBackupStorage | project TimeGenerated), (AddonAzureBackupProtectedInstance | project TimeGenerated)
| summarize RecentRecords = countif(TimeGenerated > ago(silentFor)), LastRecord = max(TimeGenerated)
| where RecentRecords == 0
| extend SilentFor = silentFor`;

const perJob = {
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  timeMode: "ingestion",
  measure: { kind: "count" },
  operator: "GreaterThan",
  threshold: 0,
  autoResolve: true,
} as const;

/**
 * The templates. Job queries (a job is an event) use ingestion mode: each job row is judged once, however late it
 * lands. Queries about a current state or an absence (latest alert state, items without a recent success, a silent
 * workspace) use event mode over a long window: they must see the whole period every time, not only new rows.
 *
 * Caveat for the seed's three join queries: in ingestion mode every table reference sees only newly ingested rows,
 * so the BackupItem side of the join (pushed about once a day) is usually empty and few jobs match. Prefer
 * "Failed backup jobs per item" style queries without a join, or event mode, until the engine can bound one side only.
 */
export const ruleTemplates: readonly RuleTemplate[] = [
  {
    id: "seed-successful-backups",
    name: "All successful backup jobs",
    description: "Every completed backup job (the seed's sample query).",
    query: seedSuccessfulBackups,
    shape: "legacy",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-failed-backups",
    name: "All failed backup jobs",
    description: "Every failed backup job (the seed's sample query).",
    query: seedFailedBackups,
    shape: "legacy",
    defaults: { ...perJob, severity: 1 },
  },
  {
    id: "seed-successful-vm-backups",
    name: "Successful Azure VM backup jobs",
    description: "Completed Azure VM backup jobs, with the item's friendly name (the seed's sample query).",
    query: seedSuccessfulVmBackups,
    shape: "legacy",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-successful-sql-log-backups",
    name: "Successful SQL log backup jobs",
    description: "Completed SQL-in-VM log backup jobs (the seed's sample query). Azure batches these every 6 hours.",
    query: seedSuccessfulSqlLogBackups,
    shape: "legacy",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-successful-mab-backups",
    name: "Successful MAB agent backup jobs",
    description: "Completed Azure Backup agent (MARS) jobs (the seed's sample query).",
    query: seedSuccessfulMabBackups,
    shape: "legacy",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "failed-backups-by-item",
    name: "Failed backup jobs per item",
    description: "One alert per backup item whose backup job failed; it resolves once the item stops failing.",
    query: failedBackupsByItem,
    shape: "legacy",
    defaults: { ...perJob, severity: 1, dimensions: ["Resource", "BackupItemUniqueId_s"] },
  },
  {
    id: "failed-restores",
    name: "Failed restores",
    description: "One alert per backup item whose restore job failed.",
    query: failedRestores,
    shape: "legacy",
    defaults: { ...perJob, severity: 1, dimensions: ["Resource", "BackupItemUniqueId_s"] },
  },
  {
    id: "active-critical-backup-alerts",
    name: "Active critical Azure Backup alerts",
    description: "Azure Backup's own critical alerts whose latest state is Active; each resolves when Azure resolves it.",
    query: activeCriticalAlerts,
    shape: "legacy",
    defaults: {
      ...perJob,
      evaluationFrequency: "PT15M",
      windowSize: "P2D",
      timeMode: "event",
      severity: 0,
      dimensions: ["Resource", "AlertKey"],
    },
  },
  {
    id: "no-successful-backup",
    name: "Datasource with no successful backup in 24 hours",
    description:
      "One alert per protected item with no completed backup job in the last 24 hours (edit `lookback` to change N). Catches backups that simply did not run.",
    query: noSuccessfulBackup,
    shape: "legacy",
    defaults: {
      ...perJob,
      evaluationFrequency: "PT1H",
      windowSize: "P2D",
      timeMode: "event",
      severity: 1,
      dimensions: ["Resource", "BackupItemUniqueId_s"],
    },
  },
  {
    id: "workspace-blind",
    name: "Workspace blind: no backup data for 6 hours",
    description:
      "Fires when the workspace has received no AzureBackupReport records for 6 hours (edit `silentFor`): diagnostics broken, vaults unlinked or ingestion stopped.",
    query: workspaceBlind,
    shape: "legacy",
    defaults: { ...perJob, evaluationFrequency: "PT30M", windowSize: "P2D", timeMode: "event", severity: 1 },
  },
  {
    id: "seed-successful-backups-rs",
    name: "All successful backup jobs (resource-specific tables)",
    description: "Every completed backup job, from AddonAzureBackupJobs (the seed's sample query).",
    query: seedSuccessfulBackupsRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-failed-backups-rs",
    name: "All failed backup jobs (resource-specific tables)",
    description: "Every failed backup job, from AddonAzureBackupJobs (the seed's sample query).",
    query: seedFailedBackupsRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 1 },
  },
  {
    id: "seed-successful-vm-backups-rs",
    name: "Successful Azure VM backup jobs (resource-specific tables)",
    description: "Completed Azure VM backup jobs, with the item's friendly name from CoreAzureBackup (the seed's sample query).",
    query: seedSuccessfulVmBackupsRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-successful-sql-log-backups-rs",
    name: "Successful SQL log backup jobs (resource-specific tables)",
    description: "Completed SQL-in-VM log backup jobs, from AddonAzureBackupJobs (the seed's sample query). Azure batches these every 6 hours.",
    query: seedSuccessfulSqlLogBackupsRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "seed-successful-mab-backups-rs",
    name: "Successful MAB agent backup jobs (resource-specific tables)",
    description: "Completed Azure Backup agent (MARS) jobs, from AddonAzureBackupJobs (the seed's sample query).",
    query: seedSuccessfulMabBackupsRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 4 },
  },
  {
    id: "failed-backups-by-item-rs",
    name: "Failed backup jobs per item (resource-specific tables)",
    description: "One alert per backup item whose backup job failed, from AddonAzureBackupJobs; it resolves once the item stops failing.",
    query: failedBackupsByItemRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 1, dimensions: ["VaultName", "BackupItemUniqueId"] },
  },
  {
    id: "failed-restores-rs",
    name: "Failed restores (resource-specific tables)",
    description: "One alert per backup item whose restore job failed, from AddonAzureBackupJobs.",
    query: failedRestoresRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, severity: 1, dimensions: ["VaultName", "BackupItemUniqueId"] },
  },
  {
    id: "active-critical-backup-alerts-rs",
    name: "Active critical Azure Backup alerts (resource-specific tables)",
    description: "Azure Backup's own critical alerts whose latest state is Active, from AddonAzureBackupAlerts; each resolves when Azure resolves it.",
    query: activeCriticalAlertsRs,
    shape: "resourceSpecific",
    defaults: {
      ...perJob,
      evaluationFrequency: "PT15M",
      windowSize: "P2D",
      timeMode: "event",
      severity: 0,
      dimensions: ["ResourceId", "AlertUniqueId"],
    },
  },
  {
    id: "no-successful-backup-rs",
    name: "Datasource with no successful backup in 24 hours (resource-specific tables)",
    description:
      "One alert per protected item (CoreAzureBackup) with no completed backup job (AddonAzureBackupJobs) in the last 24 hours (edit `lookback` to change N).",
    query: noSuccessfulBackupRs,
    shape: "resourceSpecific",
    defaults: {
      ...perJob,
      evaluationFrequency: "PT1H",
      windowSize: "P2D",
      timeMode: "event",
      severity: 1,
      dimensions: ["VaultName", "BackupItemUniqueId"],
    },
  },
  {
    id: "workspace-blind-rs",
    name: "Workspace blind: no backup data for 6 hours (resource-specific tables)",
    description: "Fires when none of the resource-specific backup tables has received a record for 6 hours (edit `silentFor`).",
    query: workspaceBlindRs,
    shape: "resourceSpecific",
    defaults: { ...perJob, evaluationFrequency: "PT30M", windowSize: "P2D", timeMode: "event", severity: 1 },
  },
];

export function findRuleTemplate(id: string): RuleTemplate | undefined {
  return ruleTemplates.find((t) => t.id === id);
}

/** One click: a rule input from a template and the chosen workspaces, ready for `logRuleSchema`. */
export function ruleFromTemplate(template: RuleTemplate, workspaceIds: string[], overrides: Partial<LogRuleInput> = {}): LogRuleInput {
  return {
    name: template.name,
    description: template.description,
    query: template.query,
    workspaceIds,
    ...template.defaults,
    ...(template.defaults.dimensions ? { dimensions: [...template.defaults.dimensions] } : {}),
    ...overrides,
  };
}
