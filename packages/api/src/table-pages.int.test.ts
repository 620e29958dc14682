/**
 * The action groups and silences tables (actionGroups.page, silences.page): filtered, sorted and paged on the server,
 * one tenant's rows only, a cursor from elsewhere refused naming `cursor`. Expected orders are written out by hand.
 */
import type { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, makeTenant, makeUser, populatedTenant, sampleLogRule, uniq, type Populated } from "./test/harness";

let P: Populated;
let Q: Populated;
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const hours = (h: number) => new Date(Date.now() + h * 3_600_000);
const mail = (name: string) => ({ type: "email" as const, name, address: `${name.toLowerCase().replace(/\W/g, "")}@example.com` });

async function endpoint(groupId: string, tenantId: string, receiverName: string, fields: { consecutiveFailures?: number; alertRaisedAt?: Date }) {
  await db.notifyEndpoint.create({ data: { actionGroupId: groupId, receiverName, tenantId, receiverType: "email", endpointKey: `ep-${groupId}-${receiverName}`, ...fields } });
}

beforeAll(async () => {
  [P, Q] = await Promise.all([populatedTenant(), populatedTenant()]);
  for (const X of [P, Q]) {
    const call = callerFor(X.owner);
    const t = { tenantId: X.ids.tenantId };
    // "On call" (the populated group) has one rule; "alpha pager" two; the others none
    const alpha = await call.actionGroups.create({ ...t, name: "alpha pager", receivers: [mail("Pager")] });
    await call.actionGroups.create({ ...t, name: "Bravo mail", enabled: false, receivers: [mail("Desk")] });
    const charlie = await call.actionGroups.create({ ...t, name: "charlie hooks", shortName: "hooks", receivers: [mail("Hook")] });
    const delta = await call.actionGroups.create({ ...t, name: "delta stale", receivers: [mail("Current")] });
    await endpoint(charlie.id, X.ids.tenantId, "Hook", { consecutiveFailures: 6, alertRaisedAt: new Date() });
    // a dead receiver the group no longer has is no dead channel of it
    await endpoint(delta.id, X.ids.tenantId, "Removed", { consecutiveFailures: 9, alertRaisedAt: new Date() });
    await endpoint(alpha.id, X.ids.tenantId, "Pager", { consecutiveFailures: 1 });
    for (const name of ["First", "Second"])
      await call.rules.create({ ...t, ...sampleLogRule(X.ids.localWorkspaceId, `${name} ${X.ids.tenantId}`), actionGroupIds: [alpha.id] });
    await call.workspaces.createLocal({ ...t, name: "alpha local" });
    await call.connections.create({ ...t, name: "Azure China ops", entraTenantId: randomUUID(), clientId: randomUUID(), clientSecret: "china-secret-1", cloud: { cloud: "AzureChina" } });
    await db.azureConnection.update({ where: { id: X.ids.connectionId }, data: { lastTestedAt: new Date() } });
    // silences: one active now, one next week, one over, one recurring every day at 02:00 UTC
    await call.silences.create({ ...t, name: "Patch night", comment: "monthly patching", startsAt: hours(-1), endsAt: hours(2), matchers: { ruleIds: [X.ids.ruleId] } });
    await call.silences.create({ ...t, name: "audit week", startsAt: hours(24 * 7), endsAt: hours(24 * 8), matchers: { severities: [4] } });
    await call.silences.create({ ...t, name: "Old outage", startsAt: hours(-48), endsAt: hours(-47), matchers: { severities: [3] } });
    await call.silences.create({
      ...t,
      name: "nightly backup window",
      startsAt: hours(-24 * 3),
      endsAt: null,
      matchers: { severities: [2] },
      recurrence: { rrule: "FREQ=DAILY;BYHOUR=2;BYMINUTE=0", timeZone: "UTC", durationMinutes: 1 },
    });
  }
  // members of P: its owner (platform admin, "u-…" email), the populated viewer, and these two
  await db.user.update({ where: { id: (await addMember(P.ids.tenantId, "operator")).user.id }, data: { name: "Zoe Operator", email: `aaa-zoe-${P.ids.tenantId}@test.vaultwatch` } });
  await db.user.update({ where: { id: (await addMember(P.ids.tenantId, "admin")).user.id }, data: { name: "adam Admin", email: `zzz-adam-${P.ids.tenantId}@test.vaultwatch` } });
  // Q shares its connection with P (Azure Lighthouse): a link row in P's list
  await callerFor(Q.owner).connections.share({ tenantId: Q.ids.tenantId, connectionId: Q.ids.connectionId, targetTenantId: P.ids.tenantId, name: "Lighthouse link", subscriptionIds: [randomUUID()] });
}, 90_000);
afterAll(() => db.$disconnect());

