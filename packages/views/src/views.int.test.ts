/**
 * The six views on real local workspaces (Postgres): one fed in the legacy shape (resource-log records →
 * AzureDiagnostics), one in the resource-specific shape (table rows), one empty. Expected numbers are worked out
 * from the simulator's records in test/estate.ts, not from any query.
 */
import { randomUUID } from "node:crypto";
import { KqlError } from "@vaultwatch/kql";
import type { BackupReportRecord } from "@vaultwatch/simulator";
import { localWorkspaceRunner, QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestRecords, ingestTableJson, runLocalQuery } from "@vaultwatch/local-workspace";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemHistory, viewChart, viewItems } from "./answers";
import type { FanOut } from "./run";
import {
  expectedAlerts,
  expectedBackupJobs,
  expectedCloudStorage,
  expectedDatasources,
  expectedRestoreJobs,
  plainVault,
  resourceSpecificRows,
  simulatedRecords,
} from "./test/estate";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = new pg.Pool({ connectionString: url, max: 4 });
const runner = localWorkspaceRunner(pool);
const tenantId = randomUUID();
const ws = (name: string): WorkspaceRef => ({ id: randomUUID(), tenantId, kind: "local", name, armId: null });
const legacy = ws("legacy");
const specific = ws("resource-specific");
const empty = ws("empty");

const now = new Date("2026-11-20T00:00:00Z");
const legacyRecords = simulatedRecords("views-legacy", now, 6);
const specificRecords = simulatedRecords("views-specific", now, 6);
// a window inside the simulated days, so the first and last records fall outside it
const window = { start: new Date("2026-11-15T00:00:00.000Z"), end: new Date("2026-11-19T12:00:00.000Z") };
const fan = (workspaces: WorkspaceRef[], r: WorkspaceQueryRunner = runner): FanOut => ({ runner: r, workspaces, window, now });

beforeAll(async () => {
  // the compile threads' first start (Kusto's initialisation) is paid here, not by the first test
  await runner.run(empty, { query: "print 1", window: { kind: "event", ...window }, now, rowLimit: 1, timeoutMs: 60_000 });
  for (let i = 0; i < legacyRecords.length; i += 5000) await ingestRecords(pool, { workspaceId: legacy.id, tenantId }, legacyRecords.slice(i, i + 5000));
  for (const [table, rows] of Object.entries(resourceSpecificRows(specificRecords))) {
    for (let i = 0; i < rows.length; i += 5000) await ingestTableJson(pool, { workspaceId: specific.id, tenantId }, table, rows.slice(i, i + 5000));
  }
}, 180_000);

afterAll(async () => {
  for (const w of [legacy, specific, empty]) await dropWorkspaceStorage(pool, w.id).catch(() => undefined);
  await pool.end();
});

const shownVault = (r: Parameters<typeof plainVault>[0]) => plainVault(r).toLowerCase();

/** A chart as "key|key|...": measure, in the same form as the expectations. */
function asMap(series: Record<string, unknown>[], keys: string[], measure: string): Map<string, number> {
  return new Map(series.map((row) => [keys.map((k) => String(row[k])).join("|"), Number(row[measure])]));
}

