import { describe, expect, it } from "vitest";
import { coerceRow } from "../log-tables/coerce-row";
import { backupRecordToDiagnosticsRow, resourceRecordToDiagnosticsRow } from "./diagnostics-row";
import type { BackupOperationName } from "./fields";
import { parseBackupReportRecord, type BackupReportRecord } from "./record";

const vaultId = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/vault-one";
const time = "2024-03-10T08:15:30.1234567Z";

function record(operationName: BackupOperationName, properties: Record<string, unknown>) {
  return { time, resourceId: vaultId, category: "AzureBackupReport", operationName, level: "Informational", location: "westeurope", properties };
}

function parsed(input: unknown): BackupReportRecord {
  const r = parseBackupReportRecord(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** Worked out by hand: what Log Analytics shows for this vault in every AzureBackupReport row. */
const standard = {
  TimeGenerated: time,
  ResourceId: vaultId.toUpperCase(),
  SubscriptionId: "11111111-2222-3333-4444-555555555555",
  ResourceGroup: "RG-BACKUP",
  ResourceProvider: "MICROSOFT.RECOVERYSERVICES",
  ResourceType: "VAULTS",
  Resource: "VAULT-ONE",
  Category: "AzureBackupReport",
  SourceSystem: "Azure",
  Level: "Informational",
  location: "westeurope",
};
const common = { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", VaultUniqueId: "vault-uid-1" };
const commonColumns = {
  EventName_s: "AzureBackupCentralReport",
  SchemaVersion_s: "V2",
  State_s: "Active",
  VaultUniqueId_s: "vault-uid-1",
};

type Case = { op: BackupOperationName; props: Record<string, unknown>; columns: Record<string, unknown> };

const cases: Case[] = [
  {
    op: "Job",
    props: {
      ...common,
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: "item-1",
      ProtectedContainerUniqueId: "pc-1",
      JobOperation: "Backup",
      JobStatus: "Completed",
      JobFailureCode: "Success",
      JobStartDateTime: "2024-03-10 07:00:00Z",
      BackupStorageDestination: "Cloud",
      AdHocOrScheduledJob: "Scheduled",
      JobDurationInSecs: "1830",
      DataTransferredInMB: 512.5,
      JobUniqueId: "AAAA0000-BB11-2222-33CC-444444DDDDDD",
      JobOperationSubType: "Log",
    },
    columns: {
      BackupManagementType_s: "IaaSVM",
      BackupItemUniqueId_s: "item-1",
      ProtectedContainerUniqueId_s: "pc-1",
      JobOperation_s: "Backup",
      JobStatus_s: "Completed",
      JobFailureCode_s: "Success",
      JobStartDateTime_s: "2024-03-10 07:00:00Z",
      BackupStorageDestination_s: "Cloud",
      AdHocOrScheduledJob_s: "Scheduled",
      JobDurationInSecs_s: "1830",
      // documented field: stays in its _s column even when it arrives as a number
      DataTransferredInMB_s: "512.5",
      JobUniqueId_g: "aaaa0000-bb11-2222-33cc-444444dddddd",
      JobOperationSubType_s: "Log",
    },
  },
  {
    op: "BackupItem",
    props: {
      ...common,
      BackupManagementType: "AzureWorkload",
      BackupItemUniqueId: "item-2",
      BackupItemName: "SQLDataBase;mssqlserver;db1",
      BackupItemFriendlyName: "db1",
      BackupItemType: "SQLDataBase",
      BackupItemProtectionState: "Protected",
      BackupItemAppVersion: "15.0",
      ProtectionState: "Protected",
      ProtectionGroupName: "",
      SecondaryBackupProtectionState: "NotApplicable",
    },
    columns: {
      BackupManagementType_s: "AzureWorkload",
      BackupItemUniqueId_s: "item-2",
      BackupItemName_s: "SQLDataBase;mssqlserver;db1",
      BackupItemFriendlyName_s: "db1",
      BackupItemType_s: "SQLDataBase",
      BackupItemProtectionState_s: "Protected",
      BackupItemAppVersion_s: "15.0",
      ProtectionState_s: "Protected",
      ProtectionGroupName_s: "",
      SecondaryBackupProtectionState_s: "NotApplicable",
    },
  },
  {
    op: "BackupItemAssociation",
    props: {
      ...common,
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: "item-1",
      BackupItemSourceSize: "128",
      BackupManagementServerUniqueId: "",
      ProtectedContainerUniqueId: "pc-1",
      PolicyUniqueId: "0f0e0d0c-0b0a-0908-0706-050403020100",
    },
    columns: {
      BackupManagementType_s: "IaaSVM",
      BackupItemUniqueId_s: "item-1",
      BackupItemSourceSize_s: "128",
      BackupManagementServerUniqueId_s: "",
      ProtectedContainerUniqueId_s: "pc-1",
      PolicyUniqueId_g: "0f0e0d0c-0b0a-0908-0706-050403020100",
    },
  },
  {
    op: "Alert",
    props: {
      ...common,
      BackupManagementType: "IaaSVM",
      AlertUniqueId: "alert-azure-1",
      AlertType: "Backup",
      AlertStatus: "Active",
      AlertOccurrenceDateTime: "2024-03-10T07:30:00Z",
      AlertSeverity: "Critical",
      AlertTimeToResolveInMinutes: "0",
      AlertConsolidationStatus: "NotApplicable",
      CountOfAlertsConsolidated: "1",
      AlertRaisedOn: "BackupItem",
      AlertCode: "UserErrorVmNotFound",
      RecommendedAction: "Check the VM",
      BackupItemUniqueId: "item-1",
      ProtectedContainerUniqueId: "pc-1",
    },
    columns: {
      BackupManagementType_s: "IaaSVM",
      // Azure source: AlertUniqueId stays a string column
      AlertUniqueId_s: "alert-azure-1",
      AlertType_s: "Backup",
      AlertStatus_s: "Active",
      AlertOccurrenceDateTime_s: "2024-03-10T07:30:00Z",
      AlertSeverity_s: "Critical",
      AlertTimeToResolveInMinutes_s: "0",
      AlertConsolidationStatus_s: "NotApplicable",
      CountOfAlertsConsolidated_s: "1",
      AlertRaisedOn_s: "BackupItem",
      AlertCode_s: "UserErrorVmNotFound",
      RecommendedAction_s: "Check the VM",
      BackupItemUniqueId_s: "item-1",
      ProtectedContainerUniqueId_s: "pc-1",
    },
  },
  {
    op: "Alert",
    props: { ...common, BackupManagementType: "MAB", AlertUniqueId: "12345678-90AB-CDEF-1234-567890ABCDEF", AlertStatus: "Resolved" },
    columns: { BackupManagementType_s: "MAB", AlertUniqueId_g: "12345678-90ab-cdef-1234-567890abcdef", AlertStatus_s: "Resolved" },
  },
  {
    op: "Alert",
    props: { ...common, BackupManagementType: "DPM", AlertUniqueId_s: "22345678-90ab-cdef-1234-567890abcdef" },
    columns: { BackupManagementType_s: "DPM", AlertUniqueId_g: "22345678-90ab-cdef-1234-567890abcdef" },
  },
  {
    op: "BackupManagementServer",
    props: {
      ...common,
      BackupManagementType: "AzureBackupServer",
      // older templates' spelling, bare and suffixed
      BackupManagmentServerName: "mabs01",
      BackupManagmentServerUniqueId_s: "bms-1",
      BackupManagementServerType: "MABS",
      BackupManagementServerVersion: "3.0",
      BackupManagementServerOSVersion: "Windows Server 2019",
      AzureBackupAgentVersion: "2.0.9",
    },
    columns: {
      BackupManagementType_s: "AzureBackupServer",
      BackupManagementServerName_s: "mabs01",
      BackupManagementServerUniqueId_s: "bms-1",
      BackupManagementServerType_s: "MABS",
      BackupManagementServerVersion_s: "3.0",
      BackupManagementServerOSVersion_s: "Windows Server 2019",
      AzureBackupAgentVersion_s: "2.0.9",
    },
  },
  {
    op: "Policy",
    props: {
      ...common,
      BackupManagementType: "IaaSVM",
      PolicyUniqueId: "0F0E0D0C-0B0A-0908-0706-050403020100",
      PolicyName: "DefaultPolicy",
      BackupFrequency: "Daily",
      BackupTimes: "22:00",
      DailyRetentionDuration: "30",
      WeeklyRetentionDuration: "12",
      LogBackupFrequency: "15",
      SynchronisationFrequencyPerDay: "2",
    },
    columns: {
      BackupManagementType_s: "IaaSVM",
      PolicyUniqueId_g: "0f0e0d0c-0b0a-0908-0706-050403020100",
      PolicyName_s: "DefaultPolicy",
      BackupFrequency_s: "Daily",
      BackupTimes_s: "22:00",
      DailyRetentionDuration_s: "30",
      WeeklyRetentionDuration_s: "12",
      LogBackupFrequency_s: "15",
      SynchronisationFrequencyPerDay_s: "2",
    },
  },
  {
    op: "PolicyAssociation",
    props: { ...common, BackupManagementType: "IaaSVM", PolicyUniqueId_g: "0f0e0d0c-0b0a-0908-0706-050403020100", BackupItemUniqueId: "item-1" },
    columns: { BackupManagementType_s: "IaaSVM", PolicyUniqueId_g: "0f0e0d0c-0b0a-0908-0706-050403020100", BackupItemUniqueId_s: "item-1" },
  },
  {
    op: "ProtectedContainer",
    props: {
      ...common,
      BackupManagementType: "MAB",
      ProtectedContainerUniqueId: "pc-9",
      ProtectedContainerName: "fileserver01.contoso.local",
      ProtectedContainerFriendlyName: "fileserver01",
      ProtectedContainerOSType: "Windows",
      ProtectedContainerOSVersion: "10.0",
      ProtectedContainerWorkloadType: "FileFolder",
      ProtectedContainerLocation: "On-premises",
      ProtectedContainerType: "Windows",
      ProtectedContainerProtectionState: "Protected",
      AgentVersion: "2.0.9",
      EntityState: "Active",
    },
    columns: {
      BackupManagementType_s: "MAB",
      ProtectedContainerUniqueId_s: "pc-9",
      ProtectedContainerName_s: "fileserver01.contoso.local",
      ProtectedContainerFriendlyName_s: "fileserver01",
      ProtectedContainerOSType_s: "Windows",
      ProtectedContainerOSVersion_s: "10.0",
      ProtectedContainerWorkloadType_s: "FileFolder",
      ProtectedContainerLocation_s: "On-premises",
      ProtectedContainerType_s: "Windows",
      ProtectedContainerProtectionState_s: "Protected",
      AgentVersion_s: "2.0.9",
      EntityState_s: "Active",
    },
  },
  {
    op: "Storage",
    props: { ...common, StorageUniqueId: "st-1", StorageType: "Cloud", StorageName: "cloud", StorageTotalSizeInGBs: "1024", ProtectedInstances: "3" },
    columns: { StorageUniqueId_s: "st-1", StorageType_s: "Cloud", StorageName_s: "cloud", StorageTotalSizeInGBs_s: "1024", ProtectedInstances_s: "3" },
  },
  {
    op: "StorageAssociation",
    props: { ...common, StorageUniqueId: "st-1", BackupItemUniqueId: "item-1", StorageConsumedInMBs: "2048.5", StorageAllocatedInMBs: "4096" },
    columns: { StorageUniqueId_s: "st-1", BackupItemUniqueId_s: "item-1", StorageConsumedInMBs_s: "2048.5", StorageAllocatedInMBs_s: "4096" },
  },
  {
    op: "Vault",
    props: { ...common, VaultName: "vault-one", AzureDataCenter: "westeurope", StorageReplicationType: "GeoRedundant" },
    columns: { VaultName_s: "vault-one", AzureDataCenter_s: "westeurope", StorageReplicationType_s: "GeoRedundant" },
  },
  {
    op: "RecoveryPoint",
    props: {
      ...common,
      BackupItemUniqueId: "item-1",
      OldestRecoveryPointTime: "2024-02-09T22:00:00Z",
      OldestRecoveryPointLocation: "Vault",
      LatestRecoveryPointTime: "2024-03-09T22:00:00Z",
      LatestRecoveryPointLocation: "Snapshot and Vault",
    },
    columns: {
      BackupItemUniqueId_s: "item-1",
      OldestRecoveryPointTime_s: "2024-02-09T22:00:00Z",
      OldestRecoveryPointLocation_s: "Vault",
      LatestRecoveryPointTime_s: "2024-03-09T22:00:00Z",
      LatestRecoveryPointLocation_s: "Snapshot and Vault",
    },
  },
  {
    op: "ProtectedInstance",
    props: { ...common, ProtectedContainerUniqueId: "pc-9", ProtectedInstanceCount: "4" },
    columns: { ProtectedContainerUniqueId_s: "pc-9", ProtectedInstanceCount_s: "4" },
  },
];

describe("backupRecordToDiagnosticsRow", () => {
  it.each(cases.map((c, i) => [`${c.op} #${i}`, c] as const))("%s maps to the AzureDiagnostics columns", (_, c) => {
    const row = backupRecordToDiagnosticsRow(parsed(record(c.op, c.props)));
    expect(row).toEqual({ ...standard, OperationName: c.op, ...commonColumns, ...c.columns });
    expect(coerceRow("AzureDiagnostics", row).issues).toBeUndefined();
  });

  it("takes keys already suffixed as Log Analytics names them to the same row", () => {
    const bare = cases[0]!;
    const suffixed = Object.fromEntries(
      Object.entries(bare.props).map(([k, v]) => [k === "JobUniqueId" ? `${k}_g` : `${k}_s`, v]),
    );
    expect(backupRecordToDiagnosticsRow(parsed(record("Job", suffixed)))).toEqual(
      backupRecordToDiagnosticsRow(parsed(record("Job", bare.props))),
    );
  });

  it("maps AlertUniqueId_g from an Azure source back to a string column", () => {
    const row = backupRecordToDiagnosticsRow(
      parsed(record("Alert", { ...common, BackupManagementType: "IaaSVM", AlertUniqueId_g: "32345678-90ab-cdef-1234-567890abcdef" })),
    );
    expect(row.AlertUniqueId_s).toBe("32345678-90ab-cdef-1234-567890abcdef");
    expect(row).not.toHaveProperty("AlertUniqueId_g");
  });

  it("types undocumented fields by their JSON value, _t only when the key says so", () => {
    const row = backupRecordToDiagnosticsRow(
      parsed(
        record("Job", {
          ...common,
          NewCounter: 5,
          NewFlag: true,
          NewText: "x",
          NewBag: { a: [1, 2] },
          NewWhen_t: "2024-03-10T09:00:00+01:00",
          NewNothing: null,
        }),
      ),
    );
    expect(row).toMatchObject({
      NewCounter_d: 5,
      NewFlag_b: true,
      NewText_s: "x",
      NewBag_s: '{"a":[1,2]}',
      NewWhen_t: "2024-03-10T08:00:00Z",
    });
    expect(Object.keys(row).filter((k) => k.startsWith("NewNothing"))).toEqual([]);
    expect(coerceRow("AzureDiagnostics", row).issues).toBeUndefined();
  });
});

describe("parseBackupReportRecord rejects, naming the field as sent", () => {
  const issuesOf = (input: unknown) => {
    const r = parseBackupReportRecord(input);
    return r.ok ? [] : r.issues;
  };

  it("a JobUniqueId that is not a GUID", () => {
    expect(issuesOf(record("Job", { ...common, JobUniqueId_g: "job-1" })).map((i) => i.path)).toEqual(["properties.JobUniqueId_g"]);
  });
  it("an on-premises AlertUniqueId that is not a GUID, while an Azure one may be anything", () => {
    expect(issuesOf(record("Alert", { BackupManagementType: "DPM", AlertUniqueId: "a-1" })).map((i) => i.path)).toEqual([
      "properties.AlertUniqueId",
    ]);
    expect(issuesOf(record("Alert", { BackupManagementType: "IaaSVM", AlertUniqueId: "a-1" }))).toEqual([]);
  });
  it("an unknown schema version, operation or category", () => {
    expect(issuesOf(record("Vault", { SchemaVersion_s: "V3" })).map((i) => i.path)).toEqual(["properties.SchemaVersion_s"]);
    expect(issuesOf({ ...record("Vault", {}), operationName: "Gossip" }).map((i) => i.path)).toEqual(["operationName"]);
    expect(issuesOf({ ...record("Vault", {}), category: "AzureSiteRecoveryJobs" }).map((i) => i.path)).toEqual(["category"]);
  });
  it("a documented field holding an object, and a bad _t value", () => {
    expect(issuesOf(record("Job", { JobStatus: { s: 1 }, When_t: "soon" })).map((i) => i.path).sort()).toEqual([
      "properties.JobStatus",
      "properties.When_t",
    ]);
  });
  it("the same field twice with different values", () => {
    expect(issuesOf(record("Job", { JobStatus: "Failed", JobStatus_s: "Completed" })).map((i) => i.path)).toEqual([
      "properties.JobStatus_s",
    ]);
  });
  it("an envelope without time", () => {
    const { time: _t, ...rest } = record("Job", {});
    expect(issuesOf(rest).map((i) => i.path)).toEqual(["time"]);
  });
});

describe("resourceRecordToDiagnosticsRow", () => {
  it("maps any category with the same standard columns and flattening", () => {
    const row = resourceRecordToDiagnosticsRow({
      time: "2024-03-10T08:15:30Z",
      resourceId: "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-one",
      operationName: "SecretGet",
      category: "AuditEvent",
      resultType: "Success",
      resultSignature: "OK",
      resultDescription: "",
      durationMs: "42",
      callerIpAddress: "10.0.0.1",
      correlationId: "c-1",
      identity: { claim: { appid: "x" } },
      properties: { id: "https://kv-one.vault.azure.net/secrets/s1", httpStatusCode: 200, isAccessPolicyMatch: true, clientInfo_s: "curl" },
    });
    expect(row).toEqual({
      TimeGenerated: "2024-03-10T08:15:30Z",
      ResourceId: "/SUBSCRIPTIONS/11111111-2222-3333-4444-555555555555/RESOURCEGROUPS/RG-KV/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-ONE",
      SubscriptionId: "11111111-2222-3333-4444-555555555555",
      ResourceGroup: "RG-KV",
      ResourceProvider: "MICROSOFT.KEYVAULT",
      ResourceType: "VAULTS",
      Resource: "KV-ONE",
      Category: "AuditEvent",
      OperationName: "SecretGet",
      SourceSystem: "Azure",
      ResultType: "Success",
      ResultSignature: "OK",
      ResultDescription: "",
      DurationMs: 42,
      CallerIPAddress: "10.0.0.1",
      CorrelationId: "c-1",
      identity_s: '{"claim":{"appid":"x"}}',
      id_s: "https://kv-one.vault.azure.net/secrets/s1",
      httpStatusCode_d: 200,
      isAccessPolicyMatch_b: true,
      clientInfo_s: "curl",
    });
    expect(coerceRow("AzureDiagnostics", row).issues).toBeUndefined();
  });
});
