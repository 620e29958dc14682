/** What each procedure does for a user, against the real database. */
import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret, hashApiKey } from "@vaultwatch/db";
import { appRouter } from "./root";
import {
  addMember,
  callerFor,
  contextFor,
  db,
  encryptionKey,
  makeTenant,
  makeUser,
  populatedTenant,
  uniq,
  vaultId,
  type Populated,
} from "./test/harness";

let T: Populated;
let owner: ReturnType<typeof callerFor>;
let t: { tenantId: string };
beforeAll(async () => {
  T = await populatedTenant();
  owner = callerFor(T.owner);
  t = { tenantId: T.ids.tenantId };
});
afterAll(() => db.$disconnect());

async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

describe("tenants", () => {
  it("a platform admin creates tenants with unique slugs and owns them; others cannot create", async () => {
    const admin = await makeUser({ platformAdmin: true });
    const name = `Contoso ${uniq()}`;
    const first = await callerFor(admin).tenants.create({ name });
    const second = await callerFor(admin).tenants.create({ name });
    expect(second.slug).toBe(`${first.slug}-2`);
    const mine = await callerFor(admin).tenants.listMine();
    expect(mine.map((m) => [m.slug, m.role])).toEqual(
      expect.arrayContaining([[first.slug, "owner"], [second.slug, "owner"]]),
    );
    const plain = await makeUser();
    expect((await errorOf(callerFor(plain).tenants.create({ name: "X" }))).code).toBe("FORBIDDEN");
    expect((await errorOf(callerFor(null).tenants.listMine())).code).toBe("UNAUTHORIZED");
  });

  it("rename is audited with before and after; delete needs the slug typed back", async () => {
    const admin = await makeUser({ platformAdmin: true });
    const tenant = await makeTenant(admin, `Fabrikam ${uniq()}`);
    const c = callerFor(admin);
    await c.tenants.rename({ tenantId: tenant.id, name: "Fabrikam Logistics" });
    const entry = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "tenant.rename" } });
    expect(entry.before).toEqual({ name: tenant.name });
    expect(entry.after).toEqual({ name: "Fabrikam Logistics" });
    expect(entry.actorEmail).toBe(admin.email);

    const wrong = await errorOf(c.tenants.delete({ tenantId: tenant.id, confirmSlug: "nope" }));
    expect(wrong.message).toContain(`confirmSlug: type "${tenant.slug}"`);
    expect(await db.tenant.count({ where: { id: tenant.id } })).toBe(1);
    await c.tenants.delete({ tenantId: tenant.id, confirmSlug: tenant.slug });
    expect(await db.tenant.count({ where: { id: tenant.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "tenant.delete", targetId: tenant.id } })).toBe(1);
  });

  it("deleting a populated tenant removes everything it owned", async () => {
    const P = await populatedTenant();
    await callerFor(P.owner).tenants.delete({ tenantId: P.ids.tenantId, confirmSlug: P.tenant.slug });
    expect(await db.vault.count({ where: { tenantId: P.ids.tenantId } })).toBe(0);
    expect(await db.workspace.count({ where: { tenantId: P.ids.tenantId } })).toBe(0);
    expect(await db.alertRule.count({ where: { tenantId: P.ids.tenantId } })).toBe(0);
    expect(await db.alert.count({ where: { tenantId: P.ids.tenantId } })).toBe(0);
  });
});

