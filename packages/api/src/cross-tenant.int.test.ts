/**
 * Tenant isolation, checked for every procedure of the router. A member of tenant A calls each tenant-scoped
 * procedure (1) naming tenant B, and (2) naming their own tenant A but with B's object ids. Every call must be
 * refused or see nothing of B, and B's data must be exactly as before. A procedure added without a case here fails
 * the test, so none can escape it.
 */
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "./root";
import type { Meta } from "./trpc";
import { callerFor, db, populatedTenant, sampleLogRule, snapshotTenant, vaultId, type Populated } from "./test/harness";

type Ids = Populated["ids"];
/** Input for each tenant-scoped procedure, aimed at the objects in `ids` (B's), under tenant `tenantId`. */
const cases: Record<string, (ids: Ids, tenantId: string) => Record<string, unknown>> = {
  "tenants.rename": (_, tenantId) => ({ tenantId, name: "Hijacked" }),
  "tenants.delete": (ids, tenantId) => ({ tenantId, confirmSlug: "x" }),
  "members.list": (_, tenantId) => ({ tenantId }),
  "members.invite": (_, tenantId) => ({ tenantId, email: `x-${randomUUID()}@test.vaultwatch`, role: "viewer" }),
  "members.revokeInvitation": (ids, tenantId) => ({ tenantId, invitationId: ids.invitationId }),
  "members.changeRole": (ids, tenantId) => ({ tenantId, membershipId: ids.viewerMembershipId, role: "admin" }),
  "members.remove": (ids, tenantId) => ({ tenantId, membershipId: ids.viewerMembershipId }),
  "connections.list": (_, tenantId) => ({ tenantId }),
  "connections.create": (_, tenantId) => ({
    tenantId,
    name: "x",
    entraTenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: "whatever-secret",
  }),
  "connections.rotateSecret": (ids, tenantId) => ({ tenantId, connectionId: ids.connectionId, clientSecret: "new-secret-1" }),
  "connections.remove": (ids, tenantId) => ({ tenantId, connectionId: ids.connectionId }),
  "subscriptions.list": (_, tenantId) => ({ tenantId }),
  "subscriptions.create": (_, tenantId) => ({ tenantId, azureSubscriptionId: randomUUID() }),
  "subscriptions.update": (ids, tenantId) => ({ tenantId, subscriptionId: ids.subscriptionId, displayName: "Hijacked" }),
  "subscriptions.remove": (ids, tenantId) => ({ tenantId, subscriptionId: ids.subscriptionId }),
  "workspaces.list": (_, tenantId) => ({ tenantId }),
  "workspaces.createAzure": (ids, tenantId) => ({
    tenantId,
    name: `x-${randomUUID()}`,
    azureWorkspaceId: randomUUID(),
    armId: `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-x`,
    connectionId: ids.connectionId,
  }),
  "workspaces.createLocal": (_, tenantId) => ({ tenantId, name: `x-${randomUUID()}` }),
  "workspaces.rotateKeys": (ids, tenantId) => ({ tenantId, workspaceId: ids.localWorkspaceId, which: "both" }),
  "workspaces.remove": (ids, tenantId) => ({ tenantId, workspaceId: ids.localWorkspaceId }),
  "vaults.list": (_, tenantId) => ({ tenantIds: [tenantId] }),
  "vaults.register": (ids, tenantId) => ({ tenantId, armId: vaultId(), workspaceId: ids.localWorkspaceId }),
  "vaults.bulkImport": (ids, tenantId) => ({ tenantId, text: vaultId(), workspaceId: ids.localWorkspaceId }),
  "vaults.linkWorkspace": (ids, tenantId) => ({ tenantId, vaultIds: [ids.vaultId], workspaceId: null }),
  "vaults.remove": (ids, tenantId) => ({ tenantId, vaultId: ids.vaultId }),
  "audit.list": (_, tenantId) => ({ tenantIds: [tenantId] }),
  "actionGroups.list": (_, tenantId) => ({ tenantId }),
  "actionGroups.get": (ids, tenantId) => ({ tenantId, actionGroupId: ids.actionGroupId }),
  "actionGroups.create": (_, tenantId) => ({ tenantId, name: `x-${randomUUID()}`, receivers: [] }),
  "actionGroups.update": (ids, tenantId) => ({ tenantId, actionGroupId: ids.actionGroupId, name: "Hijacked", receivers: [] }),
  "actionGroups.delete": (ids, tenantId) => ({ tenantId, actionGroupId: ids.actionGroupId }),
  "rules.list": (_, tenantId) => ({ tenantId }),
  "rules.get": (ids, tenantId) => ({ tenantId, ruleId: ids.ruleId }),
  // B's workspace and action group named from A: refused by the tenant checks
  "rules.create": (ids, tenantId) => ({ tenantId, ...sampleLogRule(ids.localWorkspaceId), actionGroupIds: [ids.actionGroupId] }),
  "rules.createFromTemplate": (ids, tenantId) => ({ tenantId, templateId: "seed-failed-backups", workspaceIds: [ids.localWorkspaceId] }),
  "rules.update": (ids, tenantId) => ({ tenantId, ruleId: ids.ruleId, ...sampleLogRule(ids.localWorkspaceId, "Hijacked") }),
  "rules.setEnabled": (ids, tenantId) => ({ tenantId, ruleId: ids.ruleId, enabled: false }),
  "rules.delete": (ids, tenantId) => ({ tenantId, ruleId: ids.ruleId }),
  "rules.preview": (ids, tenantId) => ({ tenantId, ruleId: ids.ruleId }),
  "alerts.list": (ids, tenantId) => ({ tenantIds: [tenantId], ruleId: ids.ruleId }),
  "alerts.get": (ids, tenantId) => ({ tenantId, alertId: ids.alertId }),
  "alerts.respond": (ids, tenantId) => ({ tenantId, alertIds: [ids.alertId], action: "acknowledge", comment: "mine now" }),
  "alerts.summary": (_, tenantId) => ({ tenantIds: [tenantId] }),
  "silences.list": (_, tenantId) => ({ tenantId }),
  // B's rule named from A: refused by the tenant check
  "silences.create": (ids, tenantId) => ({ tenantId, ...sampleSilence(), matchers: { ruleIds: [ids.ruleId] } }),
  "silences.update": (ids, tenantId) => ({ tenantId, silenceId: silenceOf(ids), ...sampleSilence("Hijacked") }),
  "silences.delete": (ids, tenantId) => ({ tenantId, silenceId: silenceOf(ids) }),
};

