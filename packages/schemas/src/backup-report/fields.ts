/**
 * AzureBackupReport record kinds and their documented property names (AZURE-REFERENCE §1.2, V2 schema),
 * bare, i.e. without the type suffix Log Analytics adds in AzureDiagnostics.
 */
export const backupOperationNames = [
  "Job",
  "BackupItem",
  "BackupItemAssociation",
  "Alert",
  "BackupManagementServer",
  "Policy",
  "PolicyAssociation",
  "ProtectedContainer",
  "Storage",
  "StorageAssociation",
  "Vault",
  "RecoveryPoint",
  "ProtectedInstance",
] as const;
export type BackupOperationName = (typeof backupOperationNames)[number];

/** On every record kind. */
export const backupCommonFields = ["EventName", "SchemaVersion", "State", "BackupManagementType", "VaultUniqueId"] as const;

export const backupFieldsByOperation = {
  Job: [
    "BackupItemUniqueId",
    "ProtectedContainerUniqueId",
    "JobOperation",
    "JobStatus",
    "JobFailureCode",
    "JobStartDateTime",
    "BackupStorageDestination",
    "AdHocOrScheduledJob",
    "JobDurationInSecs",
    "DataTransferredInMB",
    "JobUniqueId",
    "RecoveryJobDestination",
    "RecoveryJobRPDateTime",
    "RecoveryJobRPLocation",
    "JobOperationSubType",
  ],
  BackupItem: [
    "BackupItemUniqueId",
    "BackupItemName",
    "BackupItemFriendlyName",
    "BackupItemType",
    "BackupItemProtectionState",
    "BackupItemAppVersion",
    "ProtectionState",
    "ProtectionGroupName",
    "SecondaryBackupProtectionState",
  ],
  BackupItemAssociation: [
    "BackupItemUniqueId",
    "BackupItemSourceSize",
    "BackupManagementServerUniqueId",
    "ProtectedContainerUniqueId",
    "PolicyUniqueId",
  ],
  Alert: [
    "AlertUniqueId",
    "AlertType",
    "AlertStatus",
    "AlertOccurrenceDateTime",
    "AlertSeverity",
    "AlertTimeToResolveInMinutes",
    "AlertConsolidationStatus",
    "CountOfAlertsConsolidated",
    "AlertRaisedOn",
    "AlertCode",
    "RecommendedAction",
    "BackupItemUniqueId",
    "ProtectedContainerUniqueId",
  ],
  BackupManagementServer: [
    "BackupManagementServerName",
    "BackupManagementServerUniqueId",
    "BackupManagementServerType",
    "BackupManagementServerVersion",
    "BackupManagementServerOSVersion",
    "AzureBackupAgentVersion",
  ],
  Policy: [
    "PolicyUniqueId",
    "PolicyName",
    "PolicyTimeZone",
    "RetentionType",
    "BackupFrequency",
    "BackupTimes",
    "BackupDaysOfTheWeek",
    "RetentionDuration",
    "DailyRetentionDuration",
    "DailyRetentionTimes",
    "WeeklyRetentionDuration",
    "WeeklyRetentionTimes",
    "WeeklyRetentionDaysOfTheWeek",
    "MonthlyRetentionDuration",
    "MonthlyRetentionTimes",
    "MonthlyRetentionFormat",
    "MonthlyRetentionDaysOfTheWeek",
    "MonthlyRetentionWeeksOfTheMonth",
    "MonthlyRetentionDaysOfTheMonth",
    "YearlyRetentionDuration",
    "YearlyRetentionTimes",
    "YearlyRetentionFormat",
    "YearlyRetentionMonthsOfTheYear",
    "YearlyRetentionDaysOfTheWeek",
    "YearlyRetentionWeeksOfTheMonth",
    "YearlyRetentionDaysOfTheMonth",
    "LogBackupFrequency",
    "LogBackupRetentionDuration",
    "DiffBackupFormat",
    "DiffBackupTime",
    "DiffBackupRetentionDuration",
    "DiffBackupDaysofTheWeek",
    "SynchronisationFrequencyPerDay",
  ],
  PolicyAssociation: ["PolicyUniqueId", "BackupManagementServerUniqueId", "BackupItemUniqueId"],
  ProtectedContainer: [
    "ProtectedContainerUniqueId",
    "ProtectedContainerName",
    "ProtectedContainerFriendlyName",
    "ProtectedContainerOSType",
    "ProtectedContainerOSVersion",
    "ProtectedContainerWorkloadType",
    "ProtectedContainerLocation",
    "ProtectedContainerType",
    "ProtectedContainerProtectionState",
    "AgentVersion",
    "EntityState",
  ],
  Storage: ["StorageUniqueId", "StorageType", "StorageName", "StorageTotalSizeInGBs", "ProtectedInstances"],
  StorageAssociation: [
    "StorageUniqueId",
    "BackupItemUniqueId",
    "BackupManagementServerUniqueId",
    "StorageConsumedInMBs",
    "StorageAllocatedInMBs",
  ],
  Vault: ["VaultName", "AzureDataCenter", "StorageReplicationType"],
  RecoveryPoint: [
    "BackupItemUniqueId",
    "OldestRecoveryPointTime",
    "OldestRecoveryPointLocation",
    "LatestRecoveryPointTime",
    "LatestRecoveryPointLocation",
  ],
  ProtectedInstance: ["BackupItemUniqueId", "ProtectedContainerUniqueId", "ProtectedInstanceCount"],
} as const satisfies Record<BackupOperationName, readonly string[]>;

export type BackupFieldName =
  | (typeof backupCommonFields)[number]
  | (typeof backupFieldsByOperation)[BackupOperationName][number];

/** Fields Log Analytics types as guid (`_g`) whatever the source. */
export const alwaysGuidFields: ReadonlySet<string> = new Set(["JobUniqueId", "PolicyUniqueId"]);

/** Backup management types of on-premises sources, whose alerts carry AlertUniqueId as a guid. */
export const onPremisesManagementTypes: ReadonlySet<string> = new Set(["MAB", "DPM", "AzureBackupServer"]);

/** Whether a field of a record with this BackupManagementType becomes an `_g` column. */
export function isGuidField(field: string, backupManagementType: unknown): boolean {
  if (alwaysGuidFields.has(field)) return true;
  return field === "AlertUniqueId" && typeof backupManagementType === "string" && onPremisesManagementTypes.has(backupManagementType);
}

/** All documented names, to tell documented fields (always `_s`/`_g`) from extra ones (typed by their JSON value). */
export const documentedBackupFields: ReadonlySet<string> = new Set<string>([
  ...backupCommonFields,
  ...Object.values(backupFieldsByOperation).flat(),
]);
