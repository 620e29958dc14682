/**
 * Summaries against real Postgres and the real local engine: simulated estates (legacy AzureDiagnostics), hand-built
 * resource-specific rows, a blind workspace; the expected numbers are counted here from the records themselves, by
 * the definitions in query.ts, never from what the queries returned. Azure's refusals are played by a runner stand-in.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { localWorkspaceRunner, QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestRecords, ingestTableJson } from "@vaultwatch/local-workspace";
import { generateEstate, type BackupReportRecord } from "@vaultwatch/simulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshWorkspaceSummary } from "./refresh";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = new pg.Pool({ connectionString: url, max: 6 });
const runner = localWorkspaceRunner(pool);
const deps = { pool, runner };
const created: string[] = [];
let tenantId = "";

const DAY = 86_400_000;
const NOW = new Date("2026-11-01T07:13:00Z");
const WINDOW_START = Date.UTC(2026, 9, 19); // 2026-10-19: the start of the UTC day 13 days before 2026-11-01

async function makeWorkspace(name: string): Promise<WorkspaceRef> {
  const id = randomUUID();
  await pool.query(`INSERT INTO workspace (id, "tenantId", name, kind, "updatedAt") VALUES ($1, $2, $3, 'local', now())`, [id, tenantId, name]);
  created.push(id);
  return { id, tenantId, kind: "local", name, armId: null };
}

async function summaryRow(workspaceId: string) {
  const { rows } = await pool.query(`SELECT * FROM workspace_summary WHERE "workspaceId" = $1`, [workspaceId]);
  return rows[0] as Record<string, unknown> | undefined;
}

/** The definitions of query.ts, applied to the records as they were sent. */
function expectedFrom(records: BackupReportRecord[], now: Date) {
  const t = (r: BackupReportRecord) => Date.parse(r.time);
  const inWindow = records.filter((r) => t(r) >= WINDOW_START && t(r) < now.getTime());
  const since = now.getTime() - DAY;
  const jobs = inWindow.filter((r) => r.operationName === "Job" && r.properties.SchemaVersion === "V2" && r.properties.JobOperation === "Backup");
  const failed = jobs.filter((r) => r.properties.JobStatus === "Failed");
  const failed24h = new Set(failed.filter((r) => t(r) > since).map((r) => r.properties.JobUniqueId)).size;
  const trend = new Map<string, Set<string>>();
  for (const r of failed) {
    const day = r.time.slice(0, 10);
    trend.set(day, (trend.get(day) ?? new Set()).add(r.properties.JobUniqueId!));
  }
  const latest = new Map<string, BackupReportRecord>();
  for (const r of inWindow.filter((x) => x.operationName === "BackupItem" && x.properties.State !== "Deleted")) {
    const id = r.properties.BackupItemUniqueId!;
    const seen = latest.get(id);
    if (!seen || t(r) > t(seen)) latest.set(id, r);
  }
  const protectedIds = [...latest.values()].filter((r) => r.properties.ProtectionState === "Protected").map((r) => r.properties.BackupItemUniqueId!);
  const succeeded = new Set(
    jobs.filter((r) => t(r) > since && (r.properties.JobStatus === "Completed" || r.properties.JobStatus === "CompletedWithWarnings")).map((r) => r.properties.BackupItemUniqueId),
  );
  return {
    failedJobs24h: failed24h,
    protectedDatasources: protectedIds.length,
    datasourcesWithoutSuccess24h: protectedIds.filter((id) => !succeeded.has(id)).length,
    rowsSeen: inWindow.length,
    lastDataAt: new Date(Math.max(...inWindow.map(t))),
    trend: Array.from({ length: 14 }, (_, i) => {
      const day = new Date(WINDOW_START + i * DAY).toISOString().slice(0, 10);
      return { day, failed: trend.get(day)?.size ?? 0 };
    }),
  };
}

function simulated(seed: string, options: { failureRate: number; vaults: number }): BackupReportRecord[] {
  const records: BackupReportRecord[] = [];
  for (const batch of generateEstate({ seed, vaults: options.vaults, itemsPerKind: 2, days: 16, now: NOW, failureRate: options.failureRate, activityLog: false })) {
    records.push(...(batch.records as BackupReportRecord[]));
  }
  return records;
}

async function ingest(workspace: WorkspaceRef, records: unknown[]) {
  for (let i = 0; i < records.length; i += 20_000) await ingestRecords(pool, { tenantId, workspaceId: workspace.id }, records.slice(i, i + 20_000));
}

