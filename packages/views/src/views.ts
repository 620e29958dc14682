/**
 * The seed's six views (the Azure Backup monitoring solution's tiles), their KQL in one place: each view's chart, its
 * first drill-down (the slice a user clicked → the items in it) and, shared by all, one item's job history. Every
 * query is built for one shape (sources.ts) and one bin size; the time range is not in the text but is the query's
 * window (Log Analytics' `timespan`, the local engine's TimeGenerated restriction), as in the portal, where the query
 * and the time picker are apart. So the text of a chart is the same for every range (the local engine compiles it
 * once) and opens in Logs as the user would write it.
 */
import { z } from "zod";
import { binSizes, kqlDatetime, kqlString, type BinSize } from "./kql-literals";
import { bucketKey, everything, itemKey, legacyAlerts, unlessSpecific, type DedupeKey, type Held } from "./dedupe";
import { alertsSource, cloudStorageSource, itemNames, itemsSource, jobsSource, succeededIn24h, vaultShown, type Shape } from "./sources";

export const viewIds = ["backupJobs", "restoreJobs", "azureAlerts", "onPremisesAlerts", "datasources", "cloudStorage"] as const;
export type ViewId = (typeof viewIds)[number];

/** A value of the chart a user clicked (a status, a severity, a vault): text from the data itself, bounded. */
const sliceValue = z
  .string()
  .max(200)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "may not hold control characters");

/** One bar / point of a chart: a bucket (its start) and, optionally, one series' values. */
export const sliceSchema = z.object({
  bucketStart: z.date().optional(),
  status: sliceValue.optional(),
  kind: z.enum(["Scheduled", "Log", "AdHoc"]).optional(),
  severity: sliceValue.optional(),
  protectionState: sliceValue.optional(),
  managementType: sliceValue.optional(),
  vault: sliceValue.optional(),
  /** datasources only: just the items with no completed backup job in the last 24 hours (the Overview's count) */
  withoutSuccess: z.boolean().optional(),
});
export type Slice = z.infer<typeof sliceSchema>;

const time = z.string();
const text = z.string().nullable().transform((s) => s ?? "");
const count = z.number();
const real = z.number().nullable();

/** Scheduled (policy) backups, SQL log backups and ad hoc backups, apart: the seed splits log backups off. */
const jobKind = `JobKind = case(JobOperationSubType == "Log", "Log", AdHocOrScheduledJob =~ "Adhoc", "AdHoc", "Scheduled")`;

export const chartRowSchemas = {
  backupJobs: z.object({ TimeGenerated: time, JobStatus: text, JobKind: text, Jobs: count }),
  restoreJobs: z.object({ TimeGenerated: time, JobStatus: text, Jobs: count }),
  azureAlerts: z.object({ TimeGenerated: time, AlertSeverity: text, AlertStatus: text, Alerts: count }),
  onPremisesAlerts: z.object({ TimeGenerated: time, AlertSeverity: text, AlertStatus: text, Alerts: count }),
  datasources: z.object({ TimeGenerated: time, BackupManagementType: text, ProtectionState: text, Datasources: count }),
  cloudStorage: z.object({ TimeGenerated: time, Vault: text, StorageGB: real }),
} as const satisfies Record<ViewId, z.ZodType>;

/** The measure each chart sums when shapes or workspaces meet in one bucket and series. */
export const chartMeasure: Record<ViewId, string> = {
  backupJobs: "Jobs",
  restoreJobs: "Jobs",
  azureAlerts: "Alerts",
  onPremisesAlerts: "Alerts",
  datasources: "Datasources",
  cloudStorage: "StorageGB",
};

const jobItem = z.object({
  BackupItemUniqueId: text,
  Name: text,
  ItemType: text,
  Vault: text,
  BackupManagementType: text,
  Jobs: count,
  Failed: count,
  LastJobAt: time,
  LastStatus: text,
  LastFailureCode: text,
});
const alertItem = z.object({
  AlertUniqueId: text,
  RaisedAt: time,
  LastChangeAt: time,
  AlertSeverity: text,
  AlertStatus: text,
  AlertCode: text,
  AlertType: text,
  RecommendedAction: text,
  BackupItemUniqueId: text,
  Name: text,
  Vault: text,
  BackupManagementType: text,
});