/** Each populated tenant's silence (the harness's tenants have none of their own). */
const silences = new Map<string, string>();
const silenceOf = (ids: Ids) => silences.get(ids.tenantId) ?? randomUUID();
const sampleSilence = (name = `Maintenance ${randomUUID()}`) => ({
  name,
  startsAt: new Date(),
  endsAt: new Date(Date.now() + 3_600_000),
  matchers: { severities: [3, 4] },
});
async function addSilence(p: Populated) {
  const s = await callerFor(p.owner).silences.create({ tenantId: p.ids.tenantId, ...sampleSilence(), matchers: { ruleIds: [p.ids.ruleId] } });
  silences.set(p.ids.tenantId, s.id);
}

/** Procedures that are deliberately not tenant-scoped, each for a reason. */
const notTenantScoped = new Set([
  "setup.status", // public: whether first-run setup is open
  "setup.createAdmin", // public: refused once any user exists
  "me.get", // the caller's own memberships
  "me.signOutEverywhere", // the caller's own sessions
  "tenants.create", // platform admins create new tenants
  "tenants.listMine", // the caller's own memberships
  "invitations.get", // public, by secret token
  "invitations.accept", // public, by secret token
  "rules.templates", // the same built-in templates for everyone
]);

const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string; meta?: Meta } }> }).procedures,
);

let A: Populated;
let B: Populated;
beforeAll(async () => {
  A = await populatedTenant();
  B = await populatedTenant();
  await Promise.all([addSilence(A), addSilence(B)]);
  silencesOfB = await db.silence.findMany({ where: { tenantId: B.ids.tenantId }, orderBy: { id: "asc" } });
});
let silencesOfB: unknown[] = [];
afterAll(async () => {
  await db.$disconnect();
});

