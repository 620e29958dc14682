/**
 * The Overview's reads: per-tenant numbers from summaries (written here as the worker would), open alerts, failing
 * rules and dead channels, worst first, sorted and paged on the server; only the caller's tenants.
 */
import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trendDays } from "./services/overview";
import { addMember, callerFor, db, makeTenant, makeUser, rowPool, uniq } from "./test/harness";

afterAll(async () => {
  await rowPool.end();
  await db.$disconnect();
});

const now = new Date();
const days = trendDays(now);

async function workspace(tenantId: string, name: string, summary?: Partial<{ failedJobs24h: number; datasourcesWithoutSuccess24h: number; protectedDatasources: number; blind: boolean; rowsSeen: number; failedTrend: { day: string; failed: number }[]; lastError: string; refreshedAt: Date | null }>) {
  const ws = await db.workspace.create({ data: { id: randomUUID(), tenantId, name, kind: "local" } });
  if (summary) {
    const { refreshedAt, ...rest } = summary;
    await db.workspaceSummary.create({
      data: { workspaceId: ws.id, tenantId, refreshedAt: refreshedAt === undefined ? now : refreshedAt, attemptedAt: now, rowsSeen: summary.blind ? 0 : 100, ...rest },
    });
  }
  return ws;
}

async function rule(tenantId: string, consecutiveFailures = 0) {
  return db.alertRule.create({
    data: { tenantId, kind: "log", name: `rule ${uniq()}`, severity: 2, frequencySeconds: 300, timeMode: "ingestion", definition: {}, consecutiveFailures },
  });
}

async function alert(tenantId: string, ruleId: string, severity: number, state: { monitorCondition?: "fired" | "resolved"; userState?: "new" | "acknowledged" | "closed" } = {}) {
  await db.alert.create({
    data: { tenantId, ruleId, fingerprint: `fp-${uniq()}`, dimensions: [], severity, signalType: "Log", monitorCondition: state.monitorCondition ?? "fired", userState: state.userState ?? "new", firedAt: now },
  });
}

async function deadChannel(tenantId: string, dead: boolean) {
  const group = await db.actionGroup.create({ data: { tenantId, name: `group ${uniq()}`, receivers: [] } });
  await db.notifyEndpoint.create({
    data: { actionGroupId: group.id, receiverName: "ops", tenantId, receiverType: "webhook", endpointKey: `k-${uniq()}`, consecutiveFailures: dead ? 5 : 0, alertRaisedAt: dead ? now : null },
  });
}

let user: Awaited<ReturnType<typeof makeUser>>;
const T: Record<"calm" | "burning" | "blind" | "foreign", { id: string; name: string }> = {} as never;

