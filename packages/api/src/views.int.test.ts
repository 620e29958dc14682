/**
 * The views router on real Postgres: two tenants, each with a local workspace fed by the simulator (a third,
 * empty), called as signed-in members. Numbers are checked against expectations worked out from the seeded records.
 */
import { TRPCError } from "@trpc/server";
import { dropWorkspaceStorage, ingestRecords } from "@vaultwatch/local-workspace";
import { expectedBackupJobs, expectedCloudStorage, legacyVault, simulatedRecords } from "@vaultwatch/views/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { createCaller } from "./root";
import { callerFor, contextFor, makeTenant, makeUser, rowPool } from "./test/harness";
import { CONCURRENCY, MAX_NAMED_WORKSPACES } from "./routers/views";
import type { SessionUser } from "./context";

const now = new Date("2026-11-20T00:00:00Z");
const range = { from: new Date("2026-11-15T00:00:00Z"), to: new Date("2026-11-19T12:00:00Z") };
const window = { start: range.from, end: range.to };
const recordsA = simulatedRecords("api-views-a", now, 6, 2);
const recordsB = simulatedRecords("api-views-b", now, 6, 2);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Narrows an answer to its view's row shape (the router's answers are a union on `view`). */
function asView<A extends { view: string }, V extends A["view"]>(answer: A, view: V): Extract<A, { view: V }> {
  if (answer.view !== view) throw new Error(`expected the ${view} view, got ${answer.view}`);
  return answer as Extract<A, { view: V }>;
}

let owner: SessionUser;
let outsider: SessionUser;
let tenantA: string;
let tenantB: string;
let workspaceA: string;
let workspaceB: string;
let emptyWorkspace: string;

beforeAll(async () => {
  owner = await makeUser();
  outsider = await makeUser();
  tenantA = (await makeTenant(owner)).id;
  tenantB = (await makeTenant(owner)).id;
  // the outsider owns tenant B only
  const tenantC = (await makeTenant(outsider)).id;
  const caller = callerFor(owner);
  workspaceA = (await caller.workspaces.createLocal({ tenantId: tenantA, name: "law-a" })).id;
  workspaceB = (await caller.workspaces.createLocal({ tenantId: tenantB, name: "law-b" })).id;
  emptyWorkspace = (await callerFor(outsider).workspaces.createLocal({ tenantId: tenantC, name: "law-empty" })).id;
  // the compile threads' first start (Kusto's initialisation) is paid here, not by the first test
  await callerFor(outsider).views.chart({ view: "restoreJobs", ...range });
  for (const [workspaceId, tenantId, records] of [[workspaceA, tenantA, recordsA], [workspaceB, tenantB, recordsB]] as const) {
    for (let i = 0; i < records.length; i += 5000) await ingestRecords(rowPool, { workspaceId, tenantId }, records.slice(i, i + 5000));
  }
}, 180_000);

afterAll(async () => {
  for (const w of [workspaceA, workspaceB, emptyWorkspace]) await dropWorkspaceStorage(rowPool, w).catch(() => undefined);
});