describe("charts, legacy and resource-specific shapes", () => {
  const cases = [
    // a vault's name reads the same in both shapes: lower case (AzureDiagnostics upper-cases it, VaultName keeps its case)
    { w: legacy, records: legacyRecords, vault: shownVault },
    { w: specific, records: specificRecords, vault: shownVault },
  ];
  for (const { w, records, vault } of cases) {
    it(`${w.name}: backup jobs per day, status and kind (scheduled, log, ad hoc apart)`, async () => {
      const r = await viewChart(fan([w]), "backupJobs", "1d");
      const expected = expectedBackupJobs(records, window);
      expect([...expected.keys()].some((k) => k.endsWith("|Log"))).toBe(true);
      expect(asMap(r.series, ["TimeGenerated", "JobStatus", "JobKind"], "Jobs")).toEqual(expected);
      expect(r.noData).toBe(false);
      expect(r.workspaces[0]).toMatchObject({ status: "ok", shapes: [w === legacy ? "legacy" : "resourceSpecific"] });
    });

    it(`${w.name}: restore jobs per day and status`, async () => {
      const r = await viewChart(fan([w]), "restoreJobs", "1d");
      expect(asMap(r.series, ["TimeGenerated", "JobStatus"], "Jobs")).toEqual(expectedRestoreJobs(records, window));
    });

    it(`${w.name}: built-in alerts, Azure and on-premises apart`, async () => {
      const azure = await viewChart(fan([w]), "azureAlerts", "1d");
      const onPrem = await viewChart(fan([w]), "onPremisesAlerts", "1d");
      const expectedAzure = expectedAlerts(records, window, false);
      const expectedOnPrem = expectedAlerts(records, window, true);
      expect(expectedAzure.size).toBeGreaterThan(0);
      expect(expectedOnPrem.size).toBeGreaterThan(0);
      expect(asMap(azure.series, ["TimeGenerated", "AlertSeverity", "AlertStatus"], "Alerts")).toEqual(expectedAzure);
      expect(asMap(onPrem.series, ["TimeGenerated", "AlertSeverity", "AlertStatus"], "Alerts")).toEqual(expectedOnPrem);
    });

    it(`${w.name}: active datasources per day, workload and protection state`, async () => {
      const r = await viewChart(fan([w]), "datasources", "1d");
      expect(asMap(r.series, ["TimeGenerated", "BackupManagementType", "ProtectionState"], "Datasources")).toEqual(expectedDatasources(records, window));
    });

    it(`${w.name}: protected datasources without a completed backup in the last 24 hours (the Overview's count)`, async () => {
      const inRange = (t: string) => t >= window.start.toISOString() && t < window.end.toISOString();
      const lastState = new Map<string, BackupReportRecord>();
      for (const r of records) {
        if (r.operationName !== "BackupItem" || !inRange(r.time)) continue;
        const id = r.properties.BackupItemUniqueId!;
        const seen = lastState.get(id);
        if (!seen || seen.time < r.time) lastState.set(id, r);
      }
      const since = new Date(now.getTime() - 86_400_000).toISOString();
      const succeeded = new Set(
        records
          .filter((r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && ["Completed", "CompletedWithWarnings"].includes(r.properties.JobStatus ?? "") && inRange(r.time) && r.time > since)
          .map((r) => r.properties.BackupItemUniqueId!),
      );
      const protectedItems = [...lastState.values()].filter((r) => r.properties.ProtectionState === "Protected").map((r) => r.properties.BackupItemUniqueId!);
      const expected = protectedItems.filter((id) => !succeeded.has(id)).sort();
      // the simulated estate has both kinds, so the filter is seen to narrow
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(protectedItems.length);
      const got = await viewItems(fan([w]), "datasources", { protectionState: "Protected", withoutSuccess: true }, "1d", { offset: 0, limit: 200 });
      expect(got.page.rows.map((row) => row.BackupItemUniqueId).sort()).toEqual(expected);
    });

    it(`${w.name}: cloud storage per day and vault, in GB`, async () => {
      const r = await viewChart(fan([w]), "cloudStorage", "1d");
      const got = asMap(r.series, ["TimeGenerated", "Vault"], "StorageGB");
      const expected = expectedCloudStorage(records, window, vault);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, gb] of expected) expect(got.get(k)).toBeCloseTo(gb, 6);
    });
  }
});