beforeAll(async () => {
  user = await makeUser();
  const other = await makeUser();
  const tag = uniq();
  // three tenants of the user (owner of two, viewer of one) and one they are not a member of
  const make = async (key: keyof typeof T, name: string, owner = user) => {
    const t = await makeTenant(owner, `${name} ${tag}`);
    T[key] = { id: t.id, name: t.name };
  };
  await make("calm", "Alpha calm");
  await make("burning", "Bravo burning");
  await make("foreign", "Delta foreign", other);
  const blindTenant = await makeTenant(other, `Charlie blind ${tag}`);
  T.blind = { id: blindTenant.id, name: blindTenant.name };
  await db.membership.create({ data: { tenantId: blindTenant.id, userId: user.id, role: "viewer" } });

  // calm: one healthy workspace, a resolved alert and a closed one (neither open)
  await workspace(T.calm.id, "calm-1", { protectedDatasources: 10, failedTrend: days.map((day) => ({ day, failed: 0 })) });
  const calmRule = await rule(T.calm.id);
  await alert(T.calm.id, calmRule.id, 0, { monitorCondition: "resolved" });
  await alert(T.calm.id, calmRule.id, 0, { userState: "closed" });
  await deadChannel(T.calm.id, false);

  // burning: two workspaces whose trends started on different days, open alerts, a failing rule, a dead channel
  await workspace(T.burning.id, "burning-1", {
    failedJobs24h: 3,
    datasourcesWithoutSuccess24h: 2,
    protectedDatasources: 20,
    // refreshed yesterday: its 14 days start one day earlier, and that oldest day is outside today's trend
    failedTrend: [{ day: new Date(Date.parse(days[0]!) - 86_400_000).toISOString().slice(0, 10), failed: 9 }, ...days.slice(0, 13).map((day, i) => ({ day, failed: i === 12 ? 4 : 1 }))],
  });
  await workspace(T.burning.id, "burning-2", { failedJobs24h: 1, datasourcesWithoutSuccess24h: 1, protectedDatasources: 5, failedTrend: days.map((day, i) => ({ day, failed: i === 13 ? 1 : 0 })) });
  await workspace(T.burning.id, "burning-pending"); // never refreshed yet
  const burningRule = await rule(T.burning.id, 2);
  await rule(T.burning.id, 0);
  await alert(T.burning.id, burningRule.id, 0);
  await alert(T.burning.id, burningRule.id, 1, { userState: "acknowledged" });
  await alert(T.burning.id, burningRule.id, 3);
  await deadChannel(T.burning.id, true);

  // blind: one workspace without backup data, one whose last refresh failed
  await workspace(T.blind.id, "blind-1", { blind: true });
  await workspace(T.blind.id, "blind-2", { protectedDatasources: 4, lastError: "Azure Log Analytics (HTTP 429): ThrottledError" });

  // foreign: far worse than anyone, and never to be seen by the user
  await workspace(T.foreign.id, "foreign-1", { failedJobs24h: 500, datasourcesWithoutSuccess24h: 500, protectedDatasources: 900 });
  const foreignRule = await rule(T.foreign.id, 9);
  await alert(T.foreign.id, foreignRule.id, 0);
}, 60_000);

const mine = () => ({ tenantIds: [T.calm.id, T.burning.id, T.blind.id] });

