/**
 * Resource-log records for ingest tests and the ingest benchmark: AzureBackupReport Job and BackupItem records shaped
 * like the vault's diagnostics (bare property names, values as strings, GUIDs for JobUniqueId), and activity-log
 * records in the storage / Event Hubs shape. Deterministic for a given index, so benchmark runs are comparable.
 */
import { createHash } from "node:crypto";

/** A GUID derived from a string (stable across runs). */
export function guidOf(seed: string): string {
  const h = createHash("sha1").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function vaultArmId(n: number): string {
  const sub = guidOf(`sub-${n % 7}`);
  return `/SUBSCRIPTIONS/${sub}/RESOURCEGROUPS/RG-BACKUP-${n % 13}/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-${n}`;
}

const STATUSES = ["Completed", "Completed", "Completed", "Completed", "Failed", "CompletedWithWarnings"] as const;
const KINDS = [
  { type: "VM", management: "IaaSVM" },
  { type: "SQLDataBase", management: "AzureWorkload" },
  { type: "FileFolder", management: "MAB" },
] as const;

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.UTC(2026, 9, 1);

/** The i-th backup job record: 500 vaults, 20 items each, one job an item every 30 minutes of simulated time. */
export function backupJobRecord(i: number, overrides: Record<string, unknown> = {}) {
  const vault = i % 500;
  const item = (i >> 3) % 20;
  const kind = KINDS[item % KINDS.length]!;
  const start = T0 + i * 2_600;
  const duration = 300 + (i % 3_000);
  const status = STATUSES[i % STATUSES.length]!;
  return {
    time: iso(start + duration * 1000),
    resourceId: vaultArmId(vault),
    category: "AzureBackupReport",
    operationName: "Job",
    level: "Informational",
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: kind.management,
      VaultUniqueId: `${vault}-vault-unique`,
      BackupItemUniqueId: `item-${vault}-${item}`,
      ProtectedContainerUniqueId: `container-${vault}-${item >> 2}`,
      JobOperation: i % 50 === 0 ? "Restore" : "Backup",
      JobStatus: status,
      JobFailureCode: status === "Failed" ? "UserErrorVmNotFound" : "Success",
      JobStartDateTime: iso(start).replace("T", " ").replace("Z", ""),
      BackupStorageDestination: "Cloud",
      AdHocOrScheduledJob: i % 17 === 0 ? "Adhoc" : "Scheduled",
      JobDurationInSecs: String(duration),
      DataTransferredInMB: ((i % 9_973) / 7).toFixed(2),
      JobUniqueId: guidOf(`job-${i}`),
      ...(kind.management === "AzureWorkload" && { JobOperationSubType: i % 4 === 0 ? "Full" : "Log" }),
      ...overrides,
    },
  };
}

export function backupItemRecord(i: number, overrides: Record<string, unknown> = {}) {
  const vault = i % 500;
  const item = (i >> 3) % 20;
  const kind = KINDS[item % KINDS.length]!;
  return {
    time: iso(T0 + i * 2_600),
    resourceId: vaultArmId(vault),
    category: "AzureBackupReport",
    operationName: "BackupItem",
    level: "Informational",
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: kind.management,
      VaultUniqueId: `${vault}-vault-unique`,
      BackupItemUniqueId: `item-${vault}-${item}`,
      BackupItemName: `vm;iaasvmcontainerv2;rg-app;app-${vault}-${item}`,
      BackupItemFriendlyName: `app-${vault}-${item}`,
      BackupItemType: kind.type,
      BackupItemProtectionState: "Protected",
      BackupItemAppVersion: "",
      ProtectionState: "Protected",
      ProtectionGroupName: "",
      SecondaryBackupProtectionState: "NotApplicable",
      ...overrides,
    },
  };
}

/** Nine Job records for every BackupItem record, roughly the mix a vault sends. */
export function backupReportRecord(i: number) {
  return i % 10 === 9 ? backupItemRecord(i) : backupJobRecord(i);
}

/** An Administrative activity-log event in the storage / Event Hubs shape. */
export function activityRecord(eventDataId: string, overrides: Record<string, unknown> = {}) {
  return {
    time: "2026-11-20T10:15:30.1234567Z",
    resourceId: vaultArmId(1),
    operationName: "Microsoft.RecoveryServices/vaults/backupPolicies/write",
    category: "Write",
    resultType: "Success",
    resultSignature: "Succeeded",
    durationMs: 0,
    callerIpAddress: "203.0.113.7",
    correlationId: guidOf(`corr-${eventDataId}`),
    identity: { claims: { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "ops@msp.example" } },
    level: "Informational",
    location: "global",
    properties: {
      eventCategory: "Administrative",
      eventDataId,
      operationId: guidOf(`op-${eventDataId}`),
      eventProperties: { policy: "DailyPolicy" },
    },
    ...overrides,
  };
}
