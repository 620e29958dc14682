import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, populatedTenant, sampleLogRule, uniq, type Populated } from "./test/harness";
import { MAX_SNAPSHOT_BYTES, recordTransition, type TransitionInput } from "./services/alerts";

let P: Populated;
let ruleId: string;
let groupIds: string[];
beforeAll(async () => {
  P = await populatedTenant();
  const call = callerFor(P.owner);
  const second = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Second", receivers: [] });
  const disabled = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Disabled", enabled: false, receivers: [] });
  groupIds = [P.ids.actionGroupId, second.id];
  const rule = await call.rules.create({
    tenantId: P.ids.tenantId,
    ...sampleLogRule(P.ids.localWorkspaceId, "Alerting"),
    actionGroupIds: [...groupIds, disabled.id],
  });
  ruleId = rule.id;
});
afterAll(async () => {
  await db.$disconnect();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const fired = (over: Partial<TransitionInput> = {}): TransitionInput => ({
  tenantId: P.ids.tenantId,
  ruleId,
  fingerprint: `fp-${uniq()}`,
  transition: "Fired",
  at: new Date("2026-11-24T12:00:00.000Z"),
  dimensions: [{ name: "Resource", value: "vm-1" }],
  severity: 1,
  signalType: "Log",
  measuredValue: 3,
  threshold: 0,
  snapshot: { rows: [{ Resource: "vm-1" }], totalRows: 1, omittedRows: 0 },
  ...over,
});
const record = (input: TransitionInput) => db.$transaction((tx) => recordTransition(tx, input));

describe("recordTransition", () => {
  it("is idempotent: the same Fired transition twice leaves one alert, one event, one outbox row per enabled group", async () => {
    const input = fired();
    const first = await record(input);
    const again = await record(input);
    expect(first?.recorded).toBe(true);
    expect(first?.outbox).toBe(2);
    expect(again).toMatchObject({ alertId: first!.alertId, eventId: first!.eventId, recorded: false });
    expect(await db.alert.count({ where: { ruleId, fingerprint: input.fingerprint } })).toBe(1);
    expect(await db.alertEvent.count({ where: { alertId: first!.alertId } })).toBe(1);
    const outbox = await db.notificationOutbox.findMany({ where: { alertEventId: first!.eventId } });
    expect(outbox.map((o) => o.actionGroupId).sort()).toEqual([...groupIds].sort());
    expect(outbox.every((o) => o.status === "pending" && o.attempts === 0)).toBe(true);
  });

  it("resolves the open alert once, owes its notifications, and a later firing opens a new alert", async () => {
    const fingerprint = `fp-${uniq()}`;
    const opened = await record(fired({ fingerprint }));
    const resolvedAt = new Date("2026-11-24T12:15:00.000Z");
    const resolved = await record(fired({ fingerprint, transition: "Resolved", at: resolvedAt }));
    expect(resolved).toMatchObject({ alertId: opened!.alertId, recorded: true, outbox: 2 });
    expect(await record(fired({ fingerprint, transition: "Resolved", at: resolvedAt }))).toMatchObject({ recorded: false });
    expect(await db.alert.findUniqueOrThrow({ where: { id: opened!.alertId } })).toMatchObject({ monitorCondition: "resolved", resolvedAt });
    const reopened = await record(fired({ fingerprint, at: new Date("2026-11-24T13:00:00.000Z") }));
    expect(reopened!.alertId).not.toBe(opened!.alertId);
    expect(await db.alert.count({ where: { ruleId, fingerprint } })).toBe(2);
  });

  it("a Resolved with nothing open records nothing", async () => {
    expect(await record(fired({ transition: "Resolved" }))).toBeNull();
  });

  it("muted Fired notifications owe nothing; the alert and event are still recorded", async () => {
    const result = await record(fired({ notify: false }));
    expect(result).toMatchObject({ recorded: true, outbox: 0 });
  });

  it("the database allows one open alert per (rule, fingerprint)", async () => {
    const input = fired();
    await record(input);
    await expect(
      db.alert.create({
        data: { tenantId: P.ids.tenantId, ruleId, fingerprint: input.fingerprint, dimensions: [], severity: 1, signalType: "Log", monitorCondition: "fired", firedAt: new Date() },
      }),
    ).rejects.toThrow();
  });

  it("refuses a snapshot over 256 KB", async () => {
    const big = { rows: ["x".repeat(MAX_SNAPSHOT_BYTES)] };
    await expect(record(fired({ snapshot: big }))).rejects.toThrow(/snapshot/);
  });
});

describe("alerts API", () => {
  it("respond: acknowledge then close, with history and audit; illegal changes name the alert and change nothing", async () => {
    const a = await record(fired());
    const b = await record(fired());
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    await call.alerts.respond({ ...t, alertIds: [a!.alertId, b!.alertId], action: "acknowledge", comment: "looking" });
    await call.alerts.respond({ ...t, alertIds: [a!.alertId], action: "close" });

    // b is Acknowledged, a is Closed: acknowledging both is illegal for a, so neither changes
    const error = await errorOf(call.alerts.respond({ ...t, alertIds: [b!.alertId, a!.alertId], action: "acknowledge" }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toContain(a!.alertId);
    expect((await db.alert.findUniqueOrThrow({ where: { id: b!.alertId } })).userState).toBe("acknowledged");

    const detail = await call.alerts.get({ ...t, alertId: a!.alertId });
    expect(detail.userState).toBe("closed");
    expect(detail.events.map((e) => [e.kind, e.comment, e.actorUserId])).toEqual([
      ["fired", null, null],
      ["acknowledged", "looking", P.owner.id],
      ["closed", null, P.owner.id],
    ]);
    expect(detail.rule.name).toBe("Alerting");
    expect(detail.operator).toBe("GreaterThan"); // the rule's condition, read from its stored definition
    expect(Array.isArray(detail.evaluations)).toBe(true);

    await call.alerts.respond({ ...t, alertIds: [a!.alertId], action: "reopen", comment: "not fixed" });
    expect((await db.alert.findUniqueOrThrow({ where: { id: a!.alertId } })).userState).toBe("new");
    expect(await db.auditLog.count({ where: { tenantId: P.ids.tenantId, action: { startsWith: "alert." }, targetId: a!.alertId } })).toBe(3);
  });

  it("list filters and pages; summary counts open alerts by severity × state", async () => {
    const T = await populatedTenant(); // a clean tenant: its alerts are exactly these
    const call = callerFor(T.owner);
    const t = { tenantId: T.ids.tenantId };
    const rec = (over: Partial<TransitionInput>) => record(fired({ tenantId: T.ids.tenantId, ruleId: T.ids.ruleId, ...over }));
    const sev0 = await rec({ severity: 0 });
    await rec({ severity: 0, at: new Date("2026-11-24T12:05:00Z") });
    const resolveFp = `fp-${uniq()}`;
    const toResolve = await rec({ severity: 3, fingerprint: resolveFp });
    await rec({ severity: 3, fingerprint: resolveFp, transition: "Resolved", at: new Date("2026-11-24T12:30:00Z") });
    await call.alerts.respond({ ...t, alertIds: [sev0!.alertId], action: "acknowledge" });

    const summary = await call.alerts.summary({ tenantIds: [T.ids.tenantId] });
    // the harness's own alert (sev 2, new) + two sev-0 (one acknowledged); the resolved sev-3 is not open
    expect(summary.total).toBe(3);
    expect(summary.bySeverity[0]).toEqual({ severity: 0, new: 1, acknowledged: 1, closed: 0 });
    expect(summary.bySeverity[2]).toEqual({ severity: 2, new: 1, acknowledged: 0, closed: 0 });
    expect(summary.bySeverity[3]).toEqual({ severity: 3, new: 0, acknowledged: 0, closed: 0 });

    const all = await call.alerts.list({ tenantIds: [T.ids.tenantId] });
    expect(all.items).toHaveLength(4);
    expect((await call.alerts.list({ tenantIds: [T.ids.tenantId], severity: [0] })).items).toHaveLength(2);
    expect((await call.alerts.list({ tenantIds: [T.ids.tenantId], monitorCondition: "resolved" })).items.map((a) => a.id)).toEqual([toResolve!.alertId]);
    expect((await call.alerts.list({ tenantIds: [T.ids.tenantId], userState: ["acknowledged"] })).items.map((a) => a.id)).toEqual([sev0!.alertId]);
    expect((await call.alerts.list({ tenantIds: [T.ids.tenantId], from: new Date("2026-11-24T12:01:00Z"), to: new Date("2026-11-24T12:10:00Z") })).items).toHaveLength(1);

    const page1 = await call.alerts.list({ tenantIds: [T.ids.tenantId], limit: 3 });
    expect(page1.items).toHaveLength(3);
    const page2 = await call.alerts.list({ tenantIds: [T.ids.tenantId], limit: 3, cursor: page1.nextCursor });
    expect(page2.nextCursor).toBeUndefined();
    expect([...page1.items, ...page2.items].map((a) => a.id).sort()).toEqual(all.items.map((a) => a.id).sort());

    // about one vault: alerts that name it among their targets (Azure lower-cases target ids)
    const aboutVault = await rec({ severity: 1, fingerprint: `fp-${uniq()}`, targetIds: ["/workspace", T.ids.vaultArmId.toLowerCase()] });
    expect((await call.alerts.list({ tenantIds: [T.ids.tenantId], vaultId: T.ids.vaultId })).items.map((a) => a.id)).toEqual([aboutVault!.alertId]);
    const foreignVault = await errorOf(call.alerts.list({ tenantIds: [T.ids.tenantId], vaultId: P.ids.vaultId }));
    expect(foreignVault?.code).toBe("NOT_FOUND");

    // "All tenants": without tenantIds the list covers every tenant of the caller, and only those
    const mine = await call.alerts.list({});
    expect(new Set(mine.items.map((a) => a.tenantId))).toEqual(new Set([T.ids.tenantId]));
  });

  it("a viewer reads alerts but cannot respond", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(user);
    const a = await record(fired());
    expect((await viewer.alerts.get({ tenantId: P.ids.tenantId, alertId: a!.alertId })).id).toBe(a!.alertId);
    const error = await errorOf(viewer.alerts.respond({ tenantId: P.ids.tenantId, alertIds: [a!.alertId], action: "acknowledge" }));
    expect(error?.code).toBe("FORBIDDEN");
  });
});
