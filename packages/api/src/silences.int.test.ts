import { type TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SILENCES_PER_TENANT } from "./routers/silences";
import { addMember, callerFor, db, populatedTenant, type Populated } from "./test/harness";

let P: Populated;
beforeAll(async () => {
  P = await populatedTenant();
});
afterAll(async () => {
  await db.$disconnect();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
/** What a client is told (the error formatter's `field: message`), from the zod issue or the procedure's own error. */
const said = (e: TRPCError | null) => {
  const issue = e?.cause instanceof ZodError ? e.cause.issues[0] : undefined;
  return issue ? `${issue.path.join(".")}: ${issue.message}` : e?.message;
};
const hour = 3_600_000;
const window = (fromHours: number, toHours: number) => ({
  startsAt: new Date(Date.now() + fromHours * hour),
  endsAt: new Date(Date.now() + toHours * hour),
});

describe("silences", () => {
  it("creates, lists by state, updates and deletes, auditing each change", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const active = await call.silences.create({
      ...t,
      name: "Patch night",
      comment: "monthly patching",
      ...window(-1, 2),
      matchers: { ruleIds: [P.ids.ruleId.toUpperCase()], dimensions: [{ name: "Resource", value: "rsv-prod" }] },
    });
    expect(active).toMatchObject({ name: "Patch night", comment: "monthly patching", state: "active", matchers: { ruleIds: [P.ids.ruleId] } });
    const pending = await call.silences.create({ ...t, name: "Next week", ...window(100, 110), matchers: { severities: [4] } });
    expect(pending.state).toBe("pending");

    expect((await call.silences.list({ ...t, state: "active" })).map((s) => s.name)).toEqual(["Patch night"]);
    expect((await call.silences.list({ ...t, state: "pending" })).map((s) => s.name)).toEqual(["Next week"]);
    expect((await call.silences.list(t)).map((s) => s.name).sort()).toEqual(["Next week", "Patch night"]);

    // ending a silence early: endsAt in the past
    const ended = await call.silences.update({ ...t, silenceId: active.id, name: "Patch night", startsAt: active.startsAt, endsAt: new Date(Date.now() - 1000), matchers: active.matchers });
    expect(ended.state).toBe("expired");
    expect(ended.comment).toBe("");

    await call.silences.delete({ ...t, silenceId: pending.id });
    expect(await db.silence.findUnique({ where: { id: pending.id } })).toBeNull();

    const actions = await db.auditLog.findMany({ where: { tenantId: P.ids.tenantId, targetType: "silence" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(actions.map((a) => a.action)).toEqual(["silence.create", "silence.create", "silence.update", "silence.delete"]);
    expect(actions[2]).toMatchObject({ targetId: active.id, before: { comment: "monthly patching" }, after: { comment: "" } });
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const before = await db.silence.count({ where: t });
    const backwards = await errorOf(call.silences.create({ ...t, name: "Backwards", ...window(2, 1), matchers: { severities: [1] } }));
    expect(backwards?.code).toBe("BAD_REQUEST");
    expect(said(backwards)).toBe("endsAt: endsAt must be after startsAt");
    const tooLong = await errorOf(call.silences.create({ ...t, name: "Forever", ...window(0, 24 * 400), matchers: { severities: [1] } }));
    expect(said(tooLong)).toBe("endsAt: endsAt must be at most one year after startsAt");
    const noMatchers = await errorOf(call.silences.create({ ...t, name: "Everything", ...window(0, 1), matchers: {} }));
    expect(said(noMatchers)).toMatch(/^matchers: matchers must name at least one/);
    const unknownRule = await errorOf(
      call.silences.create({ ...t, name: "Ghost", ...window(0, 1), matchers: { ruleIds: ["00000000-0000-4000-8000-000000000000"] } }),
    );
    expect(said(unknownRule)).toMatch(/^matchers.ruleIds: no such rule in this tenant/);

    await call.silences.create({ ...t, name: "Taken", ...window(0, 1), matchers: { severities: [2] } });
    const dup = await errorOf(call.silences.create({ ...t, name: "Taken", ...window(0, 1), matchers: { severities: [2] } }));
    expect(dup?.code).toBe("CONFLICT");
    expect(said(dup)).toBe("name: a silence with this name already exists");
    expect(await db.silence.count({ where: t })).toBe(before + 1);
  });

  it("viewers read silences but cannot change them", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(user);
    expect(Array.isArray(await viewer.silences.list({ tenantId: P.ids.tenantId }))).toBe(true);
    const error = await errorOf(viewer.silences.create({ tenantId: P.ids.tenantId, name: "Nope", ...window(0, 1), matchers: { severities: [1] } }));
    expect(error?.code).toBe("FORBIDDEN");
  });

  it("creates a recurring window: its next windows from the calendar, pending until the first, the author recorded", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    // every Sunday 01:00–05:00 Berlin from Sunday 2030-03-03; Europe springs forward on Sunday 2030-03-31
    const weekly = await call.silences.create({
      ...t,
      name: "Sunday maintenance",
      comment: "patching",
      startsAt: "2030-03-03T01:00:00+01:00",
      recurrence: { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 },
      matchers: { vaults: ["contoso-rsv"], severities: [2, 3, 4] },
    });
    expect(weekly).toMatchObject({
      state: "pending",
      endsAt: null,
      recurrence: { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 },
      activeUntil: null,
      nextAt: new Date("2030-03-03T00:00:00Z"),
      createdBy: P.owner.email,
      suppressedDeliveries: 0,
    });
    expect(weekly.nextWindows.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ["2030-03-03T00:00:00.000Z", "2030-03-03T04:00:00.000Z"],
      ["2030-03-10T00:00:00.000Z", "2030-03-10T04:00:00.000Z"],
      ["2030-03-17T00:00:00.000Z", "2030-03-17T04:00:00.000Z"],
      ["2030-03-24T00:00:00.000Z", "2030-03-24T04:00:00.000Z"],
      ["2030-03-31T00:00:00.000Z", "2030-03-31T03:00:00.000Z"], // 05:00 CEST
    ]);
    const stored = await db.silence.findUniqueOrThrow({ where: { id: weekly.id } });
    expect(stored).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240, endsAt: null, createdBy: P.owner.email });
    expect(await call.silences.get({ ...t, silenceId: weekly.id })).toMatchObject({ id: weekly.id, state: "pending", nextWindows: weekly.nextWindows });

    // a daily window running now (UTC, three hours from an hour ago): active until its end, next tomorrow
    const started = new Date(Math.floor(Date.now() / 1000) * 1000 - hour);
    const daily = await call.silences.create({
      ...t,
      name: "Nightly batch",
      startsAt: started,
      recurrence: { rrule: "FREQ=DAILY", timeZone: "UTC", durationMinutes: 180 },
      matchers: { resourceGroups: ["rg-backup"] },
    });
    expect(daily).toMatchObject({ state: "active", activeUntil: new Date(started.getTime() + 3 * hour), nextAt: new Date(started.getTime() + 24 * hour) });
    expect((await call.silences.list({ ...t, state: "active" })).map((s) => s.name)).toContain("Nightly batch");
    expect((await call.silences.list({ ...t, state: "pending" })).map((s) => s.name)).toContain("Sunday maintenance");

    // turned into a one-time silence that has ended: expired, no windows; the author stays
    const ended = await call.silences.update({
      ...t,
      silenceId: daily.id,
      name: "Nightly batch",
      startsAt: started,
      endsAt: new Date(started.getTime() + 1000),
      recurrence: null,
      matchers: daily.matchers,
    });
    expect(ended).toMatchObject({ state: "expired", recurrence: null, nextWindows: [], createdBy: P.owner.email });
    expect(await db.silence.findUniqueOrThrow({ where: { id: daily.id } })).toMatchObject({ rrule: null, timeZone: null, durationMinutes: null });
  });

  it("refuses bad recurrences naming the field, and a rule that never occurs", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const before = await db.silence.count({ where: t });
    const base = { ...t, name: "Bad", startsAt: new Date(), matchers: { severities: [4] } };
    const recurrence = { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 60 };
    const hourly = await errorOf(call.silences.create({ ...base, recurrence: { ...recurrence, rrule: "FREQ=HOURLY" } }));
    expect(hourly?.code).toBe("BAD_REQUEST");
    expect(said(hourly)).toBe("recurrence.rrule: recurrence.rrule FREQ=HOURLY is not allowed: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY");
    expect(said(await errorOf(call.silences.create({ ...base, recurrence: { ...recurrence, timeZone: "Berlin" } })))).toBe(
      'recurrence.timeZone: recurrence.timeZone must be an IANA time zone such as Europe/Berlin (got "Berlin")',
    );
    expect(said(await errorOf(call.silences.create({ ...base, recurrence: { ...recurrence, durationMinutes: 20_000 } })))).toBe(
      "recurrence.durationMinutes: recurrence.durationMinutes must be at most 10080 (7 days)",
    );
    const never = await errorOf(call.silences.create({ ...base, recurrence: { ...recurrence, rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" } }));
    expect(said(never)).toBe("recurrence.rrule: the rule has no window between startsAt and endsAt");
    const tooLong = await errorOf(call.silences.create({ ...base, endsAt: new Date(Date.now() + 800 * 24 * hour), recurrence }));
    expect(said(tooLong)).toBe("endsAt: endsAt of a recurring silence must be at most two years after startsAt");
    expect(said(await errorOf(call.silences.create({ ...base })))).toBe("endsAt: endsAt is required for a one-time silence (only a recurring one may run until deleted)");
    expect(await db.silence.count({ where: t })).toBe(before);
  });

  it("stores vault, resource group and resource matchers; counts what a silence holds back and lets it go when deleted", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const s = await call.silences.create({
      ...t,
      name: "Vault move",
      ...window(-1, 2),
      matchers: { vaults: [P.ids.vaultArmId], resourceGroups: ["rg-backup"], resourceIds: [P.ids.vaultArmId] },
    });
    expect(s.matchers).toEqual({ vaults: [P.ids.vaultArmId], resourceGroups: ["rg-backup"], resourceIds: [P.ids.vaultArmId] });
    const heldUntil = new Date(Date.now() + 2 * hour);
    const held = await db.notificationDelivery.create({
      data: { tenantId: P.ids.tenantId, actionGroupId: P.ids.actionGroupId, receiverName: "ops", receiverType: "slack", endpointKey: "k", status: "suppressed", silenceId: s.id, heldUntil },
    });
    expect((await call.silences.get({ ...t, silenceId: s.id })).suppressedDeliveries).toBe(1);
    expect((await call.silences.list(t)).find((x) => x.id === s.id)?.suppressedDeliveries).toBe(1);
    await call.silences.delete({ ...t, silenceId: s.id });
    // the notifier's next sweep judges it now (not at the end of the deleted silence's window)
    const after = await db.notificationDelivery.findUniqueOrThrow({ where: { id: held.id } });
    expect(after.status).toBe("suppressed");
    expect(after.heldUntil!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("keeps at most 500 silences per tenant", async () => {
    const fresh = await populatedTenant();
    const t = { tenantId: fresh.ids.tenantId };
    const have = await db.silence.count({ where: t });
    await db.silence.createMany({
      data: Array.from({ length: MAX_SILENCES_PER_TENANT - have }, (_, i) => ({ tenantId: t.tenantId, name: `bulk ${i}`, startsAt: new Date(), endsAt: new Date(Date.now() + hour), matchers: { severities: [4] } })),
    });
    const error = await errorOf(callerFor(fresh.owner).silences.create({ ...t, name: "one too many", ...window(0, 1), matchers: { severities: [4] } }));
    expect(said(error)).toBe("name: a tenant may keep at most 500 silences: delete expired ones first");
    expect(await db.silence.count({ where: t })).toBe(MAX_SILENCES_PER_TENANT);
    expect(await callerFor(fresh.owner).silences.list(t)).toHaveLength(MAX_SILENCES_PER_TENANT);
  });
});
