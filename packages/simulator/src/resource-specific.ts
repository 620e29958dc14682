/**
 * The same simulated events in Azure Backup's resource-specific shape (AZURE-REFERENCE §1.1): a diagnostic setting
 * that sends the six resource-specific categories instead of `AzureBackupReport`. Each legacy record of a batch becomes
 * `{ time, resourceId, category: <table>, operationName, properties: { <documented column>: typed value } }`:
 *   Job                                              → AddonAzureBackupJobs
 *   Alert                                            → AddonAzureBackupAlerts
 *   Policy                                           → AddonAzureBackupPolicy
 *   Storage, StorageAssociation                      → AddonAzureBackupStorage
 *   ProtectedInstance                                → AddonAzureBackupProtectedInstance (with the item's source size)
 *   Vault, BackupItem, BackupItemAssociation,
 *   ProtectedContainer, BackupManagementServer       → CoreAzureBackup
 * Column names and types are the documented ones (@vaultwatch/schemas' table schemas, which the ingest enforces):
 * numbers are numbers, dates ISO 8601, suffix-free names. What the legacy shape carries that these tables have no
 * column for: `EventName` (AzureDiagnostics only); a `RecoveryPoint` record's times go on the item's `BackupItem`
 * record (CoreAzureBackup's Latest/OldestRecoveryPoint* columns); a `PolicyAssociation` record is dropped, its item →
 * policy link being the `PolicyUniqueId` of the item's `BackupItemAssociation`; `BackupItemSourceSize` becomes
 * `BackupItemFrontEndSize` (MB) and the ProtectedInstance's `SourceSizeInMBs`; `ProtectionState` (Protected /
 * InitialBackupPending) is CoreAzureBackup's `BackupItemProtectionState`; a job's `BackupStorageDestination` (Cloud or a
 * DPM / MABS server's Disk), a Storage record's `ProtectedInstances` and a container's `EntityState` have no column. Everything else, ids, statuses, times, sizes and failure codes included, is
 * the same value. A pure function of the batch, so a seed stays deterministic.
 */
import { fixedSchemaTables, resourceSpecificBackupTables, type KustoType, type ResourceSpecificBackupTable } from "@vaultwatch/schemas";
import type { Vault } from "./estate";
import type { BackupOperationName, BackupReportRecord } from "./records";

export const resourceSpecificCategories = resourceSpecificBackupTables;
export type ResourceSpecificCategory = ResourceSpecificBackupTable;

export type ResourceSpecificRecord = {
  time: string;
  resourceId: string;
  category: ResourceSpecificCategory;
  operationName: BackupOperationName;
  properties: Record<string, string | number | boolean>;
};

/** Which shape a simulation emits: Azure Backup's legacy category, the resource-specific ones, or both for every event. */
export const simulatorShapes = ["legacy", "resource-specific", "both"] as const;
export type SimulatorShape = (typeof simulatorShapes)[number];

const tableOf: Partial<Record<BackupOperationName, ResourceSpecificCategory>> = {
  Job: "AddonAzureBackupJobs",
  Alert: "AddonAzureBackupAlerts",
  Policy: "AddonAzureBackupPolicy",
  Storage: "AddonAzureBackupStorage",
  StorageAssociation: "AddonAzureBackupStorage",
  ProtectedInstance: "AddonAzureBackupProtectedInstance",
  Vault: "CoreAzureBackup",
  BackupItem: "CoreAzureBackup",
  BackupItemAssociation: "CoreAzureBackup",
  ProtectedContainer: "CoreAzureBackup",
  BackupManagementServer: "CoreAzureBackup",
};

/** Legacy fields with no column of the same name: renamed (a string) or left out (null). */
const renamed: Record<string, string | null> = {
  EventName: null,
  ProtectedInstances: null,
  EntityState: null,
  BackupStorageDestination: null,
  BackupItemSourceSize: "BackupItemFrontEndSize",
  ProtectionState: "BackupItemProtectionState",
};

const columnTypes = new Map<string, ReadonlyMap<string, KustoType>>(
  resourceSpecificCategories.map((t) => [t, new Map((fixedSchemaTables[t]?.columns ?? []).map((c) => [c.name, c.type]))]),
);

