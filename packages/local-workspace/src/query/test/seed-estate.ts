/**
 * A hand-built estate and the seed article's five sample queries, verbatim. Expected rows per query are written next
 * to each job row (worked out by hand): shared by the engine, the Log Analytics API and the CLI tests.
 */
import type { KustoType } from "@vaultwatch/schemas";
export const VAULT = "/SUBSCRIPTIONS/0F4D1C2B-9E8A-4B7C-8D6E-5F4A3B2C1D0E/RESOURCEGROUPS/RG-BACKUP/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-CONTOSO";
const base = (time: string) => ({
  TimeGenerated: time,
  ResourceId: VAULT,
  SubscriptionId: "0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e",
  ResourceGroup: "RG-BACKUP",
  ResourceProvider: "MICROSOFT.RECOVERYSERVICES",
  ResourceType: "VAULTS",
  Resource: "RSV-CONTOSO",
  Category: "AzureBackupReport",
  SourceSystem: "Azure",
  EventName_s: "AzureBackupCentralReport",
  SchemaVersion_s: "V2",
  State_s: "Active",
});
const item = (time: string, id: string, name: string, type: string, mgmt: string, schema = "V2") => ({
  ...base(time),
  OperationName: "BackupItem",
  SchemaVersion_s: schema,
  BackupItemUniqueId_s: id,
  BackupItemFriendlyName_s: name,
  BackupItemType_s: type,
  BackupManagementType_s: mgmt,
});
let jobN = 0;
const job = (id: string, mgmt: string, op: string, status: string, extra: Record<string, unknown> = {}) => {
  jobN += 1;
  return {
    ...base(`2026-11-20T0${jobN % 10}:00:00Z`),
    OperationName: "Job",
    BackupItemUniqueId_s: id,
    BackupManagementType_s: mgmt,
    JobOperation_s: op,
    JobStatus_s: status,
    JobUniqueId_g: `00000000-0000-4000-8000-0000000000${String(jobN).padStart(2, "0")}`,
    JobDurationInSecs_s: String(60 * jobN),
    ...extra,
  };
};

export const seedRows = [
  // two daily snapshots of the VM item (distinct must fold them) and a V1 copy (ignored by SchemaVersion_s == "V2")
  item("2026-11-19T00:00:00Z", "vm-1", "vm-web-01", "VM", "IaaSVM"),
  item("2026-11-20T00:00:00Z", "vm-1", "vm-web-01", "VM", "IaaSVM"),
  item("2026-11-20T00:00:00Z", "vm-1", "vm-web-01-v1", "VM", "IaaSVM", "V1"),
  item("2026-11-20T00:00:00Z", "sql-1", "db-orders", "SQLDataBase", "AzureWorkload"),
  item("2026-11-20T00:00:00Z", "mab-1", "C:\\Data", "FileFolder", "MAB"),
  job("vm-1", "IaaSVM", "Backup", "Completed"), // 01: Q1, Q3
  job("vm-1", "IaaSVM", "Backup", "Failed", { JobFailureCode_s: "UserErrorVmNotFound" }), // 02: Q2
  job("sql-1", "AzureWorkload", "Backup", "Completed", { JobOperationSubType_s: "Log" }), // 03: Q1, Q4
  job("sql-1", "AzureWorkload", "Backup", "Completed", { JobOperationSubType_s: "Full" }), // 04: Q1 (not a VM/MAB item)
  job("mab-1", "MAB", "Backup", "Completed"), // 05: Q1, Q5
  job("vm-1", "IaaSVM", "Restore", "Completed"), // 06: none (a restore)
  job("vm-1", "IaaSVM", "Backup", "Completed", { SchemaVersion_s: "V1" }), // 07: none (V1)
  job("mab-1", "MAB", "Backup", "Failed", { JobFailureCode_s: "UserErrorSourceNotFound" }), // 08: Q2
  job("vm-1", "IaaSVM", "Backup", "CompletedWithWarnings"), // 09: none
  job("sql-1", "AzureWorkload", "Backup", "Completed", { JobOperationSubType_s: "Recovery point_Log" }), // 10: Q1 only
  { ...job("vm-1", "IaaSVM", "Backup", "Completed"), Category: "SomethingElse" }, // 11: none (other category)
  job("vm-1", "IaaSVM", "backup", "completed"), // 12: none (== is case-sensitive)
];
export const jobIds = (ns: number[]) => ns.map((n) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`).sort();

export const seedQueries = {
  successful: `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Completed"`,
  failed: `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Failed"`,
  vm: joinQuery(`| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s != "Log" and JobOperationSubType_s != "Recovery point_Log"`, `BackupItemType_s == "VM" and BackupManagementType_s == "IaaSVM"`),
  sqlLog: joinQuery(`| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s == "Log"`, `BackupItemType_s == "SQLDataBase" and BackupManagementType_s == "AzureWorkload"`),
  mab: joinQuery(`| where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Completed" and JobOperationSubType_s != "Log" and JobOperationSubType_s != "Recovery point_Log"`, `BackupItemType_s == "FileFolder" and BackupManagementType_s == "MAB"`),
};

function joinQuery(jobFilter: string, itemFilter: string) {
  return `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| extend JobOperationSubType_s = columnifexists("JobOperationSubType_s", "")
${jobFilter}
| join kind=inner
(
    AzureDiagnostics
    | where Category == "AzureBackupReport"
    | where OperationName == "BackupItem"
    | where SchemaVersion_s == "V2"
    | where ${itemFilter}
    | distinct BackupItemUniqueId_s, BackupItemFriendlyName_s
    | project BackupItemUniqueId_s , BackupItemFriendlyName_s
)
on BackupItemUniqueId_s
| extend Vault= Resource
| project-away Resource`;
}


/** Which job rows (by number) each seed query returns. */
export const seedExpected: Record<keyof typeof seedQueries, number[]> = {
  successful: [1, 3, 4, 5, 10],
  failed: [2, 8],
  vm: [1],
  sqlLog: [3],
  mab: [5],
};

/** AzureDiagnostics column types by Log Analytics' suffix rule, for fixtures. */
export function diagnosticsTypes(rows: Record<string, unknown>[]): Record<string, KustoType> {
  const types: Record<string, KustoType> = {};
  const bySuffix: Record<string, KustoType> = { _s: "string", _g: "guid", _d: "real", _b: "bool", _t: "datetime" };
  for (const row of rows) {
    for (const k of Object.keys(row)) {
      types[k] = k === "TimeGenerated" ? "datetime" : (bySuffix[k.slice(-2)] ?? "string");
    }
  }
  return types;
}
