/**
 * The simulator's shapes of one seed, each in its own local workspace (Postgres) through the records ingest:
 * a legacy-only workspace (AzureBackupReport → AzureDiagnostics), a resource-specific-only one (CoreAzureBackup,
 * AddonAzureBackupJobs, ...), one fed both for every event (`--shape both`, what a vault sends during a migration or
 * after "Fix diagnostics"), and one where the vaults differ: one legacy only, one both from the start, one legacy
 * only until the middle of the range and both afterwards. The same events must give the same answers in all four:
 * every view's chart, its items, an item's history and the Overview's summary. The backup-jobs numbers are also
 * worked out from the simulator's legacy records (test/estate.ts), not from a query.
 */
import { randomUUID } from "node:crypto";
import { localWorkspaceRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestRecords } from "@vaultwatch/local-workspace";
import { type BackupReportRecord, generateEstate, type SimRecord, type SimulatorOptions } from "@vaultwatch/simulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemHistory, viewChart, viewItems } from "./answers";
import { computeSummary } from "./summary/refresh";
import type { FanOut } from "./run";
import { expectedBackupJobs } from "./test/estate";
import { viewIds, type Slice, type ViewId } from "./views";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = new pg.Pool({ connectionString: url, max: 4 });
const runner = localWorkspaceRunner(pool);
const tenantId = randomUUID();
const ws = (name: string): WorkspaceRef => ({ id: randomUUID(), tenantId, kind: "local", name, armId: null });
const legacy = ws("legacy only");
const specific = ws("resource-specific only");
const both = ws("both shapes");
const mixed = ws("vaults in different shapes");

const now = new Date("2026-11-20T00:00:00Z");
const window = { start: new Date("2026-11-15T00:00:00.000Z"), end: new Date("2026-11-19T12:00:00.000Z") };
const fan = (w: WorkspaceRef): FanOut => ({ runner, workspaces: [w], window, now });
const options: SimulatorOptions = { seed: "views-shapes", vaults: 3, itemsPerKind: 1, now, days: 6, activityLog: false, failureRate: 0.15 };
const recordsOf = (shape: SimulatorOptions["shape"]): SimRecord[] => [...generateEstate({ ...options, shape })].flatMap((b) => b.records);
const legacyRecords = recordsOf("legacy");
const specificRecords = recordsOf("resource-specific");
const bothRecords = recordsOf("both");

// the mixed workspace: the first vault stays legacy, the second sends both all along, the third adds the
// resource-specific categories (as "Fix diagnostics" does) in the middle of the range, after a few legacy-only days
const vaultIds = [...new Set(legacyRecords.map((r) => r.resourceId.toLowerCase()))].sort();
const movedAt = "2026-11-17T06:00:00.000Z";
const mixedRecords: SimRecord[] = [
  ...legacyRecords,
  ...specificRecords.filter((r) => r.resourceId.toLowerCase() === vaultIds[1] || (r.resourceId.toLowerCase() === vaultIds[2] && r.time >= movedAt)),
];

beforeAll(async () => {
  // the compile threads' first start (Kusto's initialisation) is paid here, not by the first test
  await runner.run(legacy, { query: "print 1", window: { kind: "event", ...window }, now, rowLimit: 1, timeoutMs: 60_000 });
  for (const [w, records] of [[legacy, legacyRecords], [specific, specificRecords], [both, bothRecords], [mixed, mixedRecords]] as const) {
    for (let i = 0; i < records.length; i += 5000) await ingestRecords(pool, { workspaceId: w.id, tenantId }, records.slice(i, i + 5000));
  }
}, 180_000);

afterAll(async () => {
  for (const w of [legacy, specific, both, mixed]) await dropWorkspaceStorage(pool, w.id).catch(() => undefined);
  await pool.end();
});

