/** Roles: a viewer cannot change anything; an operator manages the estate but not people; only owners make owners. */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, populatedTenant, snapshotTenant, uniq, vaultId, type Populated } from "./test/harness";

let T: Populated;
beforeAll(async () => {
  T = await populatedTenant();
});
afterAll(() => db.$disconnect());

async function refused(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe("FORBIDDEN");
  return e as TRPCError;
}

describe("viewer", () => {
  it("can read but every mutation is refused and nothing changes", async () => {
    const { user } = await addMember(T.ids.tenantId, "viewer");
    const v = callerFor(user);
    const t = { tenantId: T.ids.tenantId };
    expect((await v.vaults.list({ tenantIds: [T.ids.tenantId] })).items).toHaveLength(1);
    expect(await v.workspaces.list(t)).toHaveLength(2);
    const before = await snapshotTenant(T.ids.tenantId);
    const e = await refused(v.vaults.register({ ...t, armId: vaultId() }));
    expect(e.message).toBe("Your role (viewer) cannot do vaults.write");
    await refused(v.vaults.remove({ ...t, vaultId: T.ids.vaultId }));
    await refused(v.vaults.linkWorkspace({ ...t, vaultIds: [T.ids.vaultId], workspaceId: null }));
    await refused(v.vaults.bulkImport({ ...t, text: vaultId() }));
    await refused(v.workspaces.createLocal({ ...t, name: "nope" }));
    await refused(v.workspaces.rotateKeys({ ...t, workspaceId: T.ids.localWorkspaceId, which: "both" }));
    await refused(v.workspaces.remove({ ...t, workspaceId: T.ids.localWorkspaceId }));
    await refused(v.subscriptions.create({ ...t, azureSubscriptionId: crypto.randomUUID() }));
    await refused(v.connections.remove({ ...t, connectionId: T.ids.connectionId }));
    await refused(v.members.invite({ ...t, email: `x-${uniq()}@test.vaultwatch`, role: "viewer" }));
    await refused(v.tenants.rename({ ...t, name: "Renamed" }));
    await refused(v.tenants.delete({ ...t, confirmSlug: T.tenant.slug }));
    await refused(v.audit.list({ tenantIds: [T.ids.tenantId] }));
    expect(await snapshotTenant(T.ids.tenantId)).toEqual(before);
  });
});

describe("operator", () => {
  it("registers vaults and workspaces but cannot manage members, connections or the tenant", async () => {
    const { user } = await addMember(T.ids.tenantId, "operator");
    const o = callerFor(user);
    const t = { tenantId: T.ids.tenantId };
    const vault = await o.vaults.register({ ...t, armId: vaultId() });
    expect(vault.tenantId).toBe(T.ids.tenantId);
    await o.workspaces.createLocal({ ...t, name: `ops-${uniq()}` });
    await refused(o.members.invite({ ...t, email: `x-${uniq()}@test.vaultwatch`, role: "viewer" }));
    await refused(o.members.changeRole({ ...t, membershipId: T.ids.viewerMembershipId, role: "admin" }));
    await refused(o.members.remove({ ...t, membershipId: T.ids.viewerMembershipId }));
    await refused(o.connections.create({ ...t, name: "x", entraTenantId: crypto.randomUUID(), clientId: crypto.randomUUID(), clientSecret: "abcdefghij" }));
    await refused(o.tenants.rename({ ...t, name: "Renamed" }));
  });
});

describe("admin and owner", () => {
  it("an admin manages members but cannot grant, change or remove the owner role", async () => {
    const { user } = await addMember(T.ids.tenantId, "admin");
    const a = callerFor(user);
    const t = { tenantId: T.ids.tenantId };
    const { membership } = await addMember(T.ids.tenantId, "viewer");
    const changed = await a.members.changeRole({ ...t, membershipId: membership.id, role: "operator" });
    expect(changed.role).toBe("operator");
    await refused(a.members.changeRole({ ...t, membershipId: membership.id, role: "owner" }));
    await refused(a.members.remove({ ...t, membershipId: T.ids.ownerMembershipId }));
    await refused(a.members.invite({ ...t, email: `x-${uniq()}@test.vaultwatch`, role: "owner" }));
    await refused(a.tenants.delete({ ...t, confirmSlug: T.tenant.slug }));
  });

  it("the last owner can be neither removed nor demoted", async () => {
    const owner = callerFor(T.owner);
    const t = { tenantId: T.ids.tenantId };
    await expect(owner.members.remove({ ...t, membershipId: T.ids.ownerMembershipId })).rejects.toThrow(
      "a tenant must keep at least one owner",
    );
    await expect(
      owner.members.changeRole({ ...t, membershipId: T.ids.ownerMembershipId, role: "admin" }),
    ).rejects.toThrow("a tenant must keep at least one owner");
    // with a second owner, the first may step down
    const { membership } = await addMember(T.ids.tenantId, "viewer");
    await owner.members.changeRole({ ...t, membershipId: membership.id, role: "owner" });
    const demoted = await owner.members.changeRole({ ...t, membershipId: T.ids.ownerMembershipId, role: "admin" });
    expect(demoted.role).toBe("admin");
  });
});
