/**
 * Platform (MSP) action groups: platform admins create them with receivers and a routing, test them and read their
 * delivery log across tenants; nobody else reaches them, and tenant procedures never show or touch them, even for a
 * tenant owner who is also a platform admin (tenant procedures filter by the tenant's id; these rows have none).
 */
import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@vaultwatch/db";
import { addMember, callerFor, db, encryptionKey, makeUser, populatedTenant, sampleLogRule, uniq, type Populated } from "./test/harness";
import type { SessionUser } from "./context";

let P: Populated;
let Q: Populated;
let admin: SessionUser;
let owner: SessionUser;
/** Platform groups route every tenant's alerts: the ones made here are disabled (no other test's alert reaches them) and removed after. */
const made: string[] = [];
const platformGroup = async (input: Parameters<ReturnType<typeof callerFor>["platformActionGroups"]["create"]>[0]) => {
  const g = await callerFor(admin).platformActionGroups.create({ enabled: false, ...input });
  made.push(g.id);
  return g;
};

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const slackUrl = () => `https://hooks.slack.com/services/T0/B0/${uniq()}SECRET`;

beforeAll(async () => {
  P = await populatedTenant();
  Q = await populatedTenant();
  admin = await makeUser({ platformAdmin: true });
  owner = (await addMember(P.ids.tenantId, "owner")).user;
});
afterAll(async () => {
  if (made.length) await db.actionGroup.deleteMany({ where: { tenantId: null, id: { in: made } } });
  await db.$disconnect();
});