// a vault's name is compared as shown: the views write it in lower case whichever shape it came from
const asMap = (series: Record<string, unknown>[], keys: string[], measure: string) =>
  new Map(series.map((row) => [keys.map((k) => String(row[k] as string)).join("|"), Number(row[measure])]));
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
      const lm = rounded(asMap(l.series, keys, measure));
      expect(lm.size).toBeGreaterThan(0);
      expect(rounded(asMap(s.series, keys, measure))).toEqual(lm);
    });
  }
});

/** A list's rows without where they came from (each workspace is its own), in a stable order. */
const listed = (rows: Record<string, unknown>[]) =>
  rows
    .map(({ workspaceId: _w, workspaceName: _n, tenantId: _t, ...row }) => {
      // sums of storage differ in the last bits with the order of addition
      for (const [k, v] of Object.entries(row)) if (typeof v === "number" && !Number.isInteger(v)) row[k] = Math.round(v * 1e6) / 1e6;
      return JSON.stringify(row);
    })
    .sort();

const rounded = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));

/** The slice a user would click in each chart, and the whole chart's items. */
const slices: Record<ViewId, Slice[]> = {
  backupJobs: [{}, { status: "Failed", kind: "Scheduled" }, { bucketStart: new Date("2026-11-17T00:00:00Z") }],
  restoreJobs: [{}],
  azureAlerts: [{}, { severity: "Critical" }],
  onPremisesAlerts: [{}],
  datasources: [{}, { protectionState: "Protected", bucketStart: new Date("2026-11-16T00:00:00Z") }],
  cloudStorage: [{}, { bucketStart: new Date("2026-11-18T00:00:00Z") }],
};

