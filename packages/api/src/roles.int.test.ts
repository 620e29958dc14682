/**
 * Roles, tried on every mutation of the router (found from the router itself, so a new one is covered the day it is
 * added): a viewer changes nothing; an operator manages the estate (vaults, workspaces, subscriptions, rules, action
 * groups, silences, alerts) but not people, connections, keys or the tenant; only owners make owners.
 * Each attempt runs in a transaction that is rolled back, so every one starts from the same tenant.
 */
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "./context";
import { addMember, callerFor, db, uniq } from "./test/harness";
import { notTenantScoped, procedures, validInputs } from "./test/procedure-inputs";
import { attempt, snapshotTenantData, tenantWithData, type TenantData } from "./test/tenant-data";

/** Mutations a viewer may call, each for a reason. */
const viewerMay: Record<string, string> = {
  "me.signOutEverywhere": "ends the caller's own sessions, nobody else's",
  "invitations.accept": "acts by a secret invitation token, not as the caller (it creates the invitee's account)",
};

/**
 * Tenant mutations a viewer may call, each for a reason: they read the tenant's data and write only the caller's own
 * records (in the table named), which the test checks is the one change.
 */
const viewerMayInTenant: Record<string, { reason: string; writes: string }> = {
  "logs.run": { reason: "runs a read-only query; remembering it in the caller's own history is the only write", writes: "query_history" },
};

/** What a viewer would send to the mutations that take no tenant (refused for other reasons: see notTenantScoped). */
const untenantedInputs: Record<string, () => Record<string, unknown>> = {
  "setup.createAdmin": () => ({ email: `x-${uniq()}@test.vaultwatch`, name: "Usurper", password: "correct horse battery" }),
  "tenants.create": () => ({ name: `Mine ${uniq()}` }),
  "platformActionGroups.create": () => ({ name: `MSP on call ${uniq()}`, receivers: [] }),
  "platformActionGroups.update": () => ({ actionGroupId: randomUUID(), name: `MSP on call ${uniq()}` }),
  "platformActionGroups.delete": () => ({ actionGroupId: randomUUID() }),
  "platformActionGroups.test": () => ({ actionGroupId: randomUUID() }),
};

/**
 * What an operator may not change: people (members, invitations), Azure credentials (connections, and storage archive
 * sources, which hold a SAS token or account key or use a connection), the tenant itself, and workspace keys. Subscriptions are part of the estate an operator manages (registering a vault
 * registers its subscription), as roles.ts grants.
 */
const operatorMayNot = (path: string) =>
  path.startsWith("members.") || path.startsWith("connections.") || path.startsWith("archiveSources.") || path.startsWith("tenants.") || path === "workspaces.rotateKeys";

const mutations = procedures.filter((p) => p.type === "mutation").map((p) => p.path);
const tenantMutations = mutations.filter((p) => p in validInputs);
const tenantQueries = procedures.filter((p) => p.type === "query" && p.path in validInputs).map((p) => p.path);

let T: TenantData;
let viewer: SessionUser;
let operator: SessionUser;
let watch: { tenantId: string; workspaceIds: string[] };
let baseline: Record<string, string>;

beforeAll(async () => {
  T = await tenantWithData();
  viewer = (await addMember(T.ids.tenantId, "viewer")).user;
  operator = (await addMember(T.ids.tenantId, "operator")).user;
  const workspaces = await db.workspace.findMany({ where: { tenantId: T.ids.tenantId }, select: { id: true } });
  watch = { tenantId: T.ids.tenantId, workspaceIds: workspaces.map((w) => w.id) };
  baseline = await snapshotTenantData(watch.tenantId, watch.workspaceIds);
}, 60_000);
afterAll(() => db.$disconnect());

const errorOf = (result: Awaited<ReturnType<typeof attempt>>) => (result.ok ? null : result.error);

