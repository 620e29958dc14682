import { randomUUID } from "node:crypto";
import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { callerFor, db, makeTenant, makeUser, populatedTenant, rowPool, type Populated } from "./test/harness";

const UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

/**
 * An activity-log record in the storage / Event Hubs shape. The schema page maps resultType to status.value,
 * resultSignature to subStatus.value, and the caller to the UPN claim.
 */
function record(o: { resourceId: string; operationName: string; at: Date; resultType: string; level: string; upn: string; category?: string }) {
  return {
    time: o.at.toISOString(),
    resourceId: o.resourceId,
    operationName: o.operationName,
    category: "Write",
    resultType: o.resultType,
    resultSignature: `${o.resultType}.Sub`,
    durationMs: 0,
    callerIpAddress: "203.0.113.9",
    correlationId: randomUUID(),
    identity: { claims: { [UPN]: o.upn } },
    level: o.level,
    location: "global",
    properties: { eventCategory: o.category ?? "Administrative", eventDataId: randomUUID(), operationId: randomUUID() },
  };
}

let A: Populated;
let otherVault: string;
const t0 = new Date(Date.now() - 3_600_000);
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  A = await populatedTenant();
  otherVault = A.ids.vaultArmId.replace(/rsv-[^/]+$/, "rsv-other");
  await ingestRecords(rowPool, { tenantId: A.ids.tenantId, workspaceId: A.ids.localWorkspaceId }, [
    record({ resourceId: A.ids.vaultArmId, operationName: "Microsoft.RecoveryServices/vaults/delete", at: at(1), resultType: "Failed", level: "Error", upn: "alice@contoso.com" }),
    record({ resourceId: A.ids.vaultArmId, operationName: "Microsoft.RecoveryServices/vaults/backupPolicies/write", at: at(2), resultType: "Succeeded", level: "Informational", upn: "bob@contoso.com" }),
    record({ resourceId: otherVault, operationName: "Microsoft.RecoveryServices/vaults/write", at: at(3), resultType: "Started", level: "Informational", upn: "alice@contoso.com" }),
    record({ resourceId: otherVault, operationName: "Microsoft.Resourcehealth/healthevent/Activated/action", at: at(4), resultType: "Active", level: "Warning", upn: "svc@contoso.com", category: "ResourceHealth" }),
  ]);
});
afterAll(async () => {
  await db.$disconnect();
});

const list = (input: Record<string, unknown> = {}) => callerFor(A.owner).activity.list({ tenantIds: [A.ids.tenantId], ...input });