describe("a workspace holding both shapes counts every record once", () => {
  const measures: Record<ViewId, { keys: string[]; measure: string }> = {
    backupJobs: { keys: ["TimeGenerated", "JobStatus", "JobKind"], measure: "Jobs" },
    restoreJobs: { keys: ["TimeGenerated", "JobStatus"], measure: "Jobs" },
    azureAlerts: { keys: ["TimeGenerated", "AlertSeverity", "AlertStatus"], measure: "Alerts" },
    onPremisesAlerts: { keys: ["TimeGenerated", "AlertSeverity", "AlertStatus"], measure: "Alerts" },
    datasources: { keys: ["TimeGenerated", "BackupManagementType", "ProtectionState"], measure: "Datasources" },
    cloudStorage: { keys: ["TimeGenerated", "Vault"], measure: "StorageGB" },
  };

  it("the backup-jobs chart of both shapes is the simulator's count, not twice it", async () => {
    const [b, m] = await Promise.all([viewChart(fan(both), "backupJobs", "1d"), viewChart(fan(mixed), "backupJobs", "1d")]);
    const expected = expectedBackupJobs(legacyRecords.filter((r): r is BackupReportRecord => r.category === "AzureBackupReport"), window);
    expect(asMap(b.series, ["TimeGenerated", "JobStatus", "JobKind"], "Jobs")).toEqual(expected);
    expect(asMap(m.series, ["TimeGenerated", "JobStatus", "JobKind"], "Jobs")).toEqual(expected);
    expect(b.workspaces[0]).toMatchObject({ status: "ok" });
  });

  for (const view of viewIds) {
    it(`${view}: the same chart, items and vault names as one shape alone`, async () => {
      const { keys, measure } = measures[view];
      const charts = await Promise.all([legacy, specific, both, mixed].map((w) => viewChart(fan(w), view, "1d")));
      const [l, s, b, m] = charts.map((c) => rounded(asMap(c.series as Record<string, unknown>[], keys, measure)));
      expect(l!.size).toBeGreaterThan(0);
      expect(s).toEqual(l);
      expect(b).toEqual(l);
      // (alerts raised before their vault moved and changed after it are among them: dated by their legacy row)
      expect(m).toEqual(l);
      for (const slice of slices[view]) {
        const lists = await Promise.all([legacy, specific, both, mixed].map((w) => viewItems(fan(w), view, slice, "1d", { offset: 0, limit: 200 })));
        const [li, si, bi, mi] = lists.map((a) => listed(a.page.rows as Record<string, unknown>[]));
        expect(li!.length, JSON.stringify(slice)).toBeGreaterThan(0);
        expect(si, JSON.stringify(slice)).toEqual(li);
        expect(bi, JSON.stringify(slice)).toEqual(li);
        expect(mi, JSON.stringify(slice)).toEqual(li);
      }
    });
  }

  it("a vault's name reads the same whichever shape it came from (lower case)", async () => {
    const [l, s] = await Promise.all([viewChart(fan(legacy), "cloudStorage", "1d"), viewChart(fan(specific), "cloudStorage", "1d")]);
    const names = (series: { Vault: string }[]) => [...new Set(series.map((p) => p.Vault))].sort();
    expect(names(l.series)).toEqual(vaultIds.map((id) => id.split("/").pop()).sort());
    expect(names(s.series)).toEqual(names(l.series));
    // the storage slice of one vault, clicked on the chart, finds its items in both shapes
    const vault = names(l.series)[0]!;
    const [li, bi] = await Promise.all([legacy, both].map((w) => viewItems(fan(w), "cloudStorage", { vault }, "1d", { offset: 0, limit: 50 })));
    expect(li!.page.total).toBeGreaterThan(0);
    expect(listed(bi!.page.rows)).toEqual(listed(li!.page.rows));
  });

  it("the moved vault keeps its legacy-only days: its jobs before the move are counted, once", async () => {
    const moved = vaultIds[2]!;
    const beforeMove = legacyRecords.filter(
      (r) => r.resourceId.toLowerCase() === moved && r.operationName === "Job" && r.time >= window.start.toISOString() && r.time < movedAt,
    );
    expect(beforeMove.length).toBeGreaterThan(0);
    const items = await viewItems(fan(mixed), "backupJobs", {}, "1d", { offset: 0, limit: 200 });
    const legacyItems = await viewItems(fan(legacy), "backupJobs", {}, "1d", { offset: 0, limit: 200 });
    const name = moved.split("/").pop();
    const jobsOf = (rows: { Vault: string; Jobs: number }[]) => rows.filter((r) => r.Vault === name).reduce((n, r) => n + r.Jobs, 0);
    expect(jobsOf(items.page.rows)).toBe(jobsOf(legacyItems.page.rows));
    // one row per item, though its jobs came from two shapes
    expect(new Set(items.page.rows.map((r) => r.BackupItemUniqueId)).size).toBe(items.page.rows.length);
  });

  it("an item's job history lists each job once", async () => {
    const item = legacyRecords.find((r) => r.resourceId.toLowerCase() === vaultIds[2] && r.operationName === "Job")!.properties.BackupItemUniqueId as string;
    const histories = await Promise.all([legacy, specific, both, mixed].map((w) => itemHistory(fan(w), item, { offset: 0, limit: 500 })));
    const [l, s, b, m] = histories.map((h) => listed(h.page.rows as Record<string, unknown>[]));
    expect(l!.length).toBeGreaterThan(3);
    expect(s).toEqual(l);
    expect(b).toEqual(l);
    expect(m).toEqual(l);
  });

  it("the Overview's summary: the same failed jobs, protected datasources and trend in all four", async () => {
    const outcomes = await Promise.all([legacy, specific, both, mixed].map((w) => computeSummary(runner, w, now)));
    const numbers = outcomes.map((o) => {
      if (!o.ok) throw new Error(o.error);
      const { rowsSeen: _rows, lastDataAt: _last, ...n } = o.numbers;
      return n;
    });
    expect(numbers[0]!.protectedDatasources).toBeGreaterThan(0);
    expect(numbers[0]!.failedTrend.some((d) => d.failed > 0)).toBe(true);
    for (const n of numbers.slice(1)) expect(n).toEqual(numbers[0]);
    // rows: the both-shapes workspace counts its records once (the resource-specific ones), not both
    const rows = outcomes.map((o) => (o.ok ? o.numbers.rowsSeen : -1));
    expect(rows[2]).toBe(rows[1]);
  });
});
