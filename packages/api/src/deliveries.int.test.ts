/**
 * The delivery log through the API: a tenant's deliveries by alert, by group and by outcome, newest first with their
 * attempts, paged; never a platform group's deliveries (they carry the alert's tenant too), never another tenant's.
 * The rows are written as the delivery pipeline writes them (it is the worker's; here only the reading is tested).
 */
import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, makeUser, populatedTenant, uniq, type Populated } from "./test/harness";

let P: Populated;
let Q: Populated;
let firedEventId: string;
let platformGroupId: string;

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

type Row = { tenantId: string | null; actionGroupId: string; alertId?: string; alertEventId?: string; status?: "sent" | "failed" | "pending" | "held"; createdAt: Date; receiverName?: string; kind?: "alert" | "test" };

/** A delivery and its attempts, as the pipeline leaves them (an attempt per entry of `attempts`). */
async function delivery(row: Row, attempts: { outcome: string; httpStatus?: number; error?: string; latencyMs?: number }[] = []) {
  return db.notificationDelivery.create({
    data: {
      tenantId: row.tenantId,
      kind: row.kind ?? "alert",
      alertId: row.alertId ?? null,
      alertEventId: row.alertEventId ?? null,
      actionGroupId: row.actionGroupId,
      receiverName: row.receiverName ?? `r-${uniq()}`,
      receiverType: "webhook",
      endpointKey: `key-${uniq()}`,
      status: row.status ?? "sent",
      attempts: attempts.length,
      createdAt: row.createdAt,
      attemptLog: {
        create: attempts.map((a, i) => ({
          tenantId: row.tenantId,
          attempt: i + 1,
          startedAt: new Date(row.createdAt.getTime() + i * 5000),
          latencyMs: a.latencyMs ?? 30,
          outcome: a.outcome,
          httpStatus: a.httpStatus ?? null,
          error: a.error ?? null,
        })),
      },
    },
    select: { id: true },
  });
}

beforeAll(async () => {
  P = await populatedTenant();
  Q = await populatedTenant();
  firedEventId = (await db.alertEvent.findFirstOrThrow({ where: { tenantId: P.ids.tenantId, alertId: P.ids.alertId, kind: "fired" } })).id;
  // disabled: a platform group routes every tenant's alerts, and other tests' alerts must not reach it
  platformGroupId = (await db.actionGroup.create({ data: { tenantId: null, name: `MSP ${uniq()}`, enabled: false, receivers: [] } })).id;
});
afterAll(async () => {
  await db.actionGroup.deleteMany({ where: { tenantId: null, id: platformGroupId } });
  await db.$disconnect();
});