describe("members and invitations", () => {
  it("a new person accepts an invitation link once, then can sign in with the chosen password", async () => {
    const email = `new-${uniq()}@test.vaultwatch`;
    const r = await owner.members.invite({ ...t, email, role: "viewer" });
    if (r.kind !== "invited") throw new Error("expected invitation");
    const token = r.inviteUrl.split("/invite/")[1]!;
    const pub = callerFor(null);
    expect(await pub.invitations.get({ token })).toEqual({ email, role: "viewer", tenantName: T.tenant.name });
    expect((await owner.members.list(t)).invitations.map((i) => i.email)).toContain(email);

    const weak = await errorOf(pub.invitations.accept({ token, name: "New Person", password: "short" }));
    expect(weak.code).toBe("BAD_REQUEST");
    await pub.invitations.accept({ token, name: "New Person", password: "a-long-enough-password" });
    expect((await errorOf(pub.invitations.accept({ token, name: "Again", password: "a-long-enough-password" }))).code).toBe(
      "NOT_FOUND",
    );
    const res = await signIn(email, "a-long-enough-password");
    expect(res.status).toBe(200);
    const members = await owner.members.list(t);
    expect(members.members.find((m) => m.user.email === email)?.role).toBe("viewer");
    expect(members.invitations.map((i) => i.email)).not.toContain(email);
  });

  it("a revoked invitation cannot be accepted", async () => {
    const r = await owner.members.invite({ ...t, email: `rev-${uniq()}@test.vaultwatch`, role: "viewer" });
    if (r.kind !== "invited") throw new Error("expected invitation");
    await owner.members.revokeInvitation({ ...t, invitationId: r.invitationId });
    const token = r.inviteUrl.split("/invite/")[1]!;
    expect((await errorOf(callerFor(null).invitations.get({ token }))).code).toBe("NOT_FOUND");
  });

  it("removing a member ends their access", async () => {
    const { user, membership } = await addMember(T.ids.tenantId, "operator");
    await owner.members.remove({ ...t, membershipId: membership.id });
    expect((await errorOf(callerFor(user).workspaces.list(t))).code).toBe("FORBIDDEN");
  });
});

describe("connections", () => {
  it("stores the client secret encrypted and never returns it", async () => {
    const created = await owner.connections.create({
      ...t,
      name: `App ${uniq()}`,
      entraTenantId: randomUUID().toUpperCase(),
      clientId: randomUUID(),
      clientSecret: "very-secret-value~123",
    });
    expect(JSON.stringify(created)).not.toContain("secret-value");
    expect(created.entraTenantId).toBe(created.entraTenantId.toLowerCase());
    const row = await db.azureConnection.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.clientSecretEncrypted).not.toContain("very-secret");
    expect(decryptSecret(row.clientSecretEncrypted!, encryptionKey)).toBe("very-secret-value~123");
    const listed = await owner.connections.list(t);
    expect(JSON.stringify(listed)).not.toMatch(/secret/i);
    const audit = await db.auditLog.findMany({ where: { tenantId: T.ids.tenantId, targetId: created.id } });
    expect(JSON.stringify(audit)).not.toContain("very-secret");
  });

  it("a bad GUID names its field", async () => {
    const e = await errorOf(
      owner.connections.create({ ...t, name: "x", entraTenantId: "not-a-guid", clientId: randomUUID(), clientSecret: "abcdefghij" }),
    );
    expect(e.code).toBe("BAD_REQUEST");
  });
});