function typed(table: string, column: string, value: string): string | number | boolean | undefined {
  const type = columnTypes.get(table)?.get(column);
  if (!type) throw new Error(`simulator: ${column} is not a documented column of ${table}`);
  switch (type) {
    case "real":
    case "int":
    case "long":
      return value === "" ? undefined : Number(value);
    case "bool":
      return value === "" ? undefined : value === "true";
    case "datetime":
      return value === "" ? undefined : new Date(value).toISOString();
    default:
      return value;
  }
}

function convert(vault: Vault | undefined, r: BackupReportRecord, table: ResourceSpecificCategory, extra: Record<string, string>): ResourceSpecificRecord {
  const properties: Record<string, string | number | boolean> = {};
  const types = columnTypes.get(table)!;
  // the vault-describing columns of the tables that have them
  if (vault && types.has("VaultName")) {
    Object.assign(properties, {
      VaultName: vault.name,
      SubscriptionId: vault.subscription.id,
      ResourceGroupName: vault.resourceGroup,
      AzureDataCenter: vault.region,
      StorageReplicationType: vault.replication,
    });
  }
  for (const [key, value] of Object.entries({ ...r.properties, ...extra })) {
    const column = key in renamed ? renamed[key] : key;
    if (!column) continue;
    const v = typed(table, column, value);
    if (v !== undefined) properties[column] = v;
  }
  return { time: r.time, resourceId: r.resourceId, category: table, operationName: r.operationName, properties };
}

const itemKey = (r: BackupReportRecord) => `${r.time}|${r.properties.BackupItemUniqueId ?? ""}`;

/**
 * One batch of legacy records (and activity-log records, passed through) in the resource-specific shape, in the same
 * order. `vaults` gives the vault-describing columns by ARM id.
 */
export function toResourceSpecific<R extends { category: string }>(records: readonly R[], vaults: ReadonlyMap<string, Vault>): (R | ResourceSpecificRecord)[] {
  // a snapshot's per-item facts that another table's record carries in this shape
  const recoveryPoints = new Map<string, Record<string, string>>();
  const sourceSizes = new Map<string, string>();
  for (const r of records) {
    if (r.category !== "AzureBackupReport") continue;
    const b = r as unknown as BackupReportRecord;
    if (b.operationName === "RecoveryPoint") {
      const { OldestRecoveryPointTime = "", OldestRecoveryPointLocation = "", LatestRecoveryPointTime = "", LatestRecoveryPointLocation = "" } = b.properties;
      recoveryPoints.set(itemKey(b), { OldestRecoveryPointTime, OldestRecoveryPointLocation, LatestRecoveryPointTime, LatestRecoveryPointLocation });
    } else if (b.operationName === "BackupItemAssociation" && b.properties.BackupItemSourceSize !== undefined) {
      sourceSizes.set(itemKey(b), b.properties.BackupItemSourceSize);
    }
  }
  const out: (R | ResourceSpecificRecord)[] = [];
  for (const r of records) {
    if (r.category !== "AzureBackupReport") {
      out.push(r);
      continue;
    }
    const b = r as unknown as BackupReportRecord;
    const table = tableOf[b.operationName];
    if (!table) continue; // RecoveryPoint and PolicyAssociation: carried by other records (above)
    let extra: Record<string, string> = {};
    if (b.operationName === "BackupItem") extra = recoveryPoints.get(itemKey(b)) ?? {};
    else if (b.operationName === "ProtectedInstance") {
      const size = sourceSizes.get(itemKey(b));
      if (size !== undefined) extra = { SourceSizeInMBs: size };
    }
    out.push(convert(vaults.get(b.resourceId), b, table, extra));
  }
  return out;
}

/** The records of one batch in `shape`: legacy as generated, resource-specific converted, or both (legacy first). */
export function inShape<R extends { category: string }>(shape: SimulatorShape, records: readonly R[], vaults: ReadonlyMap<string, Vault>): (R | ResourceSpecificRecord)[] {
  if (shape === "legacy") return records as R[];
  const specific = toResourceSpecific(records, vaults);
  if (shape === "resource-specific") return specific;
  return [...records, ...specific.filter((r) => (resourceSpecificCategories as readonly string[]).includes(r.category))];
}