export const itemRowSchemas = {
  backupJobs: jobItem,
  restoreJobs: jobItem,
  azureAlerts: alertItem,
  onPremisesAlerts: alertItem,
  datasources: z.object({
    BackupItemUniqueId: text,
    Name: text,
    ItemType: text,
    Vault: text,
    BackupManagementType: text,
    ProtectionState: text,
    LastSeenAt: time,
  }),
  cloudStorage: z.object({
    BackupItemUniqueId: text,
    Name: text,
    ItemType: text,
    Vault: text,
    BackupManagementType: text,
    StorageConsumedInMBs: real,
    At: time,
  }),
} as const satisfies Record<ViewId, z.ZodType>;

export type ChartRow<V extends ViewId> = z.output<(typeof chartRowSchemas)[V]>;
export type ItemRow<V extends ViewId> = z.output<(typeof itemRowSchemas)[V]>;

const eq = (column: string, value: string | undefined) => (value === undefined ? "" : `\n| where ${column} == ${kqlString(value)}`);
/** A vault's name in any letter case (the shapes write it differently; the chart shows it lower-cased). */
const eqVault = (value: string | undefined) => (value === undefined ? "" : `\n| where Vault =~ ${kqlString(value)}`);
/**
 * For the legacy shape only, where the workspace has rows in `table`: leaves out what the resource-specific query
 * `specific` reports for the same keys (dedupe.ts).
 */
const legacyUnless = (shape: Shape, held: Held, table: string, specific: string, keys: DedupeKey[]) =>
  shape === "legacy" && held.has(table) ? unlessSpecific(specific, keys) : "";
const alertKey: DedupeKey = { name: "AlertKey", legacy: "tolower(AlertUniqueId)", specific: "tolower(AlertUniqueId)", type: "string" };
const bucket = (column: string, slice: Slice, binMs: number) =>
  slice.bucketStart
    ? `\n| where ${column} >= ${kqlDatetime(slice.bucketStart)} and ${column} < ${kqlDatetime(new Date(slice.bucketStart.getTime() + binMs))}`
    : "";
const names = (shape: Shape) => `\n| lookup kind=leftouter (${itemNames[shape].replace(/\n/g, " ")}) on BackupItemUniqueId`;

const backupJobs = (shape: Shape, held: Held) => `${jobsSource(shape, held)}\n| where JobOperation == "Backup"\n| extend ${jobKind}`;
const restoreJobs = (shape: Shape, held: Held) => `${jobsSource(shape, held)}\n| where JobOperation in ("Restore", "Recovery")`;

/** Per item: how many jobs, how many failed, and how its latest one ended. */
const jobItems = (shape: Shape) =>
  `\n| summarize Jobs = count(), Failed = countif(JobStatus == "Failed"), arg_max(TimeGenerated, JobStatus, JobFailureCode) by BackupItemUniqueId, Vault, BackupManagementType${names(shape)}
| project BackupItemUniqueId, Name = BackupItemFriendlyName, ItemType = BackupItemType, ${vaultShown}, BackupManagementType, Jobs, Failed, LastJobAt = TimeGenerated, LastStatus = JobStatus, LastFailureCode = JobFailureCode`;

/**
 * Each alert's latest state and when it was first seen in the range. An alert both shapes report is the
 * resource-specific query's (the legacy one leaves it out); when its vault moved inside the range, its first sighting
 * may be a legacy row, so that query looks it up in AzureDiagnostics where the workspace holds both (`held`).
 */
const alertStates = (shape: Shape, onPremises: boolean, held: Held) =>
  `${alertsSource(shape, onPremises)}
| summarize arg_max(TimeGenerated, AlertSeverity, AlertStatus, AlertCode, AlertType, RecommendedAction, BackupItemUniqueId, Vault, BackupManagementType), RaisedAt = min(TimeGenerated) by AlertUniqueId${legacyUnless(shape, held, "AddonAzureBackupAlerts", alertsSource("resourceSpecific", onPremises), [alertKey])}${shape === "resourceSpecific" && held.has("AddonAzureBackupAlerts") && held.has(legacyAlerts) ? legacyFirstSeen(onPremises) : ""}`;

