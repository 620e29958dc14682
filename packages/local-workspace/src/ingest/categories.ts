/**
 * The one place a resource-log record's `category` decides its table (what a diagnostic setting streams or archives):
 *   AzureBackupReport                          → AzureDiagnostics (legacy mode; Log Analytics' suffix naming)
 *   CoreAzureBackup, AddonAzureBackupJobs, ... → the table of the same name (resource-specific mode; AZURE-REFERENCE
 *                                                §1.1: same field names without suffix, typed as documented)
 *   the activity log                           → AzureActivity (classify.ts recognises it by more than its category)
 *   anything else                              → AzureDiagnostics on the ingest route (a resource log of some other
 *                                                service), refused by name where the caller asks (a storage archive
 *                                                read for Azure Backup: counted and shown as a malformed record)
 *
 * A resource-specific record is `{ time, resourceId, category, operationName, properties: { <column>: value, ... } }`:
 * the envelope gives TimeGenerated (from `time`), ResourceId (as sent), _ResourceId and _SubscriptionId (lower-cased,
 * as Log Analytics stores them), Category, OperationName and SourceSystem ("Azure"); `properties` gives the table's
 * other columns by their documented names (any letter case), each converted to its documented type by the same
 * coercion as the /tables route. `Type` is the table's name, answered by the query engine. A property that is not a
 * documented column, or a value its column cannot take, is an issue naming `properties.<field>`: nothing is dropped
 * without a word. Envelope fields without a column in these tables (level, location, ...) are not stored, as in Azure,
 * nor are the standard columns Log Analytics computes itself (TenantId, Type, _BilledSize, ...) when a record has them.
 */
import {
  backupReportCategory,
  coerceCell,
  fixedSchemaTables,
  normaliseDatetime,
  parseResourceRecord,
  resourceIdParts,
  resourceSpecificBackupTables,
  type CoercedRow,
  type KustoType,
  type ParseIssue,
  type ParseResult,
  type ResourceSpecificBackupTable,
} from "@vaultwatch/schemas";


export const AZURE_DIAGNOSTICS = "AzureDiagnostics";

/** Category → table for the categories Vaultwatch knows by name (the activity log aside, see classify.ts). */
export const categoryTables: Readonly<Record<string, string>> = {
  [backupReportCategory]: AZURE_DIAGNOSTICS,
  ...Object.fromEntries(resourceSpecificBackupTables.map((t) => [t, t])),
};

const specificByLowerName = new Map<string, ResourceSpecificBackupTable>(resourceSpecificBackupTables.map((t) => [t.toLowerCase(), t]));

/** The resource-specific table a category is stored in (categories compared in any letter case), or undefined. */
export function resourceSpecificTableOf(category: unknown): ResourceSpecificBackupTable | undefined {
  return typeof category === "string" ? specificByLowerName.get(category.toLowerCase()) : undefined;
}

/** The table of a known category, or undefined for a category this map does not know. */
export function tableOfCategory(category: string): string | undefined {
  if (category === backupReportCategory) return AZURE_DIAGNOSTICS;
  return resourceSpecificTableOf(category);
}

/** The message for a record whose category has no table where the caller refuses other resource logs. */
export function unknownCategoryMessage(category: unknown): string {
  return `no table for category ${JSON.stringify(category)}: known are ${Object.keys(categoryTables).join(", ")} and the activity log`;
}

type TableColumns = { types: ReadonlyMap<string, KustoType>; byLowerName: ReadonlyMap<string, string> };
const tableColumns = new Map<string, TableColumns>(
  resourceSpecificBackupTables.map((table) => {
    const columns = fixedSchemaTables[table]?.columns ?? [];
    return [table, { types: new Map(columns.map((c) => [c.name, c.type])), byLowerName: new Map(columns.map((c) => [c.name.toLowerCase(), c.name])) }];
  }),
);

/** The documented type of a resource-specific table's column (the ingest's column resolver), or undefined. */
export function resourceSpecificColumnType(table: ResourceSpecificBackupTable): (column: string) => KustoType | undefined {
  const types = tableColumns.get(table)!.types;
  return (column) => types.get(column);
}

/** Columns the envelope fills; a property of the same name does not override them. */
const envelopeColumns = new Set(["TimeGenerated", "ResourceId", "_ResourceId", "_SubscriptionId", "Category", "OperationName", "SourceSystem"]);
/**
 * Standard columns Log Analytics computes itself for every table (TenantId, Type, billing and receipt bookkeeping):
 * a record that carries one is not refused for it, and the engine's own value stands.
 */
const computedColumns = new Set(["TenantId", "Type", "_BilledSize", "_IsBillable", "_TimeReceived", "_ItemId", "_Internal_WorkspaceResourceId"]);

/**
 * Azure Backup sends most values as strings and some as numbers: a string column takes a number or a boolean as its
 * text, and a dynamic column a string holding a JSON object or array as that value.
 */
function leniently(type: KustoType, value: unknown): unknown {
  if (type === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  if (type === "dynamic" && typeof value === "string" && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * One resource-specific record → its row in `table` (typed cells, as `coerceRow` gives them), or every issue that
 * stops it, each naming its field (`time`, `properties.DataTransferredInMB`, ...).
 */
export function resourceSpecificRecordToRow(table: ResourceSpecificBackupTable, input: unknown): ParseResult<CoercedRow> {
  const envelope = parseResourceRecord(input);
  if (!envelope.ok) return envelope;
  const record = envelope.value;
  const { types, byLowerName } = tableColumns.get(table)!;
  const issues: ParseIssue[] = [];
  const row: CoercedRow = {};
  for (const [key, value] of Object.entries(record.properties ?? {})) {
    if (computedColumns.has(key)) continue;
    const column = types.has(key) ? key : byLowerName.get(key.toLowerCase());
    if (!column) {
      issues.push({ path: `properties.${key}`, message: `not a column of ${table} (its documented columns only)` });
      continue;
    }
    if (envelopeColumns.has(column)) continue;
    const type = types.get(column)!;
    const cell = coerceCell(type, leniently(type, value));
    if ("error" in cell) issues.push({ path: `properties.${key}`, message: `${cell.error} (column ${column}, type ${type})` });
    else if (cell.value !== null) row[column] = cell.value;
  }
  if (issues.length) return { ok: false, issues };

  const parts = resourceIdParts(record.resourceId);
  const resourceId = record.resourceId.toLowerCase();
  Object.assign(row, {
    TimeGenerated: normaliseDatetime(record.time) ?? record.time,
    ResourceId: record.resourceId,
    _ResourceId: resourceId,
    _SubscriptionId: parts.subscriptionId.toLowerCase(),
    Category: table,
    OperationName: record.operationName,
    SourceSystem: "Azure",
  });
  // the vault-describing columns, where the table has them and the record left them out, from the vault's own id
  const fromResourceId: Record<string, string> = { SubscriptionId: parts.subscriptionId, ResourceGroupName: parts.resourceGroup, VaultName: parts.name };
  for (const [column, value] of Object.entries(fromResourceId)) {
    if (types.has(column) && (row[column] === undefined || row[column] === "") && value) row[column] = value;
  }
  return { ok: true, value: row };
}
