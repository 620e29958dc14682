/**
 * Counting each record once when a workspace holds both shapes (sources.ts). Both helpers write plain KQL that runs
 * the same in Azure and in local workspaces:
 * - the resource-specific side is read through `union isfuzzy=true` with an empty `datatable` leg, so a workspace
 *   that never received those tables still resolves the legacy query (Kusto leaves an unresolved leg out, and the
 *   datatable leg keeps the union from being empty);
 * - keys are compared in lower case: ids and names are case-insensitive in Azure, and the two shapes do not always
 *   write them alike.
 */

/**
 * The resource-specific tables a workspace holds rows of in the query's window, found once per workspace and call
 * (`heldQuery`) before the legacy query is written: a join per legacy job made the jobs chart about a third slower
 * even against an empty table, so the legacy jobs are joined only where the jobs table has rows. `everything` writes the query that
 * is right for any workspace (the text "Open in Logs" shows).
 */
export type Held = ReadonlySet<string>;

/** Probes that are not a whole table: the legacy alerts (the resource-specific alerts view reads their first sighting). */
export const legacyAlerts = "AzureDiagnostics/Alert";
const probed: Record<string, string> = { [legacyAlerts]: `AzureDiagnostics | where Category == "AzureBackupReport" and OperationName == "Alert"` };

export const everything: Held = new Set([
  "CoreAzureBackup",
  "AddonAzureBackupJobs",
  "AddonAzureBackupAlerts",
  "AddonAzureBackupPolicy",
  "AddonAzureBackupStorage",
  "AddonAzureBackupProtectedInstance",
  legacyAlerts,
]);

/** One row per table of `tables` that has a row in the window (a missing table is left out, as Kusto does). */
export const heldQuery = (tables: readonly string[]) =>
  `union isfuzzy=true (datatable(Table: string) []), ${tables.map((t) => `(${probed[t] ?? t} | take 1 | project Table = "${t}")`).join(", ")}`;

export const heldOf = (rows: readonly Record<string, unknown>[]): Held => new Set(rows.map((r) => String(r.Table)));

export type DedupeKey = {
  /** the key's column name on both sides of the anti-join */
  name: string;
  /** computed on the legacy rows at this point of the query */
  legacy: string;
  /** computed on the rows of the resource-specific query given */
  specific: string;
  type: "string" | "datetime";
};

/** A key of an item id (case-insensitive) under the name ItemKey. */
export const itemKey: DedupeKey = { name: "ItemKey", legacy: "tolower(BackupItemUniqueId)", specific: "tolower(BackupItemUniqueId)", type: "string" };

/** The bucket a legacy row was summarized into, against the same bin of the resource-specific rows. */
export const bucketKey = (bin: string): DedupeKey => ({ name: "BucketKey", legacy: "Bucket", specific: `bin(TimeGenerated, ${bin})`, type: "datetime" });

/**
 * `| ...` that leaves out the legacy rows whose keys the resource-specific rows of `specific` (a query over those
 * tables, ending in the sources' column names) also have. Used after a view's own summarize, so the join reads one
 * row per entity (item, alert, item and bucket), not one per record.
 */
export function unlessSpecific(specific: string, keys: DedupeKey[]): string {
  const names = keys.map((k) => k.name).join(", ");
  const empty = `datatable(${keys.map((k) => `${k.name}: ${k.type}`).join(", ")}) []`;
  // typed outright: Kusto.Language gives an unknown table's columns no type, and the union's columns must have one
  const typed = (k: DedupeKey) => (k.type === "string" ? `tostring(${k.specific})` : `todatetime(${k.specific})`);
  const reported = `${specific.replace(/\n/g, " ")} | summarize by ${keys.map((k) => `${k.name} = ${typed(k)}`).join(", ")}`;
  return `
| extend ${keys.map((k) => `${k.name} = ${k.legacy}`).join(", ")}
| join kind=leftanti (union isfuzzy=true (${empty}), (${reported})) on ${names}
| project-away ${names}`;
}
