import { fixedSchemaTables } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { type BackupReportRecord, type Batch, generateEstate, type ResourceSpecificRecord, type SimulatorOptions } from "./index";

const now = new Date("2025-03-15T09:30:00Z");
// a high failure rate so the comparison has plenty of failed jobs and alerts
const base: SimulatorOptions = { seed: "shapes", vaults: 3, itemsPerKind: 1, now, days: 4, failureRate: 0.3 };
const run = (shape?: SimulatorOptions["shape"]) => [...generateEstate({ ...base, ...(shape ? { shape } : {}) })];
const legacyBatches = run();
const specificBatches = run("resource-specific");
const bothBatches = run("both");

const sixTables = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];
const legacyOf = (batches: Batch[]) => batches.flatMap((b) => b.records).filter((r): r is BackupReportRecord => r.category === "AzureBackupReport");
const specificOf = (batches: Batch[]) => batches.flatMap((b) => b.records).filter((r): r is ResourceSpecificRecord => sixTables.includes(r.category));

const legacy = legacyOf(legacyBatches);
const specific = specificOf(specificBatches);
const legacyJobs = legacy.filter((r) => r.operationName === "Job").map((r) => r.properties);
const specificJobs = specific.filter((r) => r.category === "AddonAzureBackupJobs").map((r) => r.properties);
const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;