describe("overview.tenants", () => {
  it("gives each tenant's numbers, worst first, with the totals of every tenant in scope", async () => {
    const page = await callerFor(user).overview.tenants(mine());
    expect(page.items.map((r) => r.tenant.id)).toEqual([T.burning.id, T.blind.id, T.calm.id]);
    expect(page.total).toBe(3);
    const [burning, blind, calm] = page.items;
    expect(burning).toMatchObject({
      workspaces: 3,
      pendingWorkspaces: 1,
      blindWorkspaces: 0,
      failedJobs24h: 4,
      datasourcesWithoutSuccess24h: 3,
      protectedDatasources: 25,
      openAlerts: { total: 3, bySeverity: [1, 1, 0, 1, 0] },
      failingRules: 1,
      deadChannels: 1,
    });
    // the two workspaces' failures added day by day; the day before the window is left out
    expect(burning!.trend.map((d) => d.day)).toEqual(days);
    expect(burning!.trend.map((d) => d.failed)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 1]);
    expect(blind).toMatchObject({ workspaces: 2, blindWorkspaces: 1, erroredWorkspaces: 1, protectedDatasources: 4, openAlerts: { total: 0 } });
    expect(calm).toMatchObject({ workspaces: 1, failedJobs24h: 0, openAlerts: { total: 0, bySeverity: [0, 0, 0, 0, 0] }, failingRules: 0, deadChannels: 0 });
    expect(calm!.oldestRefreshAt?.toISOString()).toBe(now.toISOString());
    expect(page.totals).toEqual({
      failedJobs24h: 4,
      datasourcesWithoutSuccess24h: 3,
      protectedDatasources: 39,
      openAlerts: 3,
      criticalAlerts: 2,
      blindWorkspaces: 1,
      failingRules: 1,
      deadChannels: 1,
      workspaces: 6,
    });
  });

  it("sorts by a chosen column either way, pages, and searches by name", async () => {
    const call = callerFor(user);
    expect((await call.overview.tenants({ ...mine(), sort: "name", dir: "asc" })).items.map((r) => r.tenant.id)).toEqual([T.calm.id, T.burning.id, T.blind.id]);
    expect((await call.overview.tenants({ ...mine(), sort: "protected", dir: "asc" })).items.map((r) => r.protectedDatasources)).toEqual([4, 10, 25]);
    const second = await call.overview.tenants({ ...mine(), limit: 1, offset: 1 });
    expect(second.items.map((r) => r.tenant.id)).toEqual([T.blind.id]);
    expect(second.total).toBe(3);
    const past = await call.overview.tenants({ ...mine(), limit: 1, offset: 5 });
    expect(past).toMatchObject({ items: [], total: 3 });
    expect((await call.overview.tenants({ ...mine(), search: "bravo" })).items.map((r) => r.tenant.id)).toEqual([T.burning.id]);
    // LIKE's wildcards in a search are plain characters
    expect((await call.overview.tenants({ ...mine(), search: "%" })).items).toEqual([]);
  });

  it("covers all of the caller's tenants when none is named, and never a tenant they are not a member of", async () => {
    const call = callerFor(user);
    const all = await call.overview.tenants({});
    expect(all.items.map((r) => r.tenant.id).sort()).toEqual(mine().tenantIds.sort());
    expect(all.totals.failedJobs24h).toBe(4);
    const refused = await call.overview.tenants({ tenantIds: [T.foreign.id] }).catch((e: TRPCError) => e);
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    const mixed = await call.overview.tenants({ tenantIds: [T.calm.id, T.foreign.id] }).catch((e: TRPCError) => e);
    expect(mixed).toMatchObject({ code: "FORBIDDEN" });
    // a member of one tenant sees that one only
    const { user: viewer } = await addMember(T.calm.id, "viewer");
    const own = await callerFor(viewer).overview.tenants({});
    expect(own.items.map((r) => r.tenant.id)).toEqual([T.calm.id]);
    expect(own.totals).toMatchObject({ failedJobs24h: 0, openAlerts: 0, workspaces: 1 });
  });

  it("refuses a sort it does not know and a page too large, naming the field", async () => {
    const call = callerFor(user);
    await expect(call.overview.tenants({ sort: "name; DROP TABLE tenant" as never })).rejects.toThrow(/sort/);
    await expect(call.overview.tenants({ limit: 1000 })).rejects.toThrow(/limit/);
  });
});

describe("overview.workspaces", () => {
  it("lists the workspaces behind the numbers, worst first, blind ones on request; only the caller's", async () => {
    const call = callerFor(user);
    const page = await call.overview.workspaces({});
    const names = page.items.map((w) => w.name);
    expect(names.slice(0, 2)).toEqual(["burning-1", "burning-2"]);
    expect(names.sort()).toEqual(["blind-1", "blind-2", "burning-1", "burning-2", "burning-pending", "calm-1"]);
    expect(page.items.find((w) => w.name === "burning-pending")).toMatchObject({ refreshedAt: null, blind: null, failedJobs: null });
    expect(page.items.find((w) => w.name === "burning-1")).toMatchObject({ tenantId: T.burning.id, failedJobs: 3, withoutSuccess: 2, protected: 20 });
    const blind = await call.overview.workspaces({ blind: true });
    expect(blind.items.map((w) => w.name)).toEqual(["blind-1"]);
    expect(blind.total).toBe(1);
    const one = await call.overview.workspaces({ tenantIds: [T.blind.id], sort: "name", dir: "desc" });
    expect(one.items.map((w) => w.name)).toEqual(["blind-2", "blind-1"]);
    expect(one.items[0]!.lastError).toMatch(/ThrottledError/);
    await expect(call.overview.workspaces({ tenantIds: [T.foreign.id] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