describe("drill-down: slice → items → one item's jobs", () => {
  it("failed scheduled backups → the items that failed, with their failure counts → one item's jobs with failure codes", async () => {
    const failed = legacyRecords.filter(
      (r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && r.properties.JobStatus === "Failed" && r.properties.JobOperationSubType !== "Log" && r.properties.AdHocOrScheduledJob !== "Adhoc" && r.time >= window.start.toISOString() && r.time < window.end.toISOString(),
    );
    expect(failed.length).toBeGreaterThan(0);
    const perItem = new Map<string, number>();
    for (const r of failed) perItem.set(r.properties.BackupItemUniqueId!, (perItem.get(r.properties.BackupItemUniqueId!) ?? 0) + 1);

    const items = await viewItems(fan([legacy]), "backupJobs", { status: "Failed", kind: "Scheduled" }, "1d", { offset: 0, limit: 100 });
    expect(new Map(items.page.rows.map((row) => [row.BackupItemUniqueId, row.Failed]))).toEqual(perItem);
    // sorted by failures, most first, by default; every row says where it came from
    expect(items.page.rows.map((row) => row.Failed)).toEqual([...perItem.values()].sort((a, b) => b - a));
    expect(items.page.rows[0]).toMatchObject({ workspaceId: legacy.id, workspaceName: "legacy", tenantId });
    const itemNames = new Map(legacyRecords.filter((r) => r.operationName === "BackupItem").map((r) => [r.properties.BackupItemUniqueId, r.properties.BackupItemFriendlyName]));
    for (const row of items.page.rows) expect(row.Name).toBe(itemNames.get(row.BackupItemUniqueId));

    const item = items.page.rows[0]!.BackupItemUniqueId;
    const history = await itemHistory(fan([legacy]), item, { offset: 0, limit: 500 });
    const jobs = legacyRecords
      .filter((r) => r.operationName === "Job" && r.properties.BackupItemUniqueId === item && r.time >= window.start.toISOString() && r.time < window.end.toISOString())
      .sort((a, b) => b.time.localeCompare(a.time));
    expect(history.page.rows.map((h) => [h.JobUniqueId, h.JobStatus, h.JobFailureCode])).toEqual(jobs.map((r) => [r.properties.JobUniqueId, r.properties.JobStatus, r.properties.JobFailureCode]));
  });

  it("a bucket of the chart narrows the items to that bucket; search, sort and paging happen on the server", async () => {
    const day = new Date("2026-11-17T00:00:00Z");
    const inDay = legacyRecords.filter((r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && r.time >= "2026-11-17T00:00:00" && r.time < "2026-11-18T00:00:00");
    const r = await viewItems(fan([legacy]), "backupJobs", { bucketStart: day }, "1d", { offset: 0, limit: 500 });
    expect(r.page.rows.reduce((n, row) => n + row.Jobs, 0)).toBe(inDay.length);

    const page1 = await viewItems(fan([legacy]), "backupJobs", { bucketStart: day }, "1d", { sort: "Jobs", dir: "asc", offset: 0, limit: 3 });
    const page2 = await viewItems(fan([legacy]), "backupJobs", { bucketStart: day }, "1d", { sort: "Jobs", dir: "asc", offset: 3, limit: 3 });
    expect(page1.page.total).toBe(r.page.total);
    const jobs = [...page1.page.rows, ...page2.page.rows].map((row) => row.Jobs);
    expect(jobs).toEqual([...jobs].sort((a, b) => a - b));
    expect(new Set([...page1.page.rows, ...page2.page.rows].map((row) => row.BackupItemUniqueId)).size).toBe(6);

    const sqlOnly = await viewItems(fan([legacy]), "backupJobs", { bucketStart: day }, "1d", { search: "azureworkload", offset: 0, limit: 50 });
    expect(sqlOnly.page.rows.length).toBeGreaterThan(0);
    expect(sqlOnly.page.rows.every((row) => row.BackupManagementType === "AzureWorkload")).toBe(true);
  });

  it("an alert slice lists the alerts with their item; a storage slice (one vault) lists its items' consumption", async () => {
    const alerts = await viewItems(fan([specific]), "onPremisesAlerts", { severity: "Critical" }, "1d", { offset: 0, limit: 200 });
    const expected = expectedAlerts(specificRecords, window, true);
    const critical = [...expected].filter(([k]) => k.split("|")[1] === "Critical").reduce((n, [, c]) => n + c, 0);
    expect(alerts.page.total).toBe(critical);
    expect(alerts.page.rows.every((a) => a.AlertSeverity === "Critical" && a.Name !== "")).toBe(true);

    const vault = plainVault(specificRecords.find((r) => r.operationName === "StorageAssociation")!);
    const storage = await viewItems(fan([specific]), "cloudStorage", { vault }, "1d", { offset: 0, limit: 50 });
    const last = new Map<string, number>();
    for (const r of specificRecords) {
      if (r.operationName === "StorageAssociation" && plainVault(r) === vault && r.time >= window.start.toISOString() && r.time < window.end.toISOString()) last.set(r.properties.BackupItemUniqueId!, Number(r.properties.StorageConsumedInMBs));
    }
    expect(new Map(storage.page.rows.map((row) => [row.BackupItemUniqueId, row.StorageConsumedInMBs]))).toEqual(last);
  });
});

describe("several workspaces, no data yet", () => {
  it("charts of several workspaces add up; the empty one is 'no data', not an error", async () => {
    const r = await viewChart(fan([legacy, specific, empty]), "backupJobs", "1d");
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    expect(r.series.reduce((n, p) => n + p.Jobs, 0)).toBe(total(expectedBackupJobs(legacyRecords, window)) + total(expectedBackupJobs(specificRecords, window)));
    expect(r.workspaces.map((w) => w.status)).toEqual(["ok", "ok", "noData"]);
    expect(r.noData).toBe(false);
    expect(r.queries.legacy).toContain("AzureDiagnostics");
    expect(r.queries.resourceSpecific).toContain("AddonAzureBackupJobs");
  });

  it("an empty workspace answers every view with noData", async () => {
    for (const view of ["backupJobs", "restoreJobs", "azureAlerts", "onPremisesAlerts", "datasources", "cloudStorage"] as const) {
      const r = await viewChart(fan([empty]), view, "1d");
      expect(r, view).toMatchObject({ noData: true, series: [], workspaces: [{ status: "noData" }] });
    }
  });

  it("the local engine's refusal of an unknown table (a runner without expected tables) is 'no data' too", async () => {
    // the engine as an API client would meet it: tables the workspace never received are unknown names
    const strict: WorkspaceQueryRunner = {
      ...runner,
      async run(workspace, q) {
        try {
          const r = await runLocalQuery(pool, { workspaceId: workspace.id, query: q.query, now: q.now, rowLimit: q.rowLimit, timeoutMs: q.timeoutMs });
          const t = r.tables[0]!;
          return { columns: t.columns, rows: t.rows.map((cells) => Object.fromEntries(t.columns.map((c, i) => [c.name, cells[i]]))), truncated: r.truncated };
        } catch (e) {
          throw e instanceof KqlError ? new QueryFailure(e.message, e.position) : e;
        }
      },
    };
    const r = await viewChart(fan([empty, legacy], strict), "restoreJobs", "1d");
    expect(r.workspaces.map((w) => w.status)).toEqual(["noData", "ok"]);
    expect(r.series.reduce((n, p) => n + p.Jobs, 0)).toBe([...expectedRestoreJobs(legacyRecords, window).values()].reduce((a, b) => a + b, 0));
  });

  it("a workspace whose query really fails is reported as an error, and the others still answer", async () => {
    const broken: WorkspaceQueryRunner = {
      ...runner,
      run: (w, q) => (w.id === empty.id ? Promise.reject(new QueryFailure("Azure Log Analytics (HTTP 403): InsufficientAccessError: no access")) : runner.run(w, q)),
    };
    const r = await viewChart(fan([empty, legacy], broken), "restoreJobs", "1d");
    expect(r.workspaces[0]).toMatchObject({ status: "error", error: expect.stringContaining("InsufficientAccessError") });
    expect(r.workspaces[1]).toMatchObject({ status: "ok" });
    expect(r.noData).toBe(false);
  });
});