describe("resource-specific shape: the same jobs as the legacy records of the same seed", () => {
  it("has the same job ids, the same failed jobs and the same data transferred", () => {
    expect(legacyJobs.length).toBeGreaterThan(20);
    expect(specificJobs).toHaveLength(legacyJobs.length);
    expect(specificJobs.map((p) => p.JobUniqueId).sort()).toEqual(legacyJobs.map((p) => p.JobUniqueId).sort());
    const legacyFailed = legacyJobs.filter((p) => p.JobStatus === "Failed");
    const specificFailed = specificJobs.filter((p) => p.JobStatus === "Failed");
    expect(legacyFailed.length).toBeGreaterThan(3);
    expect(specificFailed).toHaveLength(legacyFailed.length);
    expect(specificFailed.map((p) => p.JobUniqueId).sort()).toEqual(legacyFailed.map((p) => p.JobUniqueId).sort());
    // legacy sends DataTransferredInMB as a string, the resource-specific table types it real (AZURE-REFERENCE §1.1)
    expect(specificJobs.every((p) => typeof p.DataTransferredInMB === "number")).toBe(true);
    expect(sum(specificJobs.map((p) => p.DataTransferredInMB as number))).toBe(sum(legacyJobs.map((p) => Number(p.DataTransferredInMB))));
  });

  it("carries each job's facts under Azure's documented column names, typed", () => {
    const byId = new Map(legacyJobs.map((p) => [p.JobUniqueId, p]));
    for (const p of specificJobs) {
      const l = byId.get(p.JobUniqueId as string)!;
      expect({
        JobStatus: p.JobStatus,
        JobFailureCode: p.JobFailureCode,
        JobOperation: p.JobOperation,
        BackupItemUniqueId: p.BackupItemUniqueId,
        BackupManagementType: p.BackupManagementType,
        AdHocOrScheduledJob: p.AdHocOrScheduledJob,
        JobDurationInSecs: p.JobDurationInSecs,
        JobStartDateTime: p.JobStartDateTime,
      }).toEqual({
        JobStatus: l.JobStatus,
        JobFailureCode: l.JobFailureCode,
        JobOperation: l.JobOperation,
        BackupItemUniqueId: l.BackupItemUniqueId,
        BackupManagementType: l.BackupManagementType,
        AdHocOrScheduledJob: l.AdHocOrScheduledJob,
        JobDurationInSecs: Number(l.JobDurationInSecs),
        // a datetime column: the same instant, ISO 8601
        JobStartDateTime: new Date(l.JobStartDateTime!).toISOString(),
      });
      // no suffixes, no AzureDiagnostics-only EventName
      expect(Object.keys(p).some((k) => /_[sgdbt]$/.test(k))).toBe(false);
      expect(p).not.toHaveProperty("EventName");
    }
    const job = specific.find((r) => r.category === "AddonAzureBackupJobs")!;
    expect(job.operationName).toBe("Job");
    expect(job.resourceId).toMatch(/\/providers\/Microsoft\.RecoveryServices\/vaults\/rsv-/);
    expect(job.properties.VaultName).toBe(job.resourceId.split("/").pop());
  });

  it("uses only the documented columns of each table, with values of the documented types", () => {
    expect(new Set(specific.map((r) => r.category))).toEqual(new Set(sixTables));
    for (const r of specific) {
      const columns = new Map(fixedSchemaTables[r.category]!.columns.map((c) => [c.name, c.type]));
      for (const [name, value] of Object.entries(r.properties)) {
        const type = columns.get(name);
        expect(type, `${r.category}.${name}`).toBeDefined();
        if (type === "real" || type === "int") expect(typeof value, `${r.category}.${name}`).toBe("number");
        else if (type === "datetime") expect(value, `${r.category}.${name}`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        else if (type === "string") expect(typeof value, `${r.category}.${name}`).toBe("string");
      }
    }
  });

  it("puts alerts, items, recovery points, policies and storage in their tables with the same facts", () => {
    const ids = (list: Record<string, string | number | boolean>[], key: string) => list.map((p) => `${String(p[key])}/${String(p.AlertStatus)}`).sort();
    const legacyAlerts = legacy.filter((r) => r.operationName === "Alert").map((r) => r.properties);
    const specificAlerts = specific.filter((r) => r.category === "AddonAzureBackupAlerts").map((r) => r.properties);
    expect(legacyAlerts.length).toBeGreaterThan(0);
    expect(ids(specificAlerts, "AlertUniqueId")).toEqual(ids(legacyAlerts, "AlertUniqueId"));
    expect(specificAlerts.every((p) => typeof p.CountOfAlertsConsolidated === "number")).toBe(true);

    const items = specific.filter((r) => r.category === "CoreAzureBackup" && r.operationName === "BackupItem");
    expect(items).toHaveLength(legacy.filter((r) => r.operationName === "BackupItem").length);
    // a legacy RecoveryPoint record's times are CoreAzureBackup's recovery-point columns of the item's record
    const point = legacy.find((r) => r.operationName === "RecoveryPoint")!;
    const item = items.find((r) => r.time === point.time && r.properties.BackupItemUniqueId === point.properties.BackupItemUniqueId)!;
    expect(item.properties.LatestRecoveryPointTime).toBe(new Date(point.properties.LatestRecoveryPointTime!).toISOString());
    expect(item.properties.OldestRecoveryPointTime).toBe(new Date(point.properties.OldestRecoveryPointTime!).toISOString());

    expect(specific.filter((r) => r.category === "AddonAzureBackupPolicy")).toHaveLength(legacy.filter((r) => r.operationName === "Policy").length);
    const consumed = (list: { properties: Record<string, unknown> }[]) => sum(list.map((r) => Number(r.properties.StorageConsumedInMBs)));
    expect(consumed(specific.filter((r) => r.operationName === "StorageAssociation"))).toBe(consumed(legacy.filter((r) => r.operationName === "StorageAssociation")));
    const instances = specific.filter((r) => r.category === "AddonAzureBackupProtectedInstance");
    expect(instances).toHaveLength(legacy.filter((r) => r.operationName === "ProtectedInstance").length);
    expect(instances.every((r) => r.properties.ProtectedInstanceCount === 1 && typeof r.properties.SourceSizeInMBs === "number")).toBe(true);
  });

  it("arrives at the same times, and `both` sends each batch's legacy records then their resource-specific twins", () => {
    expect(specificBatches.map((b) => b.arrivesAt.getTime())).toEqual(legacyBatches.map((b) => b.arrivesAt.getTime()));
    expect(bothBatches.map((b) => b.arrivesAt.getTime())).toEqual(legacyBatches.map((b) => b.arrivesAt.getTime()));
    expect(legacyOf(bothBatches)).toEqual(legacy);
    expect(specificOf(bothBatches)).toEqual(specific);
    // activity-log events once, not twice
    const activity = (batches: Batch[]) => batches.flatMap((b) => b.records).filter((r) => r.category !== "AzureBackupReport" && !sixTables.includes(r.category));
    expect(activity(bothBatches)).toEqual(activity(legacyBatches));
  });

  it("is deterministic for a seed, and the default stays the legacy shape", () => {
    expect(JSON.stringify(run("resource-specific"))).toBe(JSON.stringify(specificBatches));
    expect(JSON.stringify(run("legacy"))).toBe(JSON.stringify(legacyBatches));
    expect(specificOf(legacyBatches)).toHaveLength(0);
  });

  it("refuses an unknown shape by naming the option", () => {
    expect(() => [...generateEstate({ ...base, shape: "modern" as never })]).toThrow(/^shape: must be one of legacy, resource-specific, both$/);
  });
});
