// The real worker process refreshes the Overview's workspace summaries on its own: a simulated estate's numbers,
// counted here from the records, a blind workspace, and nothing of a tenant outside its WORKER_TENANT_IDS.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb } from "@vaultwatch/db";
import { dropWorkspaceStorage, ingestRecords } from "@vaultwatch/local-workspace";
import { generateEstate, type BackupReportRecord } from "@vaultwatch/simulator";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-summary-${randomBytes(4).toString("hex")}`;

const db = createDb(databaseUrl, { max: 2 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
const workspaces: string[] = [];
const tenants: string[] = [];
let worker: WorkerProcess | undefined;

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
  for (const id of workspaces) await dropWorkspaceStorage(pool, id);
  await db.tenant.deleteMany({ where: { id: { in: tenants } } });
  await pool.end();
  await db.$disconnect();
});

async function tenant() {
  const slug = `summary-${randomBytes(4).toString("hex")}`;
  const id = (await db.tenant.create({ data: { name: slug, slug } })).id;
  tenants.push(id);
  return id;
}

async function workspace(tenantId: string, name: string) {
  const ws = await db.workspace.create({ data: { id: randomUUID(), tenantId, name, kind: "local" } });
  workspaces.push(ws.id);
  return ws;
}

describe("the worker's summary refresh", () => {
  it("summarises its tenants' workspaces soon after it starts, and leaves other tenants' to their workers", async () => {
    const mine = await tenant();
    const other = await tenant();
    const estate = await workspace(mine, "estate");
    const blind = await workspace(mine, "blind");
    const foreign = await workspace(other, "foreign");

    // three days up to a few minutes ago: the worker's window (today and the 13 days before) holds all of it
    const now = new Date(Date.now() - 5 * 60_000);
    const records: BackupReportRecord[] = [];
    for (const b of generateEstate({ seed: `worker-summary-${randomBytes(3).toString("hex")}`, vaults: 2, itemsPerKind: 1, days: 3, now, failureRate: 0.4, activityLog: false })) {
      records.push(...(b.records as BackupReportRecord[]));
    }
    await ingestRecords(pool, { tenantId: mine, workspaceId: estate.id }, records);
    await ingestRecords(pool, { tenantId: other, workspaceId: foreign.id }, records);

    worker = await startWorker({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, WORKER_TENANT_IDS: mine, SUMMARY_CONCURRENCY: "2" });
    await untilHealthy(worker);
    const rows = await waitFor(
      "both summaries refreshed",
      async () => {
        const found = await db.workspaceSummary.findMany({ where: { tenantId: mine, refreshedAt: { not: null } } });
        return found.length === 2 ? found : undefined;
      },
      120_000,
      500,
    );
    const refreshedAt = rows[0]!.refreshedAt!;
    const since = refreshedAt.getTime() - 86_400_000;
    const t = (r: BackupReportRecord) => Date.parse(r.time);
    // failed backup jobs reported in the 24 hours before the refresh, counted from what was sent
    const failed24h = new Set(
      records
        .filter((r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && r.properties.JobStatus === "Failed" && t(r) > since && t(r) < refreshedAt.getTime())
        .map((r) => r.properties.JobUniqueId),
    ).size;
    const items = new Set(records.filter((r) => r.operationName === "BackupItem" && r.properties.ProtectionState === "Protected").map((r) => r.properties.BackupItemUniqueId)).size;
    expect(rows.find((r) => r.workspaceId === estate.id)).toMatchObject({ blind: false, failedJobs24h: failed24h, protectedDatasources: items, rowsSeen: records.length, lastError: null });
    expect(rows.find((r) => r.workspaceId === blind.id)).toMatchObject({ blind: true, rowsSeen: 0, lastError: null });
    expect(failed24h).toBeGreaterThan(0);

    // the other tenant's workspace is not this worker's business
    expect(await db.workspaceSummary.count({ where: { tenantId: other } })).toBe(0);
    expect(worker.lines.filter((l) => l.level === "error")).toEqual([]);
  }, 240_000);
});
