// The category → table map and the resource-specific record → typed row conversion (no database). Column names and
// types are those of the Azure Monitor table reference (AZURE-REFERENCE §1.1: JobStatus string, JobStartDateTime
// datetime, DataTransferredInMB real, ...).
import { describe, expect, it } from "vitest";
import { categoryTables, resourceSpecificColumnType, resourceSpecificRecordToRow, resourceSpecificTableOf, tableOfCategory } from "./categories";
import { classifyRecord } from "./classify";

const vault = "/SUBSCRIPTIONS/5A1C0D2E-7B3F-4C8D-9E0A-1B2C3D4E5F60/RESOURCEGROUPS/BACKUP-RG/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-WEST";

/** A job record as a vault in resource-specific mode archives it: the table's columns in `properties`. */
const jobRecord = (properties: Record<string, unknown> = {}) => ({
  time: "2026-12-07T08:15:30+00:00",
  resourceId: vault,
  category: "AddonAzureBackupJobs",
  operationName: "Job",
  level: "Informational",
  properties: {
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: "IaaSVM",
    VaultUniqueId: "vault-west-1",
    BackupItemUniqueId: "item-1",
    JobOperation: "Backup",
    JobStatus: "Failed",
    JobFailureCode: "UserErrorVmNotFound",
    JobStartDateTime: "2026-12-07 08:00:00",
    JobDurationInSecs: "420",
    DataTransferredInMB: "12.5",
    JobUniqueId: "0f0e0d0c-0b0a-4908-8706-050403020100",
    AdHocOrScheduledJob: "Scheduled",
    ...properties,
  },
});

describe("category → table", () => {
  it("AzureBackupReport goes to AzureDiagnostics and each resource-specific category to its own table", () => {
    expect(categoryTables).toEqual({
      AzureBackupReport: "AzureDiagnostics",
      CoreAzureBackup: "CoreAzureBackup",
      AddonAzureBackupJobs: "AddonAzureBackupJobs",
      AddonAzureBackupAlerts: "AddonAzureBackupAlerts",
      AddonAzureBackupPolicy: "AddonAzureBackupPolicy",
      AddonAzureBackupStorage: "AddonAzureBackupStorage",
      AddonAzureBackupProtectedInstance: "AddonAzureBackupProtectedInstance",
    });
    // the container name's spelling (insights-logs-addonazurebackupjobs) finds the table too
    expect(resourceSpecificTableOf("addonazurebackupjobs")).toBe("AddonAzureBackupJobs");
    expect(tableOfCategory("AzureSiteRecoveryJobs")).toBeUndefined();
    expect(tableOfCategory("AuditEvent")).toBeUndefined();
  });

  it("records are classified by category: backup report, resource-specific, activity log, other", () => {
    expect(classifyRecord({ category: "AzureBackupReport" })).toBe("backup");
    expect(classifyRecord(jobRecord())).toBe("resourceSpecific");
    expect(classifyRecord({ category: "CoreAzureBackup" })).toBe("resourceSpecific");
    expect(classifyRecord({ category: "Write", properties: { eventCategory: "Administrative" } })).toBe("activity");
    expect(classifyRecord({ category: "AzureSiteRecoveryJobs" })).toBe("resource");
  });

  it("the columns are typed as documented", () => {
    const jobs = resourceSpecificColumnType("AddonAzureBackupJobs");
    expect([jobs("JobStatus"), jobs("JobStartDateTime"), jobs("DataTransferredInMB"), jobs("JobDurationInSecs"), jobs("ExtendedProperties"), jobs("_ResourceId")]).toEqual([
      "string",
      "datetime",
      "real",
      "real",
      "dynamic",
      "string",
    ]);
    expect(jobs("JobStatus_s")).toBeUndefined();
    const core = resourceSpecificColumnType("CoreAzureBackup");
    expect([core("LatestRecoveryPointTime"), core("StorageConsumedInMBs"), core("IsArchiveEnabled")]).toEqual(["datetime", "real", "bool"]);
    expect(resourceSpecificColumnType("AddonAzureBackupProtectedInstance")("ProtectedInstanceCount")).toBe("int");
  });
});