describe("deliveries.list", () => {
  it("shows the alert's deliveries newest first, each with its attempts in order, and never a platform group's", async () => {
    const t0 = new Date(Date.now() - 60_000);
    const base = { tenantId: P.ids.tenantId, alertId: P.ids.alertId, alertEventId: firedEventId };
    const older = await delivery({ ...base, actionGroupId: P.ids.actionGroupId, createdAt: t0, status: "sent" }, [
      { outcome: "retry", httpStatus: 503, error: "503 Service Unavailable" },
      { outcome: "sent", httpStatus: 200, latencyMs: 12 },
    ]);
    const newer = await delivery({ ...base, actionGroupId: P.ids.actionGroupId, createdAt: new Date(t0.getTime() + 1000), status: "failed" }, [
      { outcome: "failed", httpStatus: 404, error: "404 channel_not_found" },
    ]);
    // the MSP's group got the same transition: the row carries the alert's tenant, and must stay out of the tenant's log
    const platform = await delivery({ ...base, actionGroupId: platformGroupId, createdAt: new Date(t0.getTime() + 2000) }, [{ outcome: "sent", httpStatus: 202 }]);

    const page = await callerFor(P.owner).deliveries.list({ tenantId: P.ids.tenantId, alertId: P.ids.alertId });
    expect(page.items.map((d) => d.id)).toEqual([newer.id, older.id]);
    expect(page.items.map((d) => d.id)).not.toContain(platform.id);
    expect(page.nextCursor).toBeUndefined();
    const [n, o] = page.items;
    expect(n).toMatchObject({ status: "failed", transition: "fired", actionGroup: { id: P.ids.actionGroupId, name: "On call" }, alert: { id: P.ids.alertId, severity: 2 } });
    expect(n!.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: "failed", httpStatus: 404, error: "404 channel_not_found" })]);
    expect(o!.attemptLog.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
      [1, "retry", 503],
      [2, "sent", 200],
    ]);
    expect(o!.attemptLog[1]!.latencyMs).toBe(12);
  });

  it("filters by group and by outcome, and pages with a cursor of the same list", async () => {
    const call = callerFor(P.owner);
    const group = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: `Paged ${uniq()}`, receivers: [] });
    const start = Date.now() - 30_000;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await delivery({ tenantId: P.ids.tenantId, actionGroupId: group.id, createdAt: new Date(start + i * 1000), status: i % 2 ? "failed" : "sent" })).id);
    const newestFirst = [...ids].reverse();

    const first = await call.deliveries.list({ tenantId: P.ids.tenantId, actionGroupId: group.id, limit: 2 });
    expect(first.items.map((d) => d.id)).toEqual(newestFirst.slice(0, 2));
    const second = await call.deliveries.list({ tenantId: P.ids.tenantId, actionGroupId: group.id, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((d) => d.id)).toEqual(newestFirst.slice(2, 4));
    const third = await call.deliveries.list({ tenantId: P.ids.tenantId, actionGroupId: group.id, limit: 2, cursor: second.nextCursor });
    expect(third.items.map((d) => d.id)).toEqual(newestFirst.slice(4));
    expect(third.nextCursor).toBeUndefined();

    const failed = await call.deliveries.list({ tenantId: P.ids.tenantId, actionGroupId: group.id, status: ["failed"] });
    expect(failed.items.map((d) => d.id)).toEqual([ids[3], ids[1]]);

    // a cursor from another list (the other group's delivery) is refused, naming the cursor
    const error = await errorOf(call.deliveries.list({ tenantId: P.ids.tenantId, actionGroupId: P.ids.actionGroupId, cursor: ids[0] }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^cursor: /);
  });

  it("the whole tenant's log holds test deliveries too, and nothing of another tenant", async () => {
    const mine = await delivery({ tenantId: P.ids.tenantId, actionGroupId: P.ids.actionGroupId, createdAt: new Date(), kind: "test" });
    const theirs = await delivery({ tenantId: Q.ids.tenantId, actionGroupId: Q.ids.actionGroupId, createdAt: new Date() });
    const page = await callerFor(P.owner).deliveries.list({ tenantId: P.ids.tenantId, limit: 200 });
    const ids = page.items.map((d) => d.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(page.items.find((d) => d.id === mine.id)).toMatchObject({ kind: "test", alert: null, transition: null });
    // naming the other tenant's group or alert finds nothing, as an id that exists nowhere does
    const call = callerFor(P.owner);
    for (const filter of [{ actionGroupId: Q.ids.actionGroupId }, { alertId: Q.ids.alertId }, { actionGroupId: randomUUID() }])
      expect((await call.deliveries.list({ tenantId: P.ids.tenantId, ...filter })).items).toEqual([]);
  });

  it("needs actionGroups.read: a viewer reads the log, a stranger is refused", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    await expect(callerFor(user).deliveries.list({ tenantId: P.ids.tenantId })).resolves.toMatchObject({ items: expect.any(Array) });
    const stranger = await makeUser();
    expect((await errorOf(callerFor(stranger).deliveries.list({ tenantId: P.ids.tenantId })))?.code).toBe("FORBIDDEN");
  });
});