describe("platform action groups", () => {
  it("a platform admin creates one with a routing; secrets sealed and never shown; audited as a platform change", async () => {
    const url = slackUrl();
    const call = callerFor(admin);
    const group = await platformGroup({
      name: `MSP on call ${uniq()}`,
      receivers: [{ type: "slack", name: "NOC", webhookUrl: url }],
      routing: { severities: [0, 1], tenantIds: [P.ids.tenantId] },
    });
    expect(group.routing).toEqual({ severities: [0, 1], tenantIds: [P.ids.tenantId] });
    expect(group.receivers[0]).toMatchObject({ name: "NOC", webhookUrl: null, webhookUrlHint: "https://hooks.slack.com/…" });
    const row = await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } });
    expect(row.tenantId).toBeNull();
    const sealed = (row.receivers as { webhookUrlEncrypted: string }[])[0]!.webhookUrlEncrypted;
    expect(decryptSecret(sealed, encryptionKey)).toBe(url);
    const listed = await call.platformActionGroups.list();
    expect(listed.find((g) => g.id === group.id)).toMatchObject({ health: { NOC: { status: "unknown" } } });
    expect(JSON.stringify(listed)).not.toContain(url);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "platformActionGroup.create", targetId: group.id } });
    expect(audit.tenantId).toBeNull();
    expect(JSON.stringify(audit.after)).not.toContain(url);
  });

  it("update keeps the stored secret and the routing when left out; routing null routes everything", async () => {
    const url = slackUrl();
    const call = callerFor(admin);
    const g = await platformGroup({ name: `Keep ${uniq()}`, receivers: [{ type: "slack", name: "NOC", webhookUrl: url }], routing: { severities: [0] } });
    const renamed = await call.platformActionGroups.update({ actionGroupId: g.id, name: `${g.name} renamed`, receivers: g.receivers });
    expect(renamed.routing).toEqual({ severities: [0] });
    const row = await db.actionGroup.findUniqueOrThrow({ where: { id: g.id } });
    expect(decryptSecret((row.receivers as { webhookUrlEncrypted: string }[])[0]!.webhookUrlEncrypted, encryptionKey)).toBe(url);
    const everything = await call.platformActionGroups.update({ actionGroupId: g.id, name: renamed.name, routing: null });
    expect(everything.routing).toBeNull();
    expect((await db.actionGroup.findUniqueOrThrow({ where: { id: g.id } })).routing).toBeNull();
  });

  it("a bad routing is refused naming its field, and nothing is stored", async () => {
    const name = `Bad ${uniq()}`;
    const error = await errorOf(callerFor(admin).platformActionGroups.create({ name, receivers: [], routing: { severities: [7] } }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.cause).toBeInstanceOf(ZodError);
    expect((error?.cause as ZodError).issues[0]?.path).toEqual(["routing", "severities", 0]);
    const notTenant = await errorOf(callerFor(admin).platformActionGroups.create({ name, receivers: [], routing: { tenantIds: ["acme"] } }));
    expect(notTenant?.message).toMatch(/routing\.tenantIds/);
    expect(await db.actionGroup.count({ where: { tenantId: null, name } })).toBe(0);
  });

  it("refuses a role-email receiver (it would mail customers' staff from the MSP's group), naming the receiver", async () => {
    const name = `Roles ${uniq()}`;
    const receivers = [
      { type: "email", name: "noc", address: "noc@msp.example" },
      { type: "armRoleEmail", name: "admins", role: "admin" },
    ];
    const error = await errorOf(callerFor(admin).platformActionGroups.create({ name, receivers }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/receivers\.1\.type/);
    expect(await db.actionGroup.count({ where: { tenantId: null, name } })).toBe(0);
  });

  it("only platform admins: a tenant owner is refused every platform procedure", async () => {
    const g = await platformGroup({ name: `Admins only ${uniq()}`, receivers: [] });
    const call = callerFor(owner);
    const attempts = [
      call.platformActionGroups.list(),
      call.platformActionGroups.get({ actionGroupId: g.id }),
      call.platformActionGroups.tenants(),
      call.platformActionGroups.create({ name: "x", receivers: [] }),
      call.platformActionGroups.update({ actionGroupId: g.id, name: "taken over" }),
      call.platformActionGroups.delete({ actionGroupId: g.id }),
      call.platformActionGroups.test({ actionGroupId: g.id }),
      call.platformActionGroups.deliveries({}),
    ];
    for (const error of await Promise.all(attempts.map(errorOf))) expect(error?.code).toBe("FORBIDDEN");
    expect(await db.actionGroup.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ name: g.name });
  });

  it("tenant procedures never reach a platform group: not listed, not found, not linkable, no deliveries shown", async () => {
    const g = await platformGroup({ name: `Hidden ${uniq()}`, receivers: [{ type: "slack", name: "NOC", webhookUrl: slackUrl() }] });
    // the populated tenant's owner is a platform admin as well: tenant procedures still do not show the group
    for (const user of [owner, P.owner]) {
      const call = callerFor(user);
      const t = { tenantId: P.ids.tenantId };
      expect((await call.actionGroups.list(t)).map((x) => x.id)).not.toContain(g.id);
      expect((await errorOf(call.actionGroups.get({ ...t, actionGroupId: g.id })))?.code).toBe("NOT_FOUND");
      expect((await errorOf(call.actionGroups.update({ ...t, actionGroupId: g.id, name: "mine now" })))?.code).toBe("NOT_FOUND");
      expect((await errorOf(call.actionGroups.delete({ ...t, actionGroupId: g.id })))?.code).toBe("NOT_FOUND");
      expect((await errorOf(call.actionGroups.test({ ...t, actionGroupId: g.id })))?.code).toBe("NOT_FOUND");
      const link = await errorOf(call.rules.create({ ...t, ...sampleLogRule(P.ids.localWorkspaceId), actionGroupIds: [g.id] }));
      expect(link).not.toBeNull();
      expect(await db.alertRuleActionGroup.count({ where: { actionGroupId: g.id } })).toBe(0);
    }
    // the group's delivery for the tenant's alert carries the tenant's id; the tenant's log still leaves it out
    const fired = await db.alertEvent.findFirstOrThrow({ where: { tenantId: P.ids.tenantId, alertId: P.ids.alertId, kind: "fired" } });
    const d = await db.notificationDelivery.create({
      data: {
        tenantId: P.ids.tenantId,
        alertId: P.ids.alertId,
        alertEventId: fired.id,
        actionGroupId: g.id,
        receiverName: "NOC",
        receiverType: "slack",
        endpointKey: `k-${uniq()}`,
        status: "sent",
      },
    });
    const call = callerFor(owner);
    for (const filter of [{}, { alertId: P.ids.alertId }, { actionGroupId: g.id }])
      expect((await call.deliveries.list({ tenantId: P.ids.tenantId, ...filter, limit: 200 })).items.map((x) => x.id)).not.toContain(d.id);
    expect((await db.actionGroup.findUniqueOrThrow({ where: { id: g.id } })).name).toBe(g.name);
    // and the platform's log shows it, with the tenant it was for
    const log = await callerFor(admin).platformActionGroups.deliveries({ actionGroupId: g.id });
    expect(log.items).toEqual([expect.objectContaining({ id: d.id, tenant: expect.objectContaining({ id: P.ids.tenantId }) })]);
  });

  it("the platform's delivery log spans tenants, narrows to some, and never shows a tenant group's deliveries", async () => {
    const g = await platformGroup({ name: `Spans ${uniq()}`, receivers: [] });
    const make = (tenantId: string, actionGroupId: string) =>
      db.notificationDelivery.create({ data: { tenantId, actionGroupId, receiverName: "r", receiverType: "webhook", endpointKey: `k-${uniq()}`, status: "sent" } });
    const forP = await make(P.ids.tenantId, g.id);
    const forQ = await make(Q.ids.tenantId, g.id);
    const tenantOwn = await make(P.ids.tenantId, P.ids.actionGroupId);
    const call = callerFor(admin);
    const all = (await call.platformActionGroups.deliveries({ limit: 200 })).items.map((x) => x.id);
    expect(all).toEqual(expect.arrayContaining([forP.id, forQ.id]));
    expect(all).not.toContain(tenantOwn.id);
    const onlyQ = (await call.platformActionGroups.deliveries({ tenantIds: [Q.ids.tenantId], actionGroupId: g.id })).items.map((x) => x.id);
    expect(onlyQ).toEqual([forQ.id]);
    // a tenant group's id names nothing in the platform's log
    expect((await call.platformActionGroups.deliveries({ actionGroupId: P.ids.actionGroupId })).items).toEqual([]);
    expect((await call.platformActionGroups.deliveries({ actionGroupId: randomUUID() })).items).toEqual([]);
  });

  it("a platform admin cannot reach a tenant group through the platform procedures", async () => {
    const call = callerFor(admin);
    const errors = await Promise.all(
      [
        call.platformActionGroups.get({ actionGroupId: P.ids.actionGroupId }),
        call.platformActionGroups.update({ actionGroupId: P.ids.actionGroupId, name: "hijacked" }),
        call.platformActionGroups.delete({ actionGroupId: P.ids.actionGroupId }),
        call.platformActionGroups.test({ actionGroupId: P.ids.actionGroupId }),
      ].map(errorOf),
    );
    expect(errors.map((e) => e?.code)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect((await db.actionGroup.findUniqueOrThrow({ where: { id: P.ids.actionGroupId } })).name).toBe("On call");
  });

  it("lists every tenant for the routing editor", async () => {
    const tenants = await callerFor(admin).platformActionGroups.tenants();
    expect(tenants.map((t) => t.id)).toEqual(expect.arrayContaining([P.ids.tenantId, Q.ids.tenantId]));
    expect(Object.keys(tenants[0]!).sort()).toEqual(["id", "name", "slug"]);
  });
});