/** `| ...` that moves RaisedAt back to the alert's first legacy row, if earlier (the legacy columns may be absent). */
function legacyFirstSeen(onPremises: boolean): string {
  const id = onPremises ? `tostring(columnifexists("AlertUniqueId_g", guid(null)))` : `tostring(columnifexists("AlertUniqueId_s", ""))`;
  const legacy = `AzureDiagnostics | where Category == "AzureBackupReport" and OperationName == "Alert" and columnifexists("SchemaVersion_s", "") == "V2" | summarize LegacyRaisedAt = todatetime(min(TimeGenerated)) by AlertKey = tolower(${id})`;
  return `
| extend AlertKey = tolower(AlertUniqueId)
| lookup kind=leftouter (union isfuzzy=true (datatable(AlertKey: string, LegacyRaisedAt: datetime) []), (${legacy})) on AlertKey
| extend RaisedAt = iff(isnotnull(LegacyRaisedAt) and LegacyRaisedAt < RaisedAt, LegacyRaisedAt, RaisedAt)
| project-away AlertKey, LegacyRaisedAt`;
}

const alertChart = (shape: Shape, onPremises: boolean, bin: BinSize, held: Held) =>
  `${alertStates(shape, onPremises, held)}\n| summarize Alerts = count() by TimeGenerated = bin(RaisedAt, ${binSizes[bin]}), AlertSeverity, AlertStatus`;

// the names are looked up before the slice's filters: filtered aggregates get row estimates of one from Postgres,
// which then joins them by nested loops (a 100× slower plan for a few thousand alerts)
const alertItems = (shape: Shape, onPremises: boolean, slice: Slice, binMs: number, held: Held) =>
  `${alertStates(shape, onPremises, held)}${names(shape)}${eq("AlertSeverity", slice.severity)}${eq("AlertStatus", slice.status)}${bucket("RaisedAt", slice, binMs)}
| project AlertUniqueId, RaisedAt, LastChangeAt = TimeGenerated, AlertSeverity, AlertStatus, AlertCode, AlertType, RecommendedAction, BackupItemUniqueId, Name = BackupItemFriendlyName, ${vaultShown}, BackupManagementType`;

/** `held`: the resource-specific tables the workspace has rows of (dedupe.ts); by default the text right for any. */
type ViewQueries = {
  title: string;
  chart: (shape: Shape, bin: BinSize, held?: Held) => string;
  items: (shape: Shape, slice: Slice, bin: BinSize, binMs: number, held?: Held) => string;
};