function call(user: Populated["owner"], path: string, input: unknown) {
  // Walk the caller by path ("vaults.list") so each procedure is called exactly as a client would.
  let fn: unknown = callerFor(user);
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

describe("every procedure is classified", () => {
  it("has a cross-tenant case or a stated reason not to be tenant-scoped", () => {
    const unclassified = procedures
      .map(([path]) => path)
      .filter((path) => !(path in cases) && !notTenantScoped.has(path));
    expect(unclassified, "add a case to cross-tenant.int.test.ts for these").toEqual([]);
  });

  it("tenant-scoped procedures stand on the tenant rung of the ladder", () => {
    for (const [path, p] of procedures) {
      if (path in cases) expect([path, p._def.meta?.scope]).toEqual([path, expect.stringMatching(/^tenants?$/)]);
      else expect([path, p._def.meta?.scope]).toEqual([path, expect.stringMatching(/^(public|user)$/)]);
    }
  });
});

describe("a member of tenant A cannot reach tenant B", () => {
  it.each(Object.keys(cases))("%s naming tenant B is refused and changes nothing", async (path) => {
    const before = await snapshotTenant(B.ids.tenantId);
    const input = cases[path]!(B.ids, B.ids.tenantId);
    const error = await call(A.owner, path, input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${path} answered instead of refusing`).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
    expect(await snapshotTenant(B.ids.tenantId)).toEqual(before);
  });

  it.each(Object.keys(cases))("%s in tenant A with B's ids never touches or reveals B", async (path) => {
    const before = await snapshotTenant(B.ids.tenantId);
    const input = cases[path]!(B.ids, A.ids.tenantId);
    const result = await call(A.owner, path, input).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (result.ok) {
      // Allowed only when nothing of B was needed (lists, creates): then nothing of B may show.
      const text = JSON.stringify(result.value);
      for (const id of Object.values(B.ids)) expect(text, `${path} leaked ${id}`).not.toContain(id);
    } else {
      expect(result.error).toBeInstanceOf(TRPCError);
      expect(["NOT_FOUND", "BAD_REQUEST", "FORBIDDEN"]).toContain((result.error as TRPCError).code);
    }
    expect(await snapshotTenant(B.ids.tenantId)).toEqual(before);
  });

  it("cross-tenant lists without a filter show only the caller's tenants", async () => {
    const caller = callerFor(A.owner);
    const vaults = await caller.vaults.list({});
    expect(vaults.items.map((v) => v.tenantId)).toEqual([A.ids.tenantId]);
    const audit = await caller.audit.list({});
    expect(new Set(audit.items.map((e) => e.tenantId))).toEqual(new Set([A.ids.tenantId]));
  });

  it("the database itself refuses rule links and alerts pointing at another tenant's rows", async () => {
    const t = A.ids.tenantId;
    await expect(db.alertRuleWorkspace.create({ data: { tenantId: t, ruleId: A.ids.ruleId, workspaceId: B.ids.azureWorkspaceId } })).rejects.toThrow();
    await expect(db.alertRuleActionGroup.create({ data: { tenantId: t, ruleId: A.ids.ruleId, actionGroupId: B.ids.actionGroupId } })).rejects.toThrow();
    await expect(
      db.alertEvent.create({ data: { tenantId: t, alertId: B.ids.alertId, kind: "commented", occurredAt: new Date() } }),
    ).rejects.toThrow();
  });

  it("the database itself refuses a vault pointing at another tenant's workspace", async () => {
    const vault = await db.vault.findUniqueOrThrow({ where: { id: A.ids.vaultId } });
    await expect(
      db.vault.update({ where: { id: vault.id }, data: { workspaceId: B.ids.localWorkspaceId } }),
    ).rejects.toThrow();
  });
});

describe("silences of tenant B", () => {
  it("are exactly as before after every call from A (the tenant snapshot does not hold them)", async () => {
    expect(await db.silence.findMany({ where: { tenantId: B.ids.tenantId }, orderBy: { id: "asc" } })).toEqual(silencesOfB);
  });
});
