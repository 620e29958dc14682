import { describe, expect, it } from "vitest";
import { type ActivityLogRecord, type BackupReportRecord, type Batch, DAY, generateEstate, HOUR, MINUTE, type SimulatorOptions } from "./index";

const now = new Date("2025-03-15T09:30:00Z");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function groupBy<T, K>(list: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = m.get(k);
    if (l) l.push(t);
    else m.set(k, [t]);
  }
  return m;
}

function collect(options: SimulatorOptions): Batch[] {
  return [...generateEstate(options)];
}
const ndjson = (batches: Batch[]) => batches.map((b) => `${b.arrivesAt.toISOString()} ${JSON.stringify(b.records)}`).join("\n");

type Row = { record: BackupReportRecord; arrivesMs: number };

// One MSP-sized run shared by the assertions below: 10 vaults, 2 items of each kind, two weeks.
const options: SimulatorOptions = { seed: "msp", vaults: 10, itemsPerKind: 2, now, days: 14 };
const batches = collect(options);
const rows: Row[] = [];
const activity: { record: ActivityLogRecord; arrivesMs: number }[] = [];
for (const b of batches) {
  for (const r of b.records) {
    if (r.category === "AzureBackupReport") rows.push({ record: r as BackupReportRecord, arrivesMs: b.arrivesAt.getTime() });
    else activity.push({ record: r as ActivityLogRecord, arrivesMs: b.arrivesAt.getTime() });
  }
}
const of = (op: string) => rows.filter((r) => r.record.operationName === op);
const jobs = of("Job").map((r) => r.record.properties);
const p = (r: Row) => r.record.properties;

describe("determinism", () => {
  const small: SimulatorOptions = { seed: 7, vaults: 3, itemsPerKind: 1, now, days: 3 };
  it("gives byte-identical output for the same seed, and different output for another", () => {
    const a = ndjson(collect(small));
    expect(a.length).toBeGreaterThan(10_000);
    expect(ndjson(collect(small))).toBe(a);
    expect(ndjson(collect({ ...small, seed: 8 }))).not.toBe(a);
  });

  it("resumes: the batches after a cut-off are the rest of the uninterrupted run", () => {
    const cut = new Date(now.getTime() - 1.3 * DAY);
    const from = new Date(now.getTime() - 3 * DAY);
    const whole = ndjson(collect({ ...small, from, to: now }));
    const first = collect({ ...small, from, to: cut });
    const rest = collect({ ...small, from, to: now, arrivedAfter: cut });
    expect(first.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    expect(ndjson([...first, ...rest])).toBe(whole);
  });

  it("emits batches in arrival order and nothing that arrives after now", () => {
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i]!.arrivesAt.getTime()).toBeGreaterThanOrEqual(batches[i - 1]!.arrivesAt.getTime());
    }
    expect(batches.at(-1)!.arrivesAt.getTime()).toBeLessThanOrEqual(now.getTime());
    const from = now.getTime() - 14 * DAY;
    for (const r of rows) expect(Date.parse(r.record.time)).toBeGreaterThanOrEqual(from);
  });
});