describe("viewer", () => {
  it("the mutations a viewer may call are mutations that take no tenant", () => {
    for (const path of Object.keys(viewerMay)) expect([path, mutations.includes(path), path in notTenantScoped]).toEqual([path, true, true]);
  });

  it.each(Object.entries(viewerMayInTenant))("%s answers a viewer and changes only the caller's own records", async (path, { writes }) => {
    for (const input of validInputs[path]!(T)) {
      const result = await attempt(viewer, path, input, watch);
      expect(errorOf(result), `${path} refused a viewer`).toBeNull();
      const { [writes]: written, ...rest } = result.after;
      const { [writes]: before, ...baseRest } = baseline;
      expect(rest).toEqual(baseRest);
      // the snapshot is "rows:digest" per table: one row more, the caller's
      expect(Number(written?.split(":")[0])).toBe(Number(before?.split(":")[0]) + 1);
    }
  });

  it.each(mutations.filter((p) => !(p in viewerMay) && !(p in viewerMayInTenant)))("%s is refused (FORBIDDEN) and changes nothing", async (path) => {
    const inputs = validInputs[path]?.(T) ?? (untenantedInputs[path] ? [untenantedInputs[path]()] : null);
    expect(inputs, `${path}: add an input (test/procedure-inputs.ts, or untenantedInputs here)`).not.toBeNull();
    for (const input of inputs!) {
      const result = await attempt(viewer, path, input, watch);
      expect(errorOf(result), `${path} answered a viewer`).toBeInstanceOf(TRPCError);
      expect((errorOf(result) as TRPCError).code).toBe("FORBIDDEN");
      expect(result.after).toEqual(baseline);
    }
  });

  it("names the permission the role lacks", async () => {
    const result = await attempt(viewer, "vaults.register", validInputs["vaults.register"]!(T)[0], watch);
    expect((errorOf(result) as TRPCError).message).toBe("Your role (viewer) cannot do vaults.write");
  });

  it.each(tenantQueries)("%s: a viewer reads everything but the audit log", async (path) => {
    for (const input of validInputs[path]!(T)) {
      const result = await attempt(viewer, path, input, watch);
      if (path === "audit.list") expect((errorOf(result) as TRPCError).code).toBe("FORBIDDEN");
      else expect(errorOf(result)).toBeNull();
    }
  });
});

describe("operator", () => {
  it.each(tenantMutations)("%s: refused for people, connections, keys and the tenant; allowed for the estate", async (path) => {
    for (const input of validInputs[path]!(T)) {
      const result = await attempt(operator, path, input, watch);
      if (operatorMayNot(path)) {
        expect(errorOf(result), `${path} answered an operator`).toBeInstanceOf(TRPCError);
        expect((errorOf(result) as TRPCError).code).toBe("FORBIDDEN");
        expect(result.after).toEqual(baseline);
      } else {
        expect(errorOf(result), `${path} refused an operator`).toBeNull();
      }
    }
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
    const refused = async (p: Promise<unknown>) => expect(((await p.then(() => null, (e: unknown) => e)) as TRPCError | null)?.code).toBe("FORBIDDEN");
    await refused(a.members.changeRole({ ...t, membershipId: membership.id, role: "owner" }));
    await refused(a.members.remove({ ...t, membershipId: T.ids.ownerMembershipId }));
    await refused(a.members.invite({ ...t, email: `x-${uniq()}@test.vaultwatch`, role: "owner" }));
    await refused(a.tenants.delete({ ...t, confirmSlug: T.tenant.slug }));
  });

  it("the last owner can be neither removed nor demoted", async () => {
    const owner = callerFor(T.owner);
    const t = { tenantId: T.ids.tenantId };
    await expect(owner.members.remove({ ...t, membershipId: T.ids.ownerMembershipId })).rejects.toThrow("a tenant must keep at least one owner");
    await expect(owner.members.changeRole({ ...t, membershipId: T.ids.ownerMembershipId, role: "admin" })).rejects.toThrow(
      "a tenant must keep at least one owner",
    );
    // with a second owner, the first may step down
    const { membership } = await addMember(T.ids.tenantId, "viewer");
    await owner.members.changeRole({ ...t, membershipId: membership.id, role: "owner" });
    const demoted = await owner.members.changeRole({ ...t, membershipId: T.ids.ownerMembershipId, role: "admin" });
    expect(demoted.role).toBe("admin");
  });
});