const groups = (input: Record<string, unknown> = {}) => callerFor(P.owner).actionGroups.page({ tenantId: P.ids.tenantId, ...input });
const groupNames = async (input: Record<string, unknown> = {}) => (await groups(input)).items.map((g) => g.name);

describe("actionGroups.page", () => {
  it("sorts by name (any case) and by how many rules use the group", async () => {
    expect(await groupNames()).toEqual(["alpha pager", "Bravo mail", "charlie hooks", "delta stale", "On call"]);
    expect(await groupNames({ dir: "desc" })).toEqual(["On call", "delta stale", "charlie hooks", "Bravo mail", "alpha pager"]);
    const byRules = await groups({ sort: "rules", dir: "desc" });
    expect(byRules.items.map((g) => [g.name, g.ruleCount])).toEqual([
      ["alpha pager", 2],
      ["On call", 1],
      ["delta stale", 0],
      ["charlie hooks", 0],
      ["Bravo mail", 0],
    ]);
  });

  it("keeps the groups with a dead channel, or a failing receiver, counting only receivers they still have", async () => {
    const dead = await groups({ health: "dead" });
    expect(dead.items.map((g) => g.name)).toEqual(["charlie hooks"]);
    expect(dead.total).toBe(1);
    expect(dead.items[0]!.health).toMatchObject({ Hook: { dead: true } });
    expect(await groupNames({ health: "failing" })).toEqual(["alpha pager", "charlie hooks"]);
    expect(await groupNames({ enabled: false })).toEqual(["Bravo mail"]);
    expect(await groupNames({ search: "HOOKS" })).toEqual(["charlie hooks"]);
    expect(await groupNames({ search: "ca" })).toEqual(["On call"]);
  });

  it("pages by cursor through every group once, and refuses a cursor of another tenant or outside the filter", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await groups({ sort: "rules", limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((g) => g.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["Bravo mail", "charlie hooks", "delta stale", "On call", "alpha pager"]);
    const own = new Set((await db.actionGroup.findMany({ where: { tenantId: P.ids.tenantId }, select: { id: true } })).map((g) => g.id));
    expect((await groups({ limit: 200 })).items.every((g) => own.has(g.id))).toBe(true);
    expect((await refusal(groups({ cursor: Q.ids.actionGroupId })))?.message).toMatch(/^cursor: /);
    expect((await refusal(groups({ health: "dead", cursor: P.ids.actionGroupId })))?.message).toMatch(/^cursor: /);
    expect((await refusal(callerFor(P.owner).actionGroups.page({ tenantId: Q.ids.tenantId })))?.code).toBe("FORBIDDEN");
  });
});

const silences = (input: Record<string, unknown> = {}) => callerFor(P.owner).silences.page({ tenantId: P.ids.tenantId, ...input });
const silenceNames = async (input: Record<string, unknown> = {}) => (await silences(input)).items.map((s) => s.name);

describe("silences.page", () => {
  it("puts the active first, then by the next window, the expired last; or by name or start", async () => {
    // the daily window at 02:00 comes within a day, the audit week in seven
    expect(await silenceNames()).toEqual(["Patch night", "nightly backup window", "audit week", "Old outage"]);
    expect(await silenceNames({ sort: "name" })).toEqual(["audit week", "nightly backup window", "Old outage", "Patch night"]);
    expect(await silenceNames({ sort: "startsAt", dir: "desc" })).toEqual(["audit week", "Patch night", "Old outage", "nightly backup window"]);
  });

  it("filters on state and on a part of the name or comment, and names the rules it matches", async () => {
    const active = await silences({ state: "active" });
    expect(active.items.map((s) => [s.name, s.state])).toEqual([["Patch night", "active"]]);
    expect(active.ruleNames).toEqual({ [P.ids.ruleId]: expect.stringMatching(/^Failed backups /) });
    expect(await silenceNames({ state: "expired" })).toEqual(["Old outage"]);
    expect(await silenceNames({ state: "pending", sort: "name" })).toEqual(["audit week", "nightly backup window"]);
    expect(await silenceNames({ search: "PATCHING" })).toEqual(["Patch night"]);
  });

  it("pages by cursor, counts the whole list, and refuses another tenant's cursor", async () => {
    const first = await silences({ limit: 3 });
    expect(first.total).toBe(4);
    expect(first.items.map((s) => s.name)).toEqual(["Patch night", "nightly backup window", "audit week"]);
    const second = await silences({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((s) => s.name)).toEqual(["Old outage"]);
    expect(second.nextCursor).toBeUndefined();
    const foreign = await db.silence.findFirstOrThrow({ where: { tenantId: Q.ids.tenantId }, select: { id: true } });
    expect((await refusal(silences({ cursor: foreign.id })))?.message).toMatch(/^cursor: /);
    const expired = second.items[0]!.id;
    expect((await refusal(silences({ state: "active", cursor: expired })))?.message).toMatch(/^cursor: /);
  });
});

const workspaces = (input: Record<string, unknown> = {}) => callerFor(P.owner).workspaces.page({ tenantId: P.ids.tenantId, ...input });
const workspaceNames = async (input: Record<string, unknown> = {}) => (await workspaces(input)).items.map((w) => w.name);

describe("workspaces.page", () => {
  it("sorts by name (any case), kind and vault count; filters on kind and a part of the name", async () => {
    expect(await workspaceNames()).toEqual(["alpha local", "Azure LA", "Local"]);
    expect(await workspaceNames({ sort: "kind" })).toEqual(["Azure LA", "alpha local", "Local"]);
    // "Local" holds the populated tenant's one vault
    expect((await workspaces({ sort: "vaults", dir: "desc" })).items.map((w) => [w.name, w.vaultCount])).toEqual([
      ["Local", 1],
      ["Azure LA", 0],
      ["alpha local", 0],
    ]);
    expect(await workspaceNames({ kind: "local" })).toEqual(["alpha local", "Local"]);
    expect(await workspaceNames({ search: "LA" })).toEqual(["Azure LA"]);
  });

  it("pages by cursor with the count, tells each local row's backup data, and refuses another tenant's cursor", async () => {
    const first = await workspaces({ limit: 2 });
    expect(first).toMatchObject({ total: 3 });
    const second = await workspaces({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((w) => w.name)).toEqual(["alpha local", "Azure LA", "Local"]);
    expect(second.nextCursor).toBeUndefined();
    expect(first.items[0]!.backupData).toMatchObject({ state: "never" });
    expect((await refusal(workspaces({ cursor: Q.ids.localWorkspaceId })))?.message).toMatch(/^cursor: /);
    expect((await refusal(workspaces({ kind: "azure", cursor: P.ids.localWorkspaceId })))?.message).toMatch(/^cursor: /);
  });
});

const connections = (input: Record<string, unknown> = {}) => callerFor(P.owner).connections.page({ tenantId: P.ids.tenantId, ...input });
const connectionNames = async (input: Record<string, unknown> = {}) => (await connections(input)).items.map((c) => c.name);

describe("connections.page", () => {
  it("sorts by name and last test (never tested as the oldest); filters on cloud, own or shared, and name", async () => {
    expect(await connectionNames()).toEqual(["Azure China ops", "Customer app", "Lighthouse link"]);
    expect(await connectionNames({ sort: "lastTested", dir: "desc" })).toEqual(["Customer app", "Lighthouse link", "Azure China ops"]);
    expect(await connectionNames({ cloud: "AzureChina" })).toEqual(["Azure China ops"]);
    const shared = await connections({ origin: "shared" });
    expect(shared.items.map((c) => [c.name, c.sharedFrom?.name])).toEqual([["Lighthouse link", "Customer app"]]);
    expect(await connectionNames({ origin: "own" })).toEqual(["Azure China ops", "Customer app"]);
    expect(await connectionNames({ search: "light" })).toEqual(["Lighthouse link"]);
  });

  it("pages by cursor with the count, never returns a secret, and refuses another tenant's cursor", async () => {
    const first = await connections({ limit: 2 });
    const second = await connections({ limit: 2, cursor: first.nextCursor });
    expect(first.total).toBe(3);
    expect([...first.items, ...second.items].map((c) => c.name)).toEqual(["Azure China ops", "Customer app", "Lighthouse link"]);
    expect(JSON.stringify([first, second])).not.toMatch(/china-secret-1|s3cret-value-for-tests|Encrypted/);
    expect((await refusal(connections({ cursor: Q.ids.connectionId })))?.message).toMatch(/^cursor: /);
  });
});

const members = (input: Record<string, unknown> = {}) => callerFor(P.owner).members.page({ tenantId: P.ids.tenantId, ...input });

describe("members.page", () => {
  it("sorts by email, name and role (owner first); filters on role and a part of the name or email", async () => {
    const all = await members();
    expect(all.total).toBe(4);
    const emails = all.items.map((m) => m.user.email);
    expect(emails[0]).toMatch(/^aaa-zoe-/);
    expect(emails[3]).toMatch(/^zzz-adam-/);
    expect((await members({ sort: "role" })).items.map((m) => m.role)).toEqual(["owner", "admin", "operator", "viewer"]);
    expect((await members({ sort: "role", dir: "desc" })).items.map((m) => m.role)).toEqual(["viewer", "operator", "admin", "owner"]);
    // names compare without case: "adam Admin" before "Zoe Operator"
    const byName = (await members({ sort: "name" })).items.map((m) => m.user.name).filter((n) => /Admin|Operator/.test(n));
    expect(byName).toEqual(["adam Admin", "Zoe Operator"]);
    expect((await members({ role: "operator" })).items.map((m) => m.user.name)).toEqual(["Zoe Operator"]);
    expect((await members({ search: "ZOE" })).items.map((m) => m.user.name)).toEqual(["Zoe Operator"]);
    expect((await members()).invitations).toHaveLength(1);
  });

  it("pages by cursor and refuses another tenant's membership as the cursor", async () => {
    const first = await members({ sort: "role", limit: 3 });
    const second = await members({ sort: "role", limit: 3, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((m) => m.role)).toEqual(["owner", "admin", "operator", "viewer"]);
    expect((await refusal(members({ cursor: Q.ids.viewerMembershipId })))?.message).toMatch(/^cursor: /);
  });
});

const subscriptions = (input: Record<string, unknown> = {}) => callerFor(P.owner).subscriptions.page({ tenantId: P.ids.tenantId, ...input });

describe("subscriptions.page", () => {
  it("sorts by shown name and vault count, filters on connection and name or id, pages, and refuses another tenant's cursor", async () => {
    // P holds the vault's subscription (no display name: shown by its GUID) and "Spare" (no vault, no connection)
    const vaultSub = await db.subscription.findUniqueOrThrow({ where: { id: P.ids.vaultSubscriptionId }, select: { azureSubscriptionId: true } });
    const byVaults = await subscriptions({ sort: "vaults", dir: "desc" });
    expect(byVaults.items.map((s) => [s.id, s.vaultCount])).toEqual([
      [P.ids.vaultSubscriptionId, 1],
      [P.ids.subscriptionId, 0],
    ]);
    expect(byVaults.total).toBe(2);
    expect((await subscriptions({ search: "SPARE" })).items.map((s) => s.displayName)).toEqual(["Spare"]);
    expect((await subscriptions({ search: vaultSub.azureSubscriptionId.slice(0, 13) })).items.map((s) => s.id)).toEqual([P.ids.vaultSubscriptionId]);
    const first = await subscriptions({ limit: 1 });
    const second = await subscriptions({ limit: 1, cursor: first.nextCursor });
    expect(new Set([...first.items, ...second.items].map((s) => s.id))).toEqual(new Set([P.ids.vaultSubscriptionId, P.ids.subscriptionId]));
    expect(second.nextCursor).toBeUndefined();
    expect((await refusal(subscriptions({ cursor: Q.ids.subscriptionId })))?.message).toMatch(/^cursor: /);
    expect((await refusal(subscriptions({ connection: "with", cursor: P.ids.subscriptionId })))?.message).toMatch(/^cursor: /);
  });
});

describe("tenants.page", () => {
  it("shows only the caller's own tenants, sorted by name, filtered on name or slug, paged", async () => {
    const mark = uniq();
    const me = await makeUser();
    const stranger = await makeUser();
    for (const name of [`beta ${mark}`, `Alpha ${mark}`, `gamma ${mark}`]) await makeTenant(me, name);
    await makeTenant(stranger, `Alpha stranger ${mark}`);
    const call = callerFor(me);
    const all = await call.tenants.page({});
    expect(all.items.map((t) => t.name)).toEqual([`Alpha ${mark}`, `beta ${mark}`, `gamma ${mark}`]);
    expect(all.items.map((t) => t.role)).toEqual(["owner", "owner", "owner"]);
    expect(all.total).toBe(3);
    expect((await call.tenants.page({ search: `ALPHA ${mark}` })).items.map((t) => t.name)).toEqual([`Alpha ${mark}`]);
    const first = await call.tenants.page({ limit: 2, dir: "desc" });
    const second = await call.tenants.page({ limit: 2, dir: "desc", cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((t) => t.name)).toEqual([`gamma ${mark}`, `beta ${mark}`, `Alpha ${mark}`]);
    const foreign = await db.tenant.findFirstOrThrow({ where: { name: `Alpha stranger ${mark}` }, select: { id: true } });
    expect((await refusal(call.tenants.page({ cursor: foreign.id })))?.message).toMatch(/^cursor: /);
  });
});