describe("the estate an MSP would expect", () => {
  it("names vaults rsv-<customer>-...-<region> with ARM ids, and every record carries the V2 envelope", () => {
    const vaults = new Set(rows.map((r) => r.record.resourceId));
    expect(vaults.size).toBe(10);
    for (const id of vaults) {
      expect(id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-backup-[a-z0-9]+\/providers\/Microsoft\.RecoveryServices\/vaults\/rsv-[a-z0-9-]+$/);
    }
    const bad = rows.filter(({ record: { properties: x } }) => {
      const envelope = x.EventName === "AzureBackupCentralReport" && x.SchemaVersion === "V2" && x.State === "Active";
      return !envelope || !/^\d{16}$/.test(x.VaultUniqueId ?? "") || Object.values(x).some((v) => typeof v !== "string");
    });
    expect(bad.slice(0, 1)).toEqual([]);
  });

  it("has a BackupItem row for every item every day, for every kind of workload", () => {
    const perItem = new Map<string, Set<string>>();
    for (const r of of("BackupItem")) {
      const days = perItem.get(p(r).BackupItemUniqueId!) ?? new Set();
      days.add(r.record.time.slice(0, 10));
      perItem.set(p(r).BackupItemUniqueId!, days);
    }
    expect(perItem.size).toBe(10 * 6 * 2);
    for (const days of perItem.values()) expect(days.size).toBeGreaterThanOrEqual(13);
    const kinds = new Set(of("BackupItem").map((r) => `${p(r).BackupManagementType}/${p(r).BackupItemType}`));
    for (const k of ["IaaSVM/VM", "AzureWorkload/SQLDataBase", "MAB/FileFolder", "AzureStorage/AzureFileShare"]) expect(kinds).toContain(k);
    expect([...kinds].some((k) => k.startsWith("DPM/"))).toBe(true);
    expect([...kinds].some((k) => k.startsWith("AzureBackupServer/"))).toBe(true);
    for (const op of ["Vault", "Policy", "PolicyAssociation", "ProtectedContainer", "BackupItemAssociation", "Storage", "StorageAssociation", "RecoveryPoint", "BackupManagementServer", "ProtectedInstance"]) {
      expect(of(op).length, op).toBeGreaterThan(0);
    }
    expect(new Set(of("BackupManagementServer").map((r) => p(r).BackupManagementServerType))).toEqual(new Set(["SC DPM", "MABS"]));
  });

  it("runs SQL log backups every 15 minutes and a daily full", () => {
    const day = new Date(now.getTime() - 5 * DAY).toISOString().slice(0, 10);
    const sql = jobs.filter((j) => j.BackupManagementType === "AzureWorkload" && j.JobStartDateTime!.startsWith(day));
    const byItem = groupBy(sql, (j) => j.BackupItemUniqueId!);
    expect(byItem.size).toBe(20);
    for (const list of byItem.values()) {
      const logs = list.filter((j) => j.JobOperationSubType === "Log" && j.AdHocOrScheduledJob === "Scheduled");
      expect(logs.length).toBeGreaterThanOrEqual(94);
      expect(logs.length).toBeLessThanOrEqual(96);
      const starts = logs.map((j) => Date.parse(j.JobStartDateTime!)).sort((a, b) => a - b);
      for (let i = 1; i < starts.length; i++) {
        const gap = starts[i]! - starts[i - 1]!;
        expect(gap === 0 ? 15 * MINUTE : gap).toBeGreaterThan(13 * MINUTE);
        expect(gap).toBeLessThan(32 * MINUTE);
      }
      expect(list.filter((j) => j.JobOperationSubType === "Full" && j.AdHocOrScheduledJob === "Scheduled")).toHaveLength(1);
    }
  });

  it("fails at a believable rate, always with a failure code, and also warns and cancels", () => {
    const backups = jobs.filter((j) => j.JobOperation === "Backup" && j.JobOperationSubType !== "Log");
    const failed = backups.filter((j) => j.JobStatus === "Failed");
    const rate = failed.length / backups.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.12);
    const logs = jobs.filter((j) => j.JobOperationSubType === "Log");
    expect(logs.filter((j) => j.JobStatus === "Failed").length / logs.length).toBeLessThan(0.08);
    for (const j of jobs.filter((x) => x.JobStatus === "Failed")) expect(j.JobFailureCode).toMatch(/^[\w.]+$/);
    for (const j of jobs.filter((x) => x.JobStatus === "Completed")) expect(j.JobFailureCode).toBe("Success");
    const statuses = new Set(jobs.map((j) => j.JobStatus));
    expect(statuses).toEqual(new Set(["Completed", "Failed", "CompletedWithWarnings", "Cancelled"]));
    const codes = new Set(failed.map((j) => j.JobFailureCode));
    expect(codes.size).toBeGreaterThan(8);
    expect(new Set(jobs.map((j) => j.JobUniqueId)).size).toBe(jobs.length);
    for (const j of jobs.slice(0, 500)) expect(j.JobUniqueId).toMatch(GUID);
  });

  it("makes durations and transfers proportional to size, and runs restores and ad hoc backups", () => {
    const fulls = jobs.filter((j) => j.JobOperationSubType === "Full" && j.JobStatus === "Completed");
    const logs = jobs.filter((j) => j.JobOperationSubType === "Log" && j.JobStatus === "Completed");
    const avg = (list: typeof jobs, f: string) => list.reduce((s, j) => s + Number(j[f]), 0) / list.length;
    expect(avg(fulls, "DataTransferredInMB")).toBeGreaterThan(20 * avg(logs, "DataTransferredInMB"));
    expect(avg(fulls, "JobDurationInSecs")).toBeGreaterThan(5 * avg(logs, "JobDurationInSecs"));
    for (const j of jobs) expect(Number(j.JobDurationInSecs)).toBeGreaterThan(0);
    const restores = jobs.filter((j) => j.JobOperation === "Restore");
    expect(restores.length).toBeGreaterThan(3);
    for (const r of restores) {
      expect(r.AdHocOrScheduledJob).toBe("Adhoc");
      expect(r.RecoveryJobRPDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(["Vault", "Snapshot"]).toContain(r.RecoveryJobRPLocation);
    }
    expect(jobs.filter((j) => j.JobOperation === "Backup" && j.AdHocOrScheduledJob === "Adhoc").length).toBeGreaterThan(0);
    expect(new Set(jobs.map((j) => j.BackupStorageDestination))).toEqual(new Set(["Cloud", "Disk"]));
  });

  it("raises built-in alerts on failures and resolves them later with the same AlertUniqueId", () => {
    const alerts = of("Alert").map(p);
    const active = alerts.filter((a) => a.AlertStatus === "Active");
    const resolved = alerts.filter((a) => a.AlertStatus === "Resolved");
    expect(active.length).toBeGreaterThan(20);
    expect(new Set(alerts.map((a) => a.AlertSeverity))).toEqual(new Set(["Critical", "Warning", "Information"]));
    const activeById = new Map(active.map((a) => [a.AlertUniqueId!, a]));
    expect(activeById.size).toBe(active.length);
    for (const r of resolved) {
      const a = activeById.get(r.AlertUniqueId!);
      expect(a, r.AlertUniqueId).toBeDefined();
      expect(Number(r.AlertTimeToResolveInMinutes)).toBeGreaterThan(0);
      expect(r.AlertCode).toBe(a!.AlertCode);
    }
    // Nearly everything raised more than two days before the end is resolved by then.
    const old = active.filter((a) => Date.parse(a.AlertOccurrenceDateTime!) < now.getTime() - 2 * DAY);
    const resolvedIds = new Set(resolved.map((r) => r.AlertUniqueId));
    expect(old.filter((a) => resolvedIds.has(a.AlertUniqueId)).length / old.length).toBeGreaterThan(0.9);
    // On-premises alerts are keyed by GUIDs (AlertUniqueId_g in Log Analytics), Azure workloads' by strings.
    for (const a of alerts) {
      const onPrem = ["MAB", "DPM", "AzureBackupServer"].includes(a.BackupManagementType!);
      expect(GUID.test(a.AlertUniqueId!)).toBe(onPrem);
      expect(a.AlertCode).toBeTruthy();
      expect(a.RecommendedAction).toBeTruthy();
    }
    expect(alerts.some((a) => a.BackupManagementType === "DPM")).toBe(true);
  });

  it("grows every vault's consumed storage over the fortnight", () => {
    const byVault = groupBy(of("StorageAssociation"), (r) => r.record.resourceId);
    for (const list of byVault.values()) {
      const byDay = groupBy(list, (r) => r.record.time.slice(0, 10));
      const days = [...byDay.keys()].sort();
      const total = (d: string) => byDay.get(d)!.reduce((s, r) => s + Number(p(r).StorageConsumedInMBs), 0);
      expect(total(days.at(-1)!)).toBeGreaterThan(total(days[0]!));
    }
  });
});

