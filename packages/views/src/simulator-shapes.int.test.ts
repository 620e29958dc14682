/**
 * The simulator's two shapes of one seed, each in its own local workspace (Postgres) through the records ingest:
 * a legacy-only workspace (AzureBackupReport → AzureDiagnostics) and a resource-specific-only one (CoreAzureBackup,
 * AddonAzureBackupJobs, ...). The views read each shape from its own tables and must give the same answers; the
 * backup-jobs numbers are also worked out from the simulator's legacy records (test/estate.ts), not from a query.
 */
import { randomUUID } from "node:crypto";
import { localWorkspaceRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestRecords } from "@vaultwatch/local-workspace";
import { type BackupReportRecord, generateEstate, type SimRecord, type SimulatorOptions } from "@vaultwatch/simulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viewChart, viewItems } from "./answers";
import type { FanOut } from "./run";
import { expectedBackupJobs } from "./test/estate";
import { viewIds, type ViewId } from "./views";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = new pg.Pool({ connectionString: url, max: 4 });
const runner = localWorkspaceRunner(pool);
const tenantId = randomUUID();
const ws = (name: string): WorkspaceRef => ({ id: randomUUID(), tenantId, kind: "local", name, armId: null });
const legacy = ws("legacy only");
const specific = ws("resource-specific only");

const now = new Date("2026-11-20T00:00:00Z");
const window = { start: new Date("2026-11-15T00:00:00.000Z"), end: new Date("2026-11-19T12:00:00.000Z") };
const fan = (w: WorkspaceRef): FanOut => ({ runner, workspaces: [w], window, now });
const options: SimulatorOptions = { seed: "views-shapes", vaults: 3, itemsPerKind: 1, now, days: 6, activityLog: false, failureRate: 0.15 };
const recordsOf = (shape: SimulatorOptions["shape"]): SimRecord[] => [...generateEstate({ ...options, shape })].flatMap((b) => b.records);
const legacyRecords = recordsOf("legacy");
const specificRecords = recordsOf("resource-specific");

beforeAll(async () => {
  // the compile threads' first start (Kusto's initialisation) is paid here, not by the first test
  await runner.run(legacy, { query: "print 1", window: { kind: "event", ...window }, now, rowLimit: 1, timeoutMs: 60_000 });
  for (const [w, records] of [[legacy, legacyRecords], [specific, specificRecords]] as const) {
    for (let i = 0; i < records.length; i += 5000) await ingestRecords(pool, { workspaceId: w.id, tenantId }, records.slice(i, i + 5000));
  }
}, 180_000);

afterAll(async () => {
  for (const w of [legacy, specific]) await dropWorkspaceStorage(pool, w.id).catch(() => undefined);
  await pool.end();
});

// (a vault's name compared in any letter case: AzureDiagnostics' Resource column is upper-cased, VaultName is not)
const asMap = (series: Record<string, unknown>[], keys: string[], measure: string) =>
  new Map(series.map((row) => [keys.map((k) => (k === "Vault" ? String(row[k] as string).toLowerCase() : String(row[k] as string))).join("|"), Number(row[measure])]));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe("the views over a legacy-only and a resource-specific-only workspace of the same seed", () => {
  it("the workspaces hold one shape each", async () => {
    const [l, s] = await Promise.all([viewChart(fan(legacy), "backupJobs", "1d"), viewChart(fan(specific), "backupJobs", "1d")]);
    expect(l.workspaces[0]).toMatchObject({ status: "ok", shapes: ["legacy"] });
    expect(s.workspaces[0]).toMatchObject({ status: "ok", shapes: ["resourceSpecific"] });
  });

  it("backup jobs: the same totals per day, status and kind, as the simulator's records say", async () => {
    const [l, s] = await Promise.all([viewChart(fan(legacy), "backupJobs", "1d"), viewChart(fan(specific), "backupJobs", "1d")]);
    const expected = expectedBackupJobs(legacyRecords.filter((r): r is BackupReportRecord => r.category === "AzureBackupReport"), window);
    const keys = ["TimeGenerated", "JobStatus", "JobKind"];
    expect(asMap(l.series, keys, "Jobs")).toEqual(expected);
    expect(asMap(s.series, keys, "Jobs")).toEqual(expected);
    const failed = [...expected].filter(([k]) => k.split("|")[1] === "Failed").reduce((n, [, c]) => n + c, 0);
    expect(failed).toBeGreaterThan(5);
    expect(total(expected)).toBeGreaterThan(100);
  });

  it("backup jobs: the failed scheduled backups list the same items with the same failure counts", async () => {
    const slice = { status: "Failed", kind: "Scheduled" as const };
    const [l, s] = await Promise.all([
      viewItems(fan(legacy), "backupJobs", slice, "1d", { offset: 0, limit: 100 }),
      viewItems(fan(specific), "backupJobs", slice, "1d", { offset: 0, limit: 100 }),
    ]);
    const byItem = (rows: { BackupItemUniqueId: string; Jobs: number; Failed: number; LastFailureCode: string }[]) =>
      rows.map((r) => `${r.BackupItemUniqueId} ${r.Failed}/${r.Jobs} ${r.LastFailureCode}`).sort();
    expect(l.page.rows.length).toBeGreaterThan(0);
    expect(byItem(s.page.rows)).toEqual(byItem(l.page.rows));
  });

  const measures: Record<ViewId, { keys: string[]; measure: string }> = {
    backupJobs: { keys: ["TimeGenerated", "JobStatus", "JobKind"], measure: "Jobs" },
    restoreJobs: { keys: ["TimeGenerated", "JobStatus"], measure: "Jobs" },
    azureAlerts: { keys: ["TimeGenerated", "AlertSeverity", "AlertStatus"], measure: "Alerts" },
    onPremisesAlerts: { keys: ["TimeGenerated", "AlertSeverity", "AlertStatus"], measure: "Alerts" },
    datasources: { keys: ["TimeGenerated", "BackupManagementType", "ProtectionState"], measure: "Datasources" },
    cloudStorage: { keys: ["TimeGenerated", "Vault"], measure: "StorageGB" },
  };
  for (const view of viewIds) {
    it(`${view}: the same chart in both shapes`, async () => {
      const [l, s] = await Promise.all([viewChart(fan(legacy), view, "1d"), viewChart(fan(specific), view, "1d")]);
      const { keys, measure } = measures[view];
      const lm = asMap(l.series, keys, measure);
      expect(lm.size).toBeGreaterThan(0);
      expect(asMap(s.series, keys, measure)).toEqual(lm);
    });
  }
});