export const views: Record<ViewId, ViewQueries> = {
  backupJobs: {
    title: "All backup jobs",
    chart: (shape, bin, held = everything) => `${backupJobs(shape, held)}\n| summarize Jobs = count() by TimeGenerated = bin(TimeGenerated, ${binSizes[bin]}), JobStatus, JobKind`,
    items: (shape, slice, bin, ms, held = everything) =>
      `${backupJobs(shape, held)}${eq("JobStatus", slice.status)}${eq("JobKind", slice.kind)}${bucket("TimeGenerated", slice, ms)}${jobItems(shape)}`,
  },
  restoreJobs: {
    title: "Restore jobs",
    chart: (shape, bin, held = everything) => `${restoreJobs(shape, held)}\n| summarize Jobs = count() by TimeGenerated = bin(TimeGenerated, ${binSizes[bin]}), JobStatus`,
    items: (shape, slice, bin, ms, held = everything) => `${restoreJobs(shape, held)}${eq("JobStatus", slice.status)}${bucket("TimeGenerated", slice, ms)}${jobItems(shape)}`,
  },
  azureAlerts: {
    title: "Built-in Azure Backup alerts for Azure resources",
    chart: (shape, bin, held = everything) => alertChart(shape, false, bin, held),
    items: (shape, slice, _bin, ms, held = everything) => alertItems(shape, false, slice, ms, held),
  },
  onPremisesAlerts: {
    title: "Built-in Azure Backup alerts for on-premises resources (agent, DPM, MABS)",
    chart: (shape, bin, held = everything) => alertChart(shape, true, bin, held),
    items: (shape, slice, _bin, ms, held = everything) => alertItems(shape, true, slice, ms, held),
  },
  datasources: {
    title: "Active datasources",
    // each item's last state in each bucket, then items per workload and protection state
    chart: (shape, bin, held = everything) =>
      `${itemsSource[shape]}
| summarize arg_max(TimeGenerated, ProtectionState, BackupManagementType) by BackupItemUniqueId, Bucket = bin(TimeGenerated, ${binSizes[bin]})${legacyUnless(shape, held, "CoreAzureBackup", itemsSource.resourceSpecific, [itemKey, bucketKey(binSizes[bin])])}
| summarize Datasources = count() by TimeGenerated = Bucket, BackupManagementType, ProtectionState`,
    items: (shape, slice, bin, ms, held = everything) =>
      `${itemsSource[shape]}${bucket("TimeGenerated", slice, ms)}
| summarize arg_max(TimeGenerated, Vault, BackupItemFriendlyName, BackupItemType, BackupManagementType, ProtectionState) by BackupItemUniqueId${legacyUnless(shape, held, "CoreAzureBackup", `${itemsSource.resourceSpecific}${bucket("TimeGenerated", slice, ms)}`, [itemKey])}${eq("ProtectionState", slice.protectionState)}${eq("BackupManagementType", slice.managementType)}${
        slice.withoutSuccess ? `\n| join kind=leftanti (${succeededIn24h(jobsSource(shape, held))}) on BackupItemUniqueId` : ""
      }
| project BackupItemUniqueId, Name = BackupItemFriendlyName, ItemType = BackupItemType, ${vaultShown}, BackupManagementType, ProtectionState, LastSeenAt = TimeGenerated`,
  },
  cloudStorage: {
    title: "Vault cloud storage (GB)",
    // each item's last reading in each bucket, summed per vault
    chart: (shape, bin, held = everything) =>
      `${cloudStorageSource[shape]}
| summarize arg_max(TimeGenerated, StorageConsumedInMBs) by BackupItemUniqueId, Vault, Bucket = bin(TimeGenerated, ${binSizes[bin]})${legacyUnless(shape, held, "AddonAzureBackupStorage", cloudStorageSource.resourceSpecific, [itemKey, bucketKey(binSizes[bin])])}
| summarize StorageGB = sum(StorageConsumedInMBs) / 1024 by TimeGenerated = Bucket, Vault
| extend ${vaultShown}`,
    items: (shape, slice, bin, ms, held = everything) =>
      `${cloudStorageSource[shape]}${bucket("TimeGenerated", slice, ms)}${eqVault(slice.vault)}
| summarize arg_max(TimeGenerated, StorageConsumedInMBs, BackupManagementType) by BackupItemUniqueId, Vault${legacyUnless(shape, held, "AddonAzureBackupStorage", `${cloudStorageSource.resourceSpecific}${bucket("TimeGenerated", slice, ms)}`, [itemKey])}${names(shape)}
| project BackupItemUniqueId, Name = BackupItemFriendlyName, ItemType = BackupItemType, ${vaultShown}, BackupManagementType, StorageConsumedInMBs, At = TimeGenerated`,
  },
};

export const historyRowSchema = z.object({
  TimeGenerated: time,
  JobOperation: text,
  JobKind: text,
  JobStatus: text,
  JobFailureCode: text,
  JobDurationInSecs: real,
  DataTransferredInMB: real,
  JobUniqueId: text,
  Vault: text,
});
export type HistoryRow = z.output<typeof historyRowSchema>;

/** One item's jobs (backups and restores), newest first, with the failure code of each. */
export function itemHistoryQuery(shape: Shape, backupItemUniqueId: string, held: Held = everything): string {
  return `${jobsSource(shape, held)}
| where BackupItemUniqueId == ${kqlString(backupItemUniqueId)}
| extend ${jobKind}
| project TimeGenerated, JobOperation, JobKind, JobStatus, JobFailureCode, JobDurationInSecs, DataTransferredInMB, JobUniqueId, ${vaultShown}
| sort by TimeGenerated desc`;
}