describe("arrival profile (AZURE-REFERENCE §1.4)", () => {
  const lagMin = (r: Row) => (r.arrivesMs - Date.parse(r.record.time)) / MINUTE;

  it("lands jobs 20-30 minutes after they finish, SQL scheduled jobs in 6-hour batches", () => {
    for (const r of of("Job")) {
      const props = p(r);
      const sqlBatched = props.BackupManagementType === "AzureWorkload" && props.AdHocOrScheduledJob === "Scheduled";
      const lag = lagMin(r);
      if (sqlBatched) {
        expect(lag).toBeGreaterThanOrEqual(20);
        expect(lag).toBeLessThanOrEqual(6 * 60 + 30);
      } else {
        expect(lag).toBeGreaterThanOrEqual(20);
        expect(lag).toBeLessThanOrEqual(30);
      }
    }
    // SQL batches: many jobs per push, and pushes of one vault are 6 hours apart.
    const sqlBatches = batches.filter((b) => b.records.every((r) => r.category === "AzureBackupReport" && (r as BackupReportRecord).properties.BackupManagementType === "AzureWorkload"));
    expect(sqlBatches.filter((b) => b.records.length > 20).length).toBeGreaterThan(100);
    const vaultPushes = groupBy(sqlBatches.filter((b) => b.records.length > 20), (b) => b.records[0]!.resourceId);
    for (const list of vaultPushes.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = (list[i]!.arrivesAt.getTime() - list[i - 1]!.arrivesAt.getTime()) / HOUR;
        expect(gap).toBeGreaterThan(5.8);
        expect(gap).toBeLessThan(6.2);
      }
    }
  });

  it("pushes alerts when raised and entities once a day, each landing 20-30 minutes later", () => {
    for (const r of of("Alert")) {
      expect(lagMin(r)).toBeGreaterThanOrEqual(20);
      expect(lagMin(r)).toBeLessThanOrEqual(30);
    }
    for (const op of ["BackupItem", "Policy", "Vault", "RecoveryPoint", "StorageAssociation"]) {
      for (const r of of(op)) {
        expect(lagMin(r)).toBeGreaterThanOrEqual(20);
        expect(lagMin(r)).toBeLessThanOrEqual(30);
      }
    }
    const vaultDays = groupBy(of("Vault"), (r) => r.record.resourceId);
    for (const list of vaultDays.values()) expect(list.length).toBeGreaterThanOrEqual(13);
  });

  it("streams activity-log events within minutes", () => {
    for (const a of activity) {
      const lag = (a.arrivesMs - Date.parse(a.record.time)) / MINUTE;
      expect(lag).toBeGreaterThanOrEqual(2);
      expect(lag).toBeLessThanOrEqual(12);
    }
  });
});