describe("views.chart", () => {
  it("one tenant: its workspace's backup jobs per day, status and kind", async () => {
    const r = asView(await callerFor(owner).views.chart({ tenantIds: [tenantA], view: "backupJobs", ...range, bin: "1d" }), "backupJobs");
    expect(new Map(r.series.map((p) => [`${p.TimeGenerated}|${p.JobStatus}|${p.JobKind}`, p.Jobs]))).toEqual(expectedBackupJobs(recordsA, window));
    expect(r.workspaces).toEqual([expect.objectContaining({ workspaceId: workspaceA, tenantId: tenantA, status: "ok" })]);
    expect(r.noData).toBe(false);
    expect(r.queries.legacy).toContain("AzureDiagnostics");
  });

  it("all the caller's tenants: both workspaces, added up", async () => {
    const r = asView(await callerFor(owner).views.chart({ view: "backupJobs", ...range, bin: "1d" }), "backupJobs");
    expect(r.workspaces.map((w) => w.workspaceId).sort()).toEqual([workspaceA, workspaceB].sort());
    expect(r.series.reduce((n, p) => n + p.Jobs, 0)).toBe(sum(expectedBackupJobs(recordsA, window)) + sum(expectedBackupJobs(recordsB, window)));
    const storage = asView(await callerFor(owner).views.chart({ view: "cloudStorage", ...range, bin: "1d" }), "cloudStorage");
    // vault names read in lower case, whichever shape they came from
    const shown = (r: Parameters<typeof legacyVault>[0]) => legacyVault(r).toLowerCase();
    const expected = new Map([...expectedCloudStorage(recordsA, window, shown), ...expectedCloudStorage(recordsB, window, shown)]);
    expect(storage.series.length).toBe(expected.size);
    for (const p of storage.series) expect(p.StorageGB).toBeCloseTo(expected.get(`${p.TimeGenerated}|${p.Vault}`)!, 6);
  });

  it("a tenant without backup data answers 'no data yet'", async () => {
    const r = await callerFor(outsider).views.chart({ view: "onPremisesAlerts", ...range });
    expect(r).toMatchObject({ noData: true, series: [], workspaces: [{ workspaceId: emptyWorkspace, status: "noData" }] });
  });

  it("refuses another tenant, another tenant's workspace, and a range it cannot serve (naming the field)", async () => {
    const outside = callerFor(outsider);
    await expect(outside.views.chart({ tenantIds: [tenantA], view: "backupJobs", ...range })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(outside.views.chart({ view: "backupJobs", ...range, workspaceIds: [workspaceA] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outside.views.itemJobs({ workspaceId: workspaceA, backupItem: "x", ...range })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const bad = (input: Partial<typeof range> & { bin?: "1h" }) => callerFor(owner).views.chart({ view: "backupJobs", ...range, ...input });
    await expect(bad({ to: range.from })).rejects.toThrow(/to: must be after from|must be after from/);
    await expect(bad({ from: new Date("2026-01-01T00:00:00Z") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(bad({ from: new Date("2026-09-01T00:00:00Z"), bin: "1h" })).rejects.toBeInstanceOf(TRPCError);
  });
});

describe("views.items and views.itemJobs: from a red number to the failing item", () => {
  it("failed backups → the items, worst first, paged → one item's jobs with failure codes", async () => {
    const caller = callerFor(owner);
    const failedJobs = [...recordsA, ...recordsB].filter(
      (r) => r.operationName === "Job" && r.properties.JobOperation === "Backup" && r.properties.JobStatus === "Failed" && r.time >= range.from.toISOString() && r.time < range.to.toISOString(),
    );
    const perItem = new Map<string, number>();
    for (const r of failedJobs) perItem.set(r.properties.BackupItemUniqueId!, (perItem.get(r.properties.BackupItemUniqueId!) ?? 0) + 1);

    const first = asView(await caller.views.items({ view: "backupJobs", slice: { status: "Failed" }, ...range, limit: 2 }), "backupJobs");
    expect(first.page.total).toBe(perItem.size);
    expect(first.page.rows.map((r) => r.Failed)).toEqual([...perItem.values()].sort((a, b) => b - a).slice(0, 2));
    const all = asView(await caller.views.items({ view: "backupJobs", slice: { status: "Failed" }, ...range, limit: 200 }), "backupJobs");
    expect(new Map(all.page.rows.map((r) => [r.BackupItemUniqueId, r.Failed]))).toEqual(perItem);

    const worst = first.page.rows[0]!;
    const jobs = await caller.views.itemJobs({ tenantIds: [worst.tenantId], workspaceId: worst.workspaceId, backupItem: worst.BackupItemUniqueId, ...range, limit: 200 });
    const expected = [...recordsA, ...recordsB]
      .filter((r) => r.operationName === "Job" && r.properties.BackupItemUniqueId === worst.BackupItemUniqueId && r.time >= range.from.toISOString() && r.time < range.to.toISOString())
      .sort((a, b) => b.time.localeCompare(a.time));
    expect(jobs.page.total).toBe(expected.length);
    expect(jobs.page.rows.map((j) => `${j.JobStatus}|${j.JobFailureCode}`)).toEqual(expected.slice(0, 200).map((r) => `${r.properties.JobStatus}|${r.properties.JobFailureCode}`));
    expect(jobs.page.rows.some((j) => j.JobStatus === "Failed" && j.JobFailureCode !== "Success")).toBe(true);
  });

  it("refuses a sort field the list does not have, naming it", async () => {
    await expect(callerFor(owner).views.items({ view: "datasources", ...range, sort: "Password" })).rejects.toThrow(/sort: one of/);
  });
});

describe("all tenants of an MSP with more workspaces than one page of them", () => {
  it("covers every workspace the caller can see, a few queries at a time", async () => {
    const msp = await makeUser();
    const tenants = [(await makeTenant(msp)).id, (await makeTenant(msp)).id];
    const count = MAX_NAMED_WORKSPACES + 30;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      ids.push(id);
      await rowPool.query(`INSERT INTO workspace (id, "tenantId", name, kind, "updatedAt") VALUES ($1, $2, $3, 'local', now())`, [id, tenants[i % 2], `law-${String(i).padStart(3, "0")}`]);
    }
    // a stand-in for Azure: every workspace answers one backup job, and the peak of queries at once is recorded
    let running = 0;
    let peak = 0;
    const runner: WorkspaceQueryRunner = {
      ...contextFor(msp).queryRunner!,
      async run() {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return { columns: [], rows: [{ TimeGenerated: "2026-11-16T00:00:00Z", JobStatus: "Failed", JobKind: "Scheduled", Jobs: 1 }], truncated: false };
      },
    };
    const caller = createCaller({ ...contextFor(msp), queryRunner: runner });
    const r = asView(await caller.views.chart({ view: "backupJobs", ...range, bin: "1d" }), "backupJobs");
    expect(r.workspaces.map((w) => w.workspaceId).sort()).toEqual([...ids].sort());
    expect(r.workspaces.every((w) => w.status === "ok")).toBe(true);
    expect(r.workspacesLeftOut).toBe(0);
    // one job per shape per workspace: two shapes' queries each answered one
    expect(r.series).toEqual([{ TimeGenerated: "2026-11-16T00:00:00Z", JobStatus: "Failed", JobKind: "Scheduled", Jobs: count * 2 }]);
    expect(peak).toBeLessThanOrEqual(CONCURRENCY);
  }, 60_000);
});