describe("a resource-specific record → its typed row", () => {
  it("takes TimeGenerated from time, the standard columns from the envelope, and typed values from properties", () => {
    const r = resourceSpecificRecordToRow("AddonAzureBackupJobs", jobRecord());
    expect(r).toEqual({
      ok: true,
      value: {
        TimeGenerated: "2026-12-07T08:15:30Z",
        ResourceId: vault,
        _ResourceId: vault.toLowerCase(),
        _SubscriptionId: "5a1c0d2e-7b3f-4c8d-9e0a-1b2c3d4e5f60",
        Category: "AddonAzureBackupJobs",
        OperationName: "Job",
        SourceSystem: "Azure",
        SchemaVersion: "V2",
        State: "Active",
        BackupManagementType: "IaaSVM",
        VaultUniqueId: "vault-west-1",
        BackupItemUniqueId: "item-1",
        JobOperation: "Backup",
        JobStatus: "Failed",
        JobFailureCode: "UserErrorVmNotFound",
        JobStartDateTime: "2026-12-07T08:00:00Z",
        JobDurationInSecs: 420,
        DataTransferredInMB: 12.5,
        JobUniqueId: "0f0e0d0c-0b0a-4908-8706-050403020100",
        AdHocOrScheduledJob: "Scheduled",
        // the vault-describing columns the record left out, from the vault's id
        SubscriptionId: "5A1C0D2E-7B3F-4C8D-9E0A-1B2C3D4E5F60",
        ResourceGroupName: "BACKUP-RG",
        VaultName: "RSV-WEST",
      },
    });
  });

  it("keeps the record's own vault columns, documented names in any case, JSON numbers and JSON-text ExtendedProperties; skips computed columns", () => {
    const r = resourceSpecificRecordToRow("AddonAzureBackupJobs", jobRecord({ VaultName: "rsv-west", jobstatus: "Completed", DataTransferredInMB: 7, ExtendedProperties: '{"a":1}', TenantId: "ws", Type: "X", _BilledSize: 9 }));
    expect(r.ok && r.value).toMatchObject({ VaultName: "rsv-west", JobStatus: "Completed", DataTransferredInMB: 7, ExtendedProperties: { a: 1 } });
    // the columns Log Analytics computes itself are not taken from a record
    expect(r.ok && ["TenantId", "Type", "_BilledSize"].filter((c) => c in r.value)).toEqual([]);
  });

  it("a CoreAzureBackup item snapshot: datetimes, reals and booleans typed", () => {
    const r = resourceSpecificRecordToRow("CoreAzureBackup", {
      time: "2026-12-07T00:00:00Z",
      resourceId: vault,
      category: "CoreAzureBackup",
      operationName: "BackupItem",
      properties: { BackupItemUniqueId: "item-1", BackupItemFriendlyName: "web-01", BackupItemProtectionState: "Protected", LatestRecoveryPointTime: "2026-12-06T22:00:00Z", StorageConsumedInMBs: "2048.5", IsArchiveEnabled: false },
    });
    expect(r.ok && r.value).toMatchObject({ OperationName: "BackupItem", Category: "CoreAzureBackup", LatestRecoveryPointTime: "2026-12-06T22:00:00Z", StorageConsumedInMBs: 2048.5, IsArchiveEnabled: false, BackupItemFriendlyName: "web-01" });
  });

  it("names every field it cannot store: a value its column cannot take, a property that is no documented column, a bad envelope", () => {
    expect(resourceSpecificRecordToRow("AddonAzureBackupJobs", jobRecord({ DataTransferredInMB: "lots", JobStartDateTime: "yesterday", JobStatus_s: "Failed" }))).toEqual({
      ok: false,
      issues: [
        { path: "properties.JobStartDateTime", message: expect.stringMatching(/^must be an ISO 8601 datetime .*\(column JobStartDateTime, type datetime\)$/) },
        { path: "properties.DataTransferredInMB", message: "must be a number (column DataTransferredInMB, type real)" },
        { path: "properties.JobStatus_s", message: "not a column of AddonAzureBackupJobs (its documented columns only)" },
      ],
    });
    const noTime = resourceSpecificRecordToRow("AddonAzureBackupJobs", { ...jobRecord(), time: "not a time" });
    expect(noTime.ok ? [] : noTime.issues.map((i) => i.path)).toEqual(["time"]);
  });
});
