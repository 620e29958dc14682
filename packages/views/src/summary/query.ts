/**
 * The Overview's numbers for one workspace, as one KQL query per data shape (legacy AzureDiagnostics, resource-specific
 * tables), built on the views' own sources (../sources.ts) so a job, an item and a status mean the same here as in the
 * backup views. Each shape runs on its own: an Azure workspace lacking one shape's tables or columns refuses only that
 * query, and the other shape still counts.
 *
 * Definitions (what the Overview shows):
 * - failed backup jobs (24 h): distinct backup jobs whose record says Failed, reported in the last 24 hours;
 * - protected datasources: items whose latest snapshot in the window says Protected (not deleted, not stopped, not
 *   waiting for their first backup);
 * - without success (24 h): protected datasources with no backup job Completed or CompletedWithWarnings (both leave a
 *   recovery point) reported in the last 24 hours;
 * - trend: failed backup jobs per UTC day;
 * - rows: backup records of any kind in the window, and the newest one's time (none at all: the workspace is blind).
 * The window (14 UTC days up to the refresh) is the runner's time range, so the queries name no absolute time and
 * `ago()` counts back from the refresh's `now`.
 */
import { everything, itemKey, unlessSpecific, type Held } from "../dedupe";
import { itemsSource, jobsSource, succeededIn24h, type Shape } from "../sources";

export const SUMMARY_TREND_DAYS = 14;

/** The resource-specific tables whose rows change the legacy summary query (asked of the workspace first). */
export { resourceSpecificTables as summaryProbe };

/** What each result row of a summary query is: one metric, per day for the trend. */
export const summaryMetrics = ["failedPerDay", "failed24h", "protected", "withoutSuccess24h", "rows"] as const;
export type SummaryMetric = (typeof summaryMetrics)[number];

const resourceSpecificTables = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];

// isfuzzy: Azure creates each table with its first row, so a workspace may hold some of them and not others; each
// leg keeps only the time and the vault (the tables share column names of different types, which a union would have to
// rename), typed outright (Kusto.Language gives a table it does not know untyped columns, which a union cannot merge)
const specificLegs = resourceSpecificTables.map((t) => `(${t} | project TimeGenerated = todatetime(TimeGenerated), _ResourceId = tostring(_ResourceId))`).join(", ");
const specificRows = `union isfuzzy=true ${specificLegs}`;

/**
 * Every backup record of the shape, whatever its kind (the blind test and the freshness of the data). Records of
 * different kinds have no common id, so here a vault counts once per time: where the workspace holds resource-specific
 * rows, a vault's legacy rows are left out from its first to its last resource-specific row in the window (matched on
 * AzureDiagnostics' ResourceId, which Log Analytics upper-cases: upper-casing the few vaults' ids is enough, where
 * lower-casing every legacy row would cost more than the count itself).
 */
function allBackupRows(shape: Shape, held: Held): { lets: string; rows: string } {
  if (shape === "resourceSpecific") return { lets: "", rows: specificRows };
  const legacyRows = `AzureDiagnostics | where Category == "AzureBackupReport"`;
  if (held.size === 0) return { lets: "", rows: legacyRows };
  return {
    lets: `let SpecificSpans = union isfuzzy=true (datatable(TimeGenerated: datetime, _ResourceId: string) []), ${specificLegs}
| summarize SpecificFrom = min(TimeGenerated), SpecificTo = max(TimeGenerated) by _ResourceId
| summarize SpecificFrom = min(SpecificFrom), SpecificTo = max(SpecificTo) by ResourceId = toupper(_ResourceId);
`,
    rows: `${legacyRows} | project TimeGenerated, ResourceId | lookup kind=leftouter SpecificSpans on ResourceId | where isnull(SpecificFrom) or TimeGenerated < SpecificFrom or TimeGenerated > SpecificTo`,
  };
}

/**
 * The summary query of one shape: rows of (Metric, Day, Value); Day is the UTC day for the trend, else the newest
 * row's time or null. `held`: the resource-specific tables the workspace has rows of (dedupe.ts).
 */
export function summaryQuery(shape: Shape, held: Held = everything): string {
  const all = allBackupRows(shape, held);
  return `${all.lets}let BackupJobs = ${jobsSource(shape, held)}
| where JobOperation == "Backup";
let Protected = ${itemsSource[shape]}
| summarize arg_max(TimeGenerated, ProtectionState) by BackupItemUniqueId${shape === "legacy" && held.has("CoreAzureBackup") ? unlessSpecific(itemsSource.resourceSpecific, [itemKey]) : ""}
| where ProtectionState == "Protected"
| project BackupItemUniqueId;
let Succeeded = ${succeededIn24h("BackupJobs")};
let Failed = BackupJobs
| where JobStatus == "Failed"
| summarize Reported = min(TimeGenerated) by JobUniqueId;
union
  (Failed | summarize Value = count() by Day = startofday(Reported) | project Metric = "failedPerDay", Day, Value),
  (Failed | where Reported > ago(1d) | summarize Value = count() | project Metric = "failed24h", Day = datetime(null), Value),
  (Protected | summarize Value = count() | project Metric = "protected", Day = datetime(null), Value),
  (Protected | join kind=leftanti Succeeded on BackupItemUniqueId | summarize Value = count() | project Metric = "withoutSuccess24h", Day = datetime(null), Value),
  (${all.rows} | summarize Value = count(), Day = max(TimeGenerated) | project Metric = "rows", Day, Value)`;
}

/** The window a refresh at `now` reads: from the start of the UTC day 13 days before today, up to now. */
export function summaryWindow(now: Date): { start: Date; end: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { start: new Date(today - (SUMMARY_TREND_DAYS - 1) * 86_400_000), end: now };
}