beforeAll(async () => {
  tenantId = randomUUID();
  const slug = `summary-${randomBytes(4).toString("hex")}`;
  await pool.query(`INSERT INTO tenant (id, name, slug, "updatedAt") VALUES ($1, $2, $2, now())`, [tenantId, slug]);
});

afterAll(async () => {
  for (const id of created) await dropWorkspaceStorage(pool, id);
  await pool.query(`DELETE FROM tenant WHERE id = $1`, [tenantId]);
  await pool.end();
});

describe("workspace summaries", () => {
  it("counts a simulated estate's failed jobs, protected datasources, those without a success and the 14-day trend", async () => {
    const ws = await makeWorkspace("legacy");
    // a high failure rate, so some items go a whole day without a successful backup
    const records = simulated("summary-legacy", { failureRate: 0.45, vaults: 3 });
    await ingest(ws, records);
    const want = expectedFrom(records, NOW);
    expect(want.failedJobs24h, "the estate has failures to count").toBeGreaterThan(0);
    expect(want.datasourcesWithoutSuccess24h, "and items without a success").toBeGreaterThan(0);

    const outcome = await refreshWorkspaceSummary(deps, ws, NOW);
    expect(outcome).toMatchObject({ ok: true });
    const row = await summaryRow(ws.id);
    expect(row).toMatchObject({
      tenantId,
      failedJobs24h: want.failedJobs24h,
      protectedDatasources: want.protectedDatasources,
      datasourcesWithoutSuccess24h: want.datasourcesWithoutSuccess24h,
      rowsSeen: want.rowsSeen,
      blind: false,
      lastError: null,
    });
    expect(row!.failedTrend).toEqual(want.trend);
    expect((row!.lastDataAt as Date).toISOString()).toBe(want.lastDataAt.toISOString());
    expect((row!.refreshedAt as Date).toISOString()).toBe(NOW.toISOString());
  }, 180_000); // the first query of the process starts the KQL compile threads

  it("reads the resource-specific tables, and adds both shapes of a workspace that holds both", async () => {
    const ws = await makeWorkspace("resource-specific");
    const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();
    const item = (id: string, state: string, hoursAgo: number) => ({ TimeGenerated: at(hoursAgo), OperationName: "BackupItem", State: "Active", BackupItemUniqueId: id, BackupItemProtectionState: state, BackupItemFriendlyName: id, BackupItemType: "VM", BackupManagementType: "IaaSVM", VaultName: "rsv-rs" });
    const job = (id: string, itemId: string, status: string, hoursAgo: number) => ({ TimeGenerated: at(hoursAgo), OperationName: "Job", State: "Active", JobUniqueId: id, BackupItemUniqueId: itemId, JobOperation: "Backup", JobStatus: status, JobFailureCode: status === "Failed" ? "UserErrorGuestAgentStatusUnavailable" : "Success", BackupManagementType: "IaaSVM", VaultName: "rsv-rs" });
    await ingestTableJson(pool, { tenantId, workspaceId: ws.id }, "CoreAzureBackup", [
      item("vm-a", "Protected", 30),
      item("vm-a", "Protected", 6), // the latest snapshot counts, once
      item("vm-b", "Protected", 6),
      item("vm-c", "ProtectionStopped", 6), // not protected any more
    ]);
    await ingestTableJson(pool, { tenantId, workspaceId: ws.id }, "AddonAzureBackupJobs", [
      job("j1", "vm-a", "Completed", 3), // vm-a succeeded in the last 24 h
      job("j2", "vm-b", "Failed", 2), // vm-b only failed: without success
      job("j3", "vm-b", "Failed", 50), // a failure two days ago: in the trend, not in 24 h
      job("j2", "vm-b", "Failed", 1), // the same job reported twice counts once
    ]);
    expect(await refreshWorkspaceSummary(deps, ws, NOW)).toMatchObject({ ok: true });
    let row = await summaryRow(ws.id);
    expect(row).toMatchObject({ failedJobs24h: 1, protectedDatasources: 2, datasourcesWithoutSuccess24h: 1, rowsSeen: 8, blind: false });
    const trend = row!.failedTrend as { day: string; failed: number }[];
    expect(trend.filter((d) => d.failed > 0)).toEqual([
      { day: "2026-10-30", failed: 1 }, // 50 h before 2026-11-01T07:13 is 2026-10-30T05:13
      { day: "2026-11-01", failed: 1 }, // j2's first report (1 h later it is reported again)
    ]);

    // the same workspace receiving the legacy shape too: a failed legacy job for a legacy item adds to both counts
    await ingestRecords(pool, { tenantId, workspaceId: ws.id }, [
      { time: at(5), resourceId: "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-legacy", category: "AzureBackupReport", operationName: "BackupItem", properties: { SchemaVersion: "V2", State: "Active", BackupItemUniqueId: "vm-l", ProtectionState: "Protected", BackupManagementType: "IaaSVM" } },
      { time: at(4), resourceId: "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-legacy", category: "AzureBackupReport", operationName: "Job", properties: { SchemaVersion: "V2", State: "Active", BackupItemUniqueId: "vm-l", JobOperation: "Backup", JobStatus: "Failed", JobUniqueId: randomUUID(), BackupManagementType: "IaaSVM" } },
    ]);
    expect(await refreshWorkspaceSummary(deps, ws, NOW)).toMatchObject({ ok: true });
    row = await summaryRow(ws.id);
    expect(row).toMatchObject({ failedJobs24h: 2, protectedDatasources: 3, datasourcesWithoutSuccess24h: 2, rowsSeen: 10 });
  });

  it("calls a workspace without backup data blind, not an error", async () => {
    const ws = await makeWorkspace("blind");
    expect(await refreshWorkspaceSummary(deps, ws, NOW)).toMatchObject({ ok: true, numbers: { blind: true, rowsSeen: 0 } });
    const row = await summaryRow(ws.id);
    expect(row).toMatchObject({ blind: true, rowsSeen: 0, failedJobs24h: 0, protectedDatasources: 0, lastError: null, lastDataAt: null });
    expect((row!.failedTrend as unknown[]).length).toBe(14);
  });

  it("takes Azure's refusal of a shape it has no tables for as no data, and any other failure as the workspace's error", async () => {
    const ws = await makeWorkspace("azure-like");
    await ingest(ws, simulated("summary-azure", { failureRate: 0.2, vaults: 1 }));
    // Azure answers 400 SemanticError for the resource-specific tables a workspace never received (the legacy query
    // names them too, but only as `union isfuzzy=true` legs, which Azure leaves out when they do not resolve)
    const missingTables: WorkspaceQueryRunner = {
      ...runner,
      run: (w, q) =>
        q.query.includes("AddonAzureBackupJobs") && !q.query.includes("AzureDiagnostics")
          ? Promise.reject(new QueryFailure("Azure Log Analytics (HTTP 400): SemanticError: 'union' operator: Failed to resolve table expression named 'AddonAzureBackupJobs'"))
          : runner.run(w, q),
    };
    const fine = await refreshWorkspaceSummary({ pool, runner: missingTables }, ws, NOW);
    expect(fine).toMatchObject({ ok: true, numbers: { blind: false } });
    const good = await summaryRow(ws.id);

    const later = new Date(NOW.getTime() + 300_000);
    const throttled: WorkspaceQueryRunner = { ...runner, run: () => Promise.reject(new QueryFailure("Azure Log Analytics (HTTP 429): ThrottledError: too many requests")) };
    expect(await refreshWorkspaceSummary({ pool, runner: throttled }, ws, later)).toMatchObject({ ok: false });
    const after = await summaryRow(ws.id);
    // the last good numbers stay, with when they were read; the attempt and its error are recorded
    expect(after).toMatchObject({ failedJobs24h: good!.failedJobs24h, protectedDatasources: good!.protectedDatasources, rowsSeen: good!.rowsSeen, refreshedAt: good!.refreshedAt });
    expect((after!.attemptedAt as Date).toISOString()).toBe(later.toISOString());
    expect(after!.lastError).toMatch(/ThrottledError: too many requests/);
  });

  it("leaves no summary behind for a workspace deleted while it was being refreshed", async () => {
    const ws = await makeWorkspace("deleted");
    const slow: WorkspaceQueryRunner = {
      ...runner,
      run: async (w, q) => {
        await pool.query(`DELETE FROM workspace WHERE id = $1`, [w.id]);
        return runner.run(w, q);
      },
    };
    await refreshWorkspaceSummary({ pool, runner: slow }, ws, NOW);
    expect(await summaryRow(ws.id)).toBeUndefined();
  });
});