describe("activity.list", () => {
  it("lists the tenant's events newest first, with status, subStatus and caller from the REST shape", async () => {
    const { items } = await list();
    expect(items.map((e) => e.operationName)).toEqual([
      "Microsoft.Resourcehealth/healthevent/Activated/action",
      "Microsoft.RecoveryServices/vaults/write",
      "Microsoft.RecoveryServices/vaults/backupPolicies/write",
      "Microsoft.RecoveryServices/vaults/delete",
    ]);
    expect(items[3]).toMatchObject({ status: "Failed", subStatus: "Failed.Sub", caller: "alice@contoso.com", level: "Error", category: "Administrative" });
    expect(items[0]).toMatchObject({ category: "ResourceHealth", level: "Warning", status: "Active" });
  });

  it("filters by category, level, status, resource, caller and operation, each narrowing the list", async () => {
    const ops = async (input: Record<string, unknown>) => (await list(input)).items.map((e) => e.operationName.split("/").slice(-1)[0]);
    expect(await ops({ category: "ResourceHealth" })).toEqual(["action"]);
    expect(await ops({ level: ["Error", "Warning"] })).toEqual(["action", "delete"]);
    expect(await ops({ status: "Succeeded" })).toEqual(["write"]);
    expect(await ops({ resource: "RSV-OTHER" })).toEqual(["action", "write"]);
    expect(await ops({ caller: "alice@" })).toEqual(["write", "delete"]);
    expect(await ops({ operation: "vaults/delete" })).toEqual(["delete"]);
    expect(await ops({ caller: "alice@", status: "Failed" })).toEqual(["delete"]);
    expect(await ops({ from: at(2), to: at(4) })).toEqual(["write", "write"]);
  });

  it("pages with a cursor from the same list and refuses one from elsewhere", async () => {
    const first = await list({ limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await list({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((e) => e.operationName)).toEqual(["Microsoft.RecoveryServices/vaults/delete"]);
    expect(second.nextCursor).toBeUndefined();
    const foreign = await list({ cursor: randomUUID() }).catch((e: TRPCError) => e);
    expect((foreign as TRPCError).message).toMatch(/cursor/);
  });

  it("returns one event whole, and nothing of another tenant", async () => {
    const { items } = await list({ operation: "vaults/delete" });
    const one = await callerFor(A.owner).activity.get({ tenantIds: [A.ids.tenantId], id: items[0]!.id });
    expect(one.event).toMatchObject({ caller: "alice@contoso.com", status: { value: "Failed" }, operationName: { value: "Microsoft.RecoveryServices/vaults/delete" } });

    const stranger = await makeUser();
    await makeTenant(stranger);
    const call = callerFor(stranger);
    expect((await call.activity.list({})).items).toEqual([]);
    const refused = await call.activity.get({ id: items[0]!.id }).catch((e: TRPCError) => e);
    expect((refused as TRPCError).code).toBe("NOT_FOUND");
    const named = await call.activity.list({ tenantIds: [A.ids.tenantId] }).catch((e: TRPCError) => e);
    expect((named as TRPCError).code).toBe("FORBIDDEN");
  });

  it("refuses a bad filter naming the field", async () => {
    const bad = await list({ level: ["Loud"] }).catch((e: TRPCError) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toMatch(/level/);
  });
});

describe("rules.previewActivity: an activity rule tried on the recent events", () => {
  const preview = (input: Record<string, unknown>, user = A.owner) =>
    callerFor(user).rules.previewActivity({ tenantId: A.ids.tenantId, scope: {}, ...input } as never);
  const ops = (p: { events: { operationName: string }[] }) => p.events.map((e) => e.operationName.split("/").slice(-1)[0]);

  it("lists the events the condition matches, newest first, with what the rule would see of each", async () => {
    const deleted = await preview({ condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] } });
    expect(deleted).toMatchObject({ examined: 4, matched: 1, capped: false });
    // resultType → status.value and the UPN claim → caller (the activity log schema's mapping)
    expect(deleted.events[0]).toMatchObject({ status: "Failed", caller: "alice@contoso.com", level: "Error" });
    expect(deleted.events[0]!.resourceId.toLowerCase()).toBe(A.ids.vaultArmId.toLowerCase());
    // field names and values compare case-insensitively, as Azure's activity log alerts do
    const either = await preview({ condition: { allOf: [{ anyOf: [{ field: "STATUS", equals: "failed" }, { field: "status", equals: "Started" }] }] } });
    expect(ops(either)).toEqual(["write", "delete"]);
  });

  it("applies the scope before the condition, and the days asked for", async () => {
    const scoped = await preview({ scope: { resourceIds: [otherVault] }, condition: { allOf: [{ field: "caller", containsAny: ["alice@contoso.com"] }] } });
    expect(ops(scoped)).toEqual(["write"]);
    const older = await preview({ days: 1, condition: { allOf: [{ field: "category", equals: "Administrative" }] } });
    expect(older.matched).toBe(3);
    expect(Date.now() - older.since.getTime()).toBeGreaterThanOrEqual(86_400_000);
  });

  it("a viewer may preview; a bad condition or days is refused naming the field", async () => {
    const viewer = await makeUser();
    await db.membership.create({ data: { tenantId: A.ids.tenantId, userId: viewer.id, role: "viewer" } });
    expect((await preview({ condition: { allOf: [{ field: "level", equals: "Warning" }] } }, viewer)).matched).toBe(1);
    const bad = await preview({ condition: { allOf: [{ field: "colour", equals: "red" }] } }).catch((e: TRPCError) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toMatch(/field must be one of/);
    const days = await preview({ days: 90, condition: { allOf: [{ field: "level", equals: "Warning" }] } }).catch((e: TRPCError) => e);
    expect((days as TRPCError).message).toMatch(/days/);
  });
});
