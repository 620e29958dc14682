/**
 * Silences at delivery time against real Postgres: rows are written as the evaluator and the drain write them
 * (alert, alert_event, notification_delivery), then `silenceFor` and `releaseEndedSilences` are asked. Expected
 * instants come from the calendar: Europe/Berlin springs forward on Sunday 2026-03-29 (02:00 CET → 03:00 CEST), so
 * that Sunday's 01:00–05:00 window runs from 00:00Z to 03:00Z.
 */
import { randomBytes } from "node:crypto";
import { createDb, type Db } from "@vaultwatch/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseEndedSilences, silenceFor } from "./silencing";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const db: Db = createDb(url, { max: 4 });
const pool = new pg.Pool({ connectionString: url, max: 4 });

const at = (s: string) => new Date(s);
const uniq = () => randomBytes(4).toString("hex");
const vault = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${name}`;

type Fixture = { tenantId: string; otherTenantId: string; ruleId: string; otherRuleId: string; groupId: string; otherGroupId: string; sunday: string; itemWindow: string; otherSilence: string };
let F: Fixture;

async function tenant() {
  const slug = `sil-${uniq()}`;
  return db.tenant.create({ data: { name: slug, slug } });
}
async function rule(tenantId: string) {
  return db.alertRule.create({ data: { tenantId, kind: "log", name: `rule-${uniq()}`, severity: 3, definition: {} } });
}
async function group(tenantId: string) {
  return db.actionGroup.create({
    data: {
      tenantId,
      name: `group-${uniq()}`,
      receivers: [
        { type: "webhook", name: "ops-hook", url: "https://hooks.example.com/x" },
        { type: "email", name: "ops-mail", emailAddress: "ops@example.com" },
      ],
    },
  });
}

/** An alert with its Fired event (and Resolved, when given), as recordTransition writes them. */
async function alert(o: { tenantId: string; ruleId: string; firedAt: Date; resolvedAt?: Date; targetIds?: string[]; dimensions?: { name: string; value: string }[] }) {
  const a = await db.alert.create({
    data: {
      tenantId: o.tenantId,
      ruleId: o.ruleId,
      fingerprint: uniq(),
      dimensions: o.dimensions ?? [],
      severity: 3,
      signalType: "Log",
      monitorCondition: o.resolvedAt ? "resolved" : "fired",
      firedAt: o.firedAt,
      resolvedAt: o.resolvedAt ?? null,
      targetIds: o.targetIds ?? [],
      configurationItems: [],
    },
  });
  const fired = await db.alertEvent.create({ data: { tenantId: o.tenantId, alertId: a.id, kind: "fired", occurredAt: o.firedAt } });
  const resolved = o.resolvedAt ? await db.alertEvent.create({ data: { tenantId: o.tenantId, alertId: a.id, kind: "resolved", occurredAt: o.resolvedAt } }) : null;
  return { alert: a, fired, resolved };
}

/** A delivery as the drain writes it. */
async function delivery(o: { tenantId: string; alertId: string; eventId: string; groupId: string; receiver: string; status: "suppressed" | "sent" | "pending"; silenceId?: string; heldUntil?: Date | null }) {
  return db.notificationDelivery.create({
    data: {
      tenantId: o.tenantId,
      alertId: o.alertId,
      alertEventId: o.eventId,
      actionGroupId: o.groupId,
      receiverName: o.receiver,
      receiverType: o.receiver === "ops-hook" ? "webhook" : "email",
      endpointKey: o.receiver,
      status: o.status,
      silenceId: o.silenceId ?? null,
      heldUntil: o.heldUntil ?? null,
    },
  });
}
const statusOf = (id: string) => db.notificationDelivery.findUniqueOrThrow({ where: { id }, select: { status: true, heldUntil: true, silenceId: true, nextAttemptAt: true } });

beforeAll(async () => {
  const [t, u] = [await tenant(), await tenant()];
  const [r, ur] = [await rule(t.id), await rule(u.id)];
  const [g, ug] = [await group(t.id), await group(u.id)];
  // every Sunday 01:00–05:00 Berlin on the contoso vault, from Sunday 2026-03-01 01:00 CET
  const sunday = await db.silence.create({
    data: {
      tenantId: t.id,
      name: "Sunday maintenance",
      startsAt: at("2026-03-01T00:00:00Z"),
      endsAt: null,
      matchers: { vaults: ["contoso-rsv"] },
      rrule: "FREQ=WEEKLY;BYDAY=SU",
      timeZone: "Europe/Berlin",
      durationMinutes: 240,
    },
  });
  // one item's own window, overlapping the end of Sunday's
  const itemWindow = await db.silence.create({
    data: { tenantId: t.id, name: "item 7", startsAt: at("2026-03-29T02:50:00Z"), endsAt: at("2026-03-29T06:00:00Z"), matchers: { dimensions: [{ name: "Resource", value: "item-7" }] } },
  });
  // the other tenant silences every Sev3 all month: it must never reach tenant t's alerts
  const other = await db.silence.create({
    data: { tenantId: u.id, name: "all sev3", startsAt: at("2026-03-01T00:00:00Z"), endsAt: at("2026-04-01T00:00:00Z"), matchers: { severities: [3] } },
  });
  F = { tenantId: t.id, otherTenantId: u.id, ruleId: r.id, otherRuleId: ur.id, groupId: g.id, otherGroupId: ug.id, sunday: sunday.id, itemWindow: itemWindow.id, otherSilence: other.id };
});

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: [F.tenantId, F.otherTenantId] } } });
  await pool.end();
  await db.$disconnect();
});

describe("silenceFor (the drain asks per transition)", () => {
  const fired = (over: Partial<Parameters<typeof silenceFor>[1]> = {}) => ({
    tenantId: F.tenantId,
    ruleId: F.ruleId,
    severity: 3,
    dimensions: [],
    targetIds: [`${vault("contoso-rsv")}/backupFabrics/Azure/protectionContainers/c1/protectedItems/vm1`],
    at: at("2026-03-29T02:00:00Z"),
    ...over,
  });

  it("finds the recurring window covering the transition and its end (05:00 CEST on the spring-forward Sunday)", async () => {
    expect(await silenceFor(pool, fired())).toEqual({ silenceId: F.sunday, until: at("2026-03-29T03:00:00Z") });
    expect(await silenceFor(pool, fired({ at: at("2026-03-22T03:59:00Z") }))).toEqual({ silenceId: F.sunday, until: at("2026-03-22T04:00:00Z") });
  });

  it("is null outside the window and for alerts the matchers miss", async () => {
    expect(await silenceFor(pool, fired({ at: at("2026-03-29T03:00:00Z") }))).toBeNull();
    expect(await silenceFor(pool, fired({ at: at("2026-03-28T23:59:59Z") }))).toBeNull();
    expect(await silenceFor(pool, fired({ targetIds: [vault("fabrikam-rsv")] }))).toBeNull();
  });

  it("never uses another tenant's silences", async () => {
    // tenant u silences every Sev3 in March; tenant t's Sev3 on another vault is not silenced
    expect(await silenceFor(pool, fired({ targetIds: [vault("fabrikam-rsv")] }))).toBeNull();
    expect(await silenceFor(pool, fired({ tenantId: F.otherTenantId, ruleId: F.otherRuleId, targetIds: [] }))).toEqual({
      silenceId: F.otherSilence,
      until: at("2026-04-01T00:00:00Z"),
    });
  });

  it("takes the window ending last when two silences hold", async () => {
    const both = fired({ at: at("2026-03-29T02:55:00Z"), dimensions: [{ name: "Resource", value: "ITEM-7" }] });
    expect(await silenceFor(pool, both)).toEqual({ silenceId: F.itemWindow, until: at("2026-03-29T06:00:00Z") });
  });

  it("suppresses a Resolved for a group when all its Fired deliveries to that group are still suppressed", async () => {
    const { alert: a, fired: e } = await alert({ tenantId: F.tenantId, ruleId: F.ruleId, firedAt: at("2026-03-29T01:00:00Z") });
    const resolved = { ...fired(), transition: "resolved" as const, alertId: a.id, actionGroupId: F.groupId, at: at("2026-03-29T02:00:00Z") };
    // nothing delivered for the Fired (the group was added later): the Resolved goes out
    expect(await silenceFor(pool, resolved)).toBeNull();
    const hook = await delivery({ tenantId: F.tenantId, alertId: a.id, eventId: e.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil: at("2026-03-29T03:00:00Z") });
    await delivery({ tenantId: F.tenantId, alertId: a.id, eventId: e.id, groupId: F.groupId, receiver: "ops-mail", status: "suppressed", silenceId: F.sunday, heldUntil: at("2026-03-29T03:00:00Z") });
    expect(await silenceFor(pool, resolved)).toEqual({ silenceId: F.sunday, until: null });
    // once any receiver of the group heard of the Fired, the Resolved is owed
    await db.notificationDelivery.update({ where: { id: hook.id }, data: { status: "sent" } });
    expect(await silenceFor(pool, resolved)).toBeNull();
    // another tenant's id for the same alert finds nothing
    expect(await silenceFor(pool, { ...resolved, tenantId: F.otherTenantId })).toBeNull();
    await db.alert.delete({ where: { id: a.id } }); // its ops-mail delivery would be owed at the next test's sweep
  });
});

describe("releaseEndedSilences (the sweep, when windows end)", () => {
  it("notifies what is still firing once, holds what is still silenced, and drops what resolved", async () => {
    const t = F.tenantId;
    const heldUntil = at("2026-03-29T03:00:00Z");
    const contoso = [vault("contoso-rsv")];
    // still firing when the window ends: both receivers are owed the notification
    const firing = await alert({ tenantId: t, ruleId: F.ruleId, firedAt: at("2026-03-29T01:00:00Z"), targetIds: contoso });
    const firingHook = await delivery({ tenantId: t, alertId: firing.alert.id, eventId: firing.fired.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil });
    const firingMail = await delivery({ tenantId: t, alertId: firing.alert.id, eventId: firing.fired.id, groupId: F.groupId, receiver: "ops-mail", status: "suppressed", silenceId: F.sunday, heldUntil });
    // resolved during the window: nobody is told
    const gone = await alert({ tenantId: t, ruleId: F.ruleId, firedAt: at("2026-03-29T01:00:00Z"), resolvedAt: at("2026-03-29T02:00:00Z"), targetIds: contoso });
    const goneHook = await delivery({ tenantId: t, alertId: gone.alert.id, eventId: gone.fired.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil });
    // still covered by the item's own window until 06:00Z
    const item = await alert({ tenantId: t, ruleId: F.ruleId, firedAt: at("2026-03-29T01:30:00Z"), targetIds: contoso, dimensions: [{ name: "Resource", value: "ITEM-7" }] });
    const itemHook = await delivery({ tenantId: t, alertId: item.alert.id, eventId: item.fired.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil });
    // fired again after the window began (a later Fired event): only the latest one's delivery may be sent
    const twice = await alert({ tenantId: t, ruleId: F.ruleId, firedAt: at("2026-03-29T01:00:00Z"), targetIds: contoso });
    const twiceOld = await delivery({ tenantId: t, alertId: twice.alert.id, eventId: twice.fired.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil });
    const later = await db.alertEvent.create({ data: { tenantId: t, alertId: twice.alert.id, kind: "fired", occurredAt: at("2026-03-29T02:00:00Z") } });
    const twiceNew = await delivery({ tenantId: t, alertId: twice.alert.id, eventId: later.id, groupId: F.groupId, receiver: "ops-hook", status: "suppressed", silenceId: F.sunday, heldUntil });
    // the other tenant's window ended too (it is released by the same sweep, under its own tenant)
    const theirs = await alert({ tenantId: F.otherTenantId, ruleId: F.otherRuleId, firedAt: at("2026-03-29T01:00:00Z") });
    const theirsHook = await delivery({ tenantId: F.otherTenantId, alertId: theirs.alert.id, eventId: theirs.fired.id, groupId: F.otherGroupId, receiver: "ops-hook", status: "suppressed", silenceId: F.otherSilence, heldUntil: at("2026-03-29T02:00:00Z") });

    // a worker scoped to the other tenant does not touch this tenant's deliveries
    expect(await releaseEndedSilences(pool, at("2026-03-29T03:00:01Z"), [F.otherTenantId])).toEqual([]);
    expect(await statusOf(firingHook.id)).toMatchObject({ status: "suppressed", heldUntil });
    // before 03:00Z nothing is released; the other tenant's delivery, due at 02:00Z, is held on: its silence runs until April
    expect(await releaseEndedSilences(pool, at("2026-03-29T02:59:59Z"))).toEqual([]);
    expect(await statusOf(theirsHook.id)).toMatchObject({ status: "suppressed", heldUntil: at("2026-04-01T00:00:00Z"), silenceId: F.otherSilence });
    expect(await statusOf(firingHook.id)).toMatchObject({ status: "suppressed", heldUntil });

    // the window ends: two sweeps at once release each owed delivery exactly once
    const now = at("2026-03-29T03:00:01Z");
    const [a, b] = await Promise.all([releaseEndedSilences(pool, now), releaseEndedSilences(pool, now)]);
    expect([...a, ...b].sort()).toEqual([firingHook.id, firingMail.id, twiceNew.id].sort());

    expect(await statusOf(firingHook.id)).toMatchObject({ status: "pending", heldUntil: null, nextAttemptAt: now });
    expect(await statusOf(firingMail.id)).toMatchObject({ status: "pending", heldUntil: null });
    expect(await statusOf(twiceNew.id)).toMatchObject({ status: "pending", heldUntil: null });
    expect(await statusOf(twiceOld.id)).toMatchObject({ status: "suppressed", heldUntil: null });
    expect(await statusOf(goneHook.id)).toMatchObject({ status: "suppressed", heldUntil: null, silenceId: F.sunday });
    expect(await statusOf(itemHook.id)).toMatchObject({ status: "suppressed", heldUntil: at("2026-03-29T06:00:00Z"), silenceId: F.itemWindow });

    // notified once: the next sweep finds nothing until the item's window ends
    expect(await releaseEndedSilences(pool, at("2026-03-29T04:00:00Z"))).toEqual([]);
    expect(await releaseEndedSilences(pool, at("2026-03-29T06:00:00Z"))).toEqual([itemHook.id]);

    // the resolved alert's Resolved transition is suppressed too (its Fired never went out)
    expect(
      await silenceFor(pool, { tenantId: t, ruleId: F.ruleId, severity: 3, dimensions: [], targetIds: contoso, at: at("2026-03-29T02:00:00Z"), transition: "resolved", alertId: gone.alert.id, actionGroupId: F.groupId }),
    ).toEqual({ silenceId: F.sunday, until: null });
  });
});