describe("workspaces", () => {
  it("local workspace keys are shown once, stored hashed, and rotation replaces them", async () => {
    const ws = await owner.workspaces.createLocal({ ...t, name: `Local ${uniq()}` });
    expect(ws.ingestKey).toMatch(/^vwi_/);
    expect(ws.queryKey).toMatch(/^vwq_/);
    const row = await db.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(row.ingestKeyHash).toBe(hashApiKey(ws.ingestKey));
    expect(row.queryKeyHash).toBe(hashApiKey(ws.queryKey));
    const listed = JSON.stringify(await owner.workspaces.list(t));
    expect(listed).not.toContain(ws.ingestKey);
    expect(listed).not.toContain(row.ingestKeyHash!);

    const rotated = await owner.workspaces.rotateKeys({ ...t, workspaceId: ws.id, which: "query" });
    expect(rotated.ingestKey).toBeNull();
    const after = await db.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(after.queryKeyHash).toBe(hashApiKey(rotated.queryKey!));
    expect(after.queryKeyHash).not.toBe(row.queryKeyHash);
    expect(after.ingestKeyHash).toBe(row.ingestKeyHash);
  });

  it("azure workspaces have no keys to rotate; duplicate names conflict", async () => {
    const e = await errorOf(owner.workspaces.rotateKeys({ ...t, workspaceId: T.ids.azureWorkspaceId, which: "both" }));
    expect(e.message).toBe("workspaceId: only local workspaces have keys");
    const dup = await errorOf(owner.workspaces.createLocal({ ...t, name: "Local" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toContain("name:");
  });

  it("removing a workspace unlinks its vaults", async () => {
    const ws = await owner.workspaces.createLocal({ ...t, name: `Temp ${uniq()}` });
    const v = await owner.vaults.register({ ...t, armId: vaultId(), workspaceId: ws.id });
    await owner.workspaces.remove({ ...t, workspaceId: ws.id });
    expect((await db.vault.findUniqueOrThrow({ where: { id: v.id } })).workspaceId).toBeNull();
  });
});

describe("vaults", () => {
  it("registers by ARM id, parsing subscription, resource group and name, and creating the subscription", async () => {
    const subscription = randomUUID().toUpperCase();
    const arm = `/subscriptions/${subscription}/resourceGroups/RG-Backup-WEU/providers/Microsoft.RecoveryServices/vaults/rsv-prod-01`;
    const v = await owner.vaults.register({ ...t, armId: arm, region: "West Europe" });
    expect(v).toMatchObject({ name: "rsv-prod-01", resourceGroup: "RG-Backup-WEU", region: "westeurope" });
    expect(v.subscription.azureSubscriptionId).toBe(subscription.toLowerCase());
    const dup = await errorOf(owner.vaults.register({ ...t, armId: arm.toLowerCase().replace("microsoft.recoveryservices", "MICROSOFT.RECOVERYSERVICES") }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toBe("armId: this vault is already registered in this tenant");
  });

  it("a bad ARM id is refused with the field named and nothing written", async () => {
    const before = await db.vault.count({ where: { tenantId: T.ids.tenantId } });
    const e = await errorOf(
      owner.vaults.register({ ...t, armId: "/subscriptions/123/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x" }),
    );
    expect(e.code).toBe("BAD_REQUEST");
    expect(await db.vault.count({ where: { tenantId: T.ids.tenantId } })).toBe(before);
  });

  it("lists with filters and pages with a cursor", async () => {
    const P = await populatedTenant();
    const c = callerFor(P.owner);
    const pt = { tenantId: P.ids.tenantId };
    const subscription = randomUUID();
    for (const n of ["alpha", "bravo", "charlie", "delta"]) {
      await c.vaults.register({ ...pt, armId: vaultId(subscription, "rg-filter", `rsv-${n}`), region: "uksouth" });
    }
    const scope = { tenantIds: [P.ids.tenantId] };
    expect((await c.vaults.list({ ...scope, search: "BRAVO" })).items.map((v) => v.name)).toEqual(["rsv-bravo"]);
    expect((await c.vaults.list({ ...scope, azureSubscriptionId: subscription })).total).toBe(4);
    expect((await c.vaults.list({ ...scope, resourceGroup: "RG-FILTER" })).total).toBe(4);
    expect((await c.vaults.list({ ...scope, region: "uksouth" })).total).toBe(4);
    expect((await c.vaults.list({ ...scope, unlinked: true })).total).toBe(4);
    expect((await c.vaults.list({ ...scope, workspaceId: P.ids.localWorkspaceId })).total).toBe(1);
    const page1 = await c.vaults.list({ ...scope, limit: 2 });
    const page2 = await c.vaults.list({ ...scope, limit: 2, cursor: page1.nextCursor });
    const page3 = await c.vaults.list({ ...scope, limit: 2, cursor: page2.nextCursor });
    const names = [...page1.items, ...page2.items, ...page3.items].map((v) => v.name);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(5);
    expect(page3.nextCursor).toBeUndefined();
  });

  it("bulk import reports every bad line and imports nothing; a clean paste imports all and skips known vaults", async () => {
    const P = await populatedTenant();
    const c = callerFor(P.owner);
    const pt = { tenantId: P.ids.tenantId };
    const good1 = vaultId();
    const good2 = vaultId();
    const csv = ["armId,region", good1 + ",westeurope", "/subscriptions/nope/resourceGroups/rg/x", good2, "garbage"].join("\n");
    const bad = await c.vaults.bulkImport({ ...pt, text: csv });
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => e.line)).toEqual([3, 5]);
    expect(await db.vault.count({ where: { tenantId: P.ids.tenantId } })).toBe(1);

    const json = JSON.stringify([{ id: good1, location: "westeurope" }, good2, P.ids.vaultArmId.toUpperCase()]);
    const dry = await c.vaults.bulkImport({ ...pt, text: json, dryRun: true });
    expect(dry).toMatchObject({ ok: true, wouldCreate: 2, created: 0, skipped: 1 });
    expect(await db.vault.count({ where: { tenantId: P.ids.tenantId } })).toBe(1);
    const done = await c.vaults.bulkImport({ ...pt, text: json, workspaceId: P.ids.localWorkspaceId });
    expect(done).toMatchObject({ ok: true, created: 2, skipped: 1 });
    expect(await db.vault.count({ where: { tenantId: P.ids.tenantId, workspaceId: P.ids.localWorkspaceId } })).toBe(3);
    expect(await db.auditLog.count({ where: { tenantId: P.ids.tenantId, action: "vault.bulkImport" } })).toBe(1);
  });

  it("links and unlinks vaults to a workspace of the same tenant only", async () => {
    const v = await owner.vaults.register({ ...t, armId: vaultId() });
    await owner.vaults.linkWorkspace({ ...t, vaultIds: [v.id], workspaceId: T.ids.azureWorkspaceId });
    expect((await db.vault.findUniqueOrThrow({ where: { id: v.id } })).workspaceId).toBe(T.ids.azureWorkspaceId);
    const other = await populatedTenant();
    const e = await errorOf(owner.vaults.linkWorkspace({ ...t, vaultIds: [v.id], workspaceId: other.ids.localWorkspaceId }));
    expect(e.message).toBe("workspaceId: no such workspace in this tenant");
    await owner.vaults.remove({ ...t, vaultId: v.id });
    expect(await db.vault.count({ where: { id: v.id } })).toBe(0);
  });
});

describe("subscriptions", () => {
  it("refuses removing a subscription that still has vaults", async () => {
    const e = await errorOf(owner.subscriptions.remove({ ...t, subscriptionId: T.ids.vaultSubscriptionId }));
    expect(e.message).toContain("subscriptionId: remove its 1 vault(s) first");
    const updated = await owner.subscriptions.update({ ...t, subscriptionId: T.ids.subscriptionId, displayName: "Prod" });
    expect(updated.displayName).toBe("Prod");
    await owner.subscriptions.remove({ ...t, subscriptionId: T.ids.subscriptionId });
  });
});

describe("audit log", () => {
  it("every mutation of a tenant leaves an entry, newest first", async () => {
    const P = await populatedTenant();
    const c = callerFor(P.owner);
    const entries = await c.audit.list({ tenantIds: [P.ids.tenantId] });
    expect(entries.items.map((e) => e.action)).toEqual([
      "rule.create",
      "actionGroup.create",
      "member.invite",
      "subscription.create",
      "vault.register",
      "workspace.create",
      "workspace.create",
      "connection.create",
      "tenant.create",
    ]);
  });
});

describe("over HTTP", () => {
  const handler = (req: Request) =>
    fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => contextFor(T.owner) });

  it("a bad input is a 400 naming the field, without a stack trace", async () => {
    const res = await handler(
      new Request("http://x/api/trpc/vaults.register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { tenantId: T.ids.tenantId, armId: "nope" } }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.data.fieldErrors).toEqual({ armId: expect.stringContaining("must look like") });
    expect(body.error.json.message).toMatch(/^armId: must look like/);
    expect(JSON.stringify(body)).not.toMatch(/stack|\n\s+at /);
  });

  it("malformed JSON is a clear 400", async () => {
    const res = await handler(
      new Request("http://x/api/trpc/vaults.register", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } }),
    );
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain("JSON");
    expect(body).not.toMatch(/\n\s+at /);
  });

  it("a malformed id is a 400, not a database error", async () => {
    const res = await handler(
      new Request("http://x/api/trpc/vaults.remove", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { tenantId: T.ids.tenantId, vaultId: "1 or 1=1" } }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { data: { fieldErrors: Record<string, string> } } } };
    expect(Object.keys(body.error.json.data.fieldErrors)).toEqual(["vaultId"]);
  });
});

async function signIn(email: string, password: string, ip = "10.9.8.7") {
  return auth().handler(
    new Request("http://localhost:3999/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip, origin: "http://localhost:3999" },
      body: JSON.stringify({ email, password }),
    }),
  );
}
function auth() {
  return contextFor(null).auth;
}