describe("activity log", () => {
  it("has events of all eight categories in the resource-log shape, each with a unique eventDataId", () => {
    const categories = new Set(activity.map((a) => a.record.properties.eventCategory));
    expect(categories).toEqual(new Set(["Administrative", "ServiceHealth", "ResourceHealth", "Alert", "Autoscale", "Recommendation", "Security", "Policy"]));
    const ids = activity.map((a) => a.record.properties.eventDataId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { record } of activity) {
      expect(record.correlationId).toBeTruthy();
      expect(["Critical", "Error", "Warning", "Informational"]).toContain(record.level);
      expect(record.properties.eventProperties).toBeTypeOf("object");
      expect(record.resourceId).toMatch(/^\/subscriptions\//i);
    }
    const health = activity.filter((a) => a.record.properties.eventCategory === "ResourceHealth");
    expect(health.every((a) => typeof (a.record.properties.eventProperties as Record<string, unknown>).currentHealthStatus === "string")).toBe(true);
  });

  it("records Azure VM backups on the vault", () => {
    const vmBackups = activity.filter((a) => a.record.operationName.endsWith("/protectedItems/backup/action"));
    expect(vmBackups.length).toBeGreaterThan(100);
    expect(vmBackups.every((a) => a.record.resourceId.includes("/Microsoft.RecoveryServices/vaults/"))).toBe(true);
    expect(new Set(vmBackups.map((a) => a.record.resultType))).toEqual(new Set(["Succeeded", "Failed"]));
  });
});

describe("the seed's sample queries select rows", () => {
  const v2 = rows.filter((r) => p(r).SchemaVersion === "V2");
  const completedBackups = v2.filter((r) => r.record.operationName === "Job" && p(r).JobOperation === "Backup" && p(r).JobStatus === "Completed");
  const itemsOfType = (itemType: string, mt: string) =>
    new Set(v2.filter((r) => r.record.operationName === "BackupItem" && p(r).BackupItemType === itemType && p(r).BackupManagementType === mt).map((r) => p(r).BackupItemUniqueId));
  const sub = (r: Row) => p(r).JobOperationSubType ?? "";

  it("all successful and all failed backup jobs", () => {
    expect(completedBackups.length).toBeGreaterThan(1000);
    expect(v2.filter((r) => r.record.operationName === "Job" && p(r).JobOperation === "Backup" && p(r).JobStatus === "Failed").length).toBeGreaterThan(10);
  });

  it("successful Azure VM, SQL log and MAB agent backup jobs joined to their BackupItem rows", () => {
    const nonLog = completedBackups.filter((r) => sub(r) !== "Log" && sub(r) !== "Recovery point_Log");
    const vm = itemsOfType("VM", "IaaSVM");
    const sql = itemsOfType("SQLDataBase", "AzureWorkload");
    const mab = itemsOfType("FileFolder", "MAB");
    expect(nonLog.filter((r) => vm.has(p(r).BackupItemUniqueId)).length).toBeGreaterThan(100);
    expect(completedBackups.filter((r) => sub(r) === "Log" && sql.has(p(r).BackupItemUniqueId)).length).toBeGreaterThan(10_000);
    expect(nonLog.filter((r) => mab.has(p(r).BackupItemUniqueId)).length).toBeGreaterThan(200);
  });
});

describe("given vaults", () => {
  it("fills vaults that already exist (ARM id + region) instead of inventing them", () => {
    const ids = [
      "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-backup-weu/providers/Microsoft.RecoveryServices/vaults/rsv-contoso-prod-weu",
      "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-backup-neu/providers/Microsoft.RecoveryServices/vaults/rsv-contoso-dr-neu",
    ];
    const out = collect({ seed: 1, vaultSpecs: [{ armId: ids[0]!, region: "westeurope" }, { armId: ids[1]!, region: "northeurope" }], itemsPerKind: 1, now, days: 2 });
    const backup = out.flatMap((b) => b.records).filter((r): r is BackupReportRecord => r.category === "AzureBackupReport");
    expect(new Set(backup.map((r) => r.resourceId))).toEqual(new Set(ids));
    const vaultRows = backup.filter((r) => r.operationName === "Vault").map((r) => `${r.properties.VaultName}@${r.properties.AzureDataCenter}`);
    expect(new Set(vaultRows)).toEqual(new Set(["rsv-contoso-prod-weu@westeurope", "rsv-contoso-dr-neu@northeurope"]));
  });
});
