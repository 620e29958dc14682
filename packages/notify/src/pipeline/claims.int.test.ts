// Batched claim and finish against real Postgres: a batch claims each delivery once, a finish batch that Postgres
// refuses settles every delivery it can, and an endpoint's outcomes folded into one upsert leave it as applying them
// one by one does (the rules of endpoint-health.ts: a success resets failures and the skip, a delivery that failed
// for good counts, a retry only marks the endpoint failing).
import { afterAll, describe, expect, it } from "vitest";
import { claimDeliveries, deliveryStatements, type Finish } from "./claims";
import { drainBatch } from "./drain";
import { recordEndpointOutcomes, type EndpointOutcome } from "./endpoint-health";
import { cleanupTenants, db, makeActionGroup, makeLogRule, makeTenant, pool, transition, unseal } from "./test/harness";

const tenants: string[] = [];
afterAll(async () => {
  await cleanupTenants(tenants);
  await pool.end();
  await db.$disconnect();
});

async function pendingDeliveries(receivers: number) {
  const t = await makeTenant();
  tenants.push(t.id);
  const group = await makeActionGroup(
    t.id,
    Array.from({ length: receivers }, (_, i) => ({ type: "webhook" as const, name: `w${i}`, url: `https://hooks.example.com/${i}` })),
  );
  const rule = await makeLogRule(t.id, [group.id]);
  await transition(rule);
  const drained = await drainBatch(pool, { unseal, tenantIds: [t.id] });
  return { tenant: t, group, ids: drained.due.map((d) => d.deliveryId) };
}

function finishOf(claimed: { id: string; claimTenantId: string; actionGroupId: string; receiverName: string; endpointKey: string; attempts: number }, at: Date): Finish {
  return {
    tenantId: claimed.claimTenantId,
    deliveryId: claimed.id,
    attempt: claimed.attempts,
    startedAt: at,
    latencyMs: 5,
    outcome: "sent",
    httpStatus: 200,
    reply: "ok",
    error: null,
    status: "sent",
    nextAttemptAt: null,
    finishedAt: at,
    lastError: null,
    endpoint: { ...claimed, tenantId: claimed.claimTenantId, receiverType: "webhook", outcome: "sent", skipUntil: null, error: null, at },
  };
}

describe("batched claim and finish", { timeout: 60_000 }, () => {
  it("claims each delivery of a batch once, even when two of its jobs ask together", async () => {
    const { ids } = await pendingDeliveries(2);
    const [a, b, aAgain] = await claimDeliveries(pool, [
      { deliveryId: ids[0]!, leaseMs: 30_000 },
      { deliveryId: ids[1]!, leaseMs: 30_000 },
      { deliveryId: ids[0]!, leaseMs: 30_000 },
    ]);
    expect([a?.id, b?.id, aAgain]).toEqual([ids[0], ids[1], undefined]);
    expect([a?.attempts, a?.previous, b?.previous]).toEqual([1, "pending", "pending"]);
    // claimed and leased: a second batch finds nothing to take
    expect(await claimDeliveries(pool, ids.map((deliveryId) => ({ deliveryId, leaseMs: 30_000 })))).toEqual([undefined, undefined]);
    const rows = await db.notificationDelivery.findMany({ where: { id: { in: ids } }, select: { status: true, attempts: true, leaseUntil: true } });
    expect(rows.map((r) => [r.status, r.attempts, r.leaseUntil !== null])).toEqual([
      ["sending", 1, true],
      ["sending", 1, true],
    ]);
  });

  it("settles the other deliveries of a finish batch that one deleted delivery spoils, and fails that one alone", async () => {
    const { ids } = await pendingDeliveries(3);
    const claimed = await claimDeliveries(pool, ids.map((deliveryId) => ({ deliveryId, leaseMs: 30_000 })));
    const at = new Date();
    // gone between claim and finish (its action group's receiver removed, say): its attempt cannot be logged
    await db.notificationDelivery.delete({ where: { id: ids[1]! } });
    const statements = deliveryStatements(pool, { maxInFlight: 1 });
    // the first finish goes alone at once; the next two wait for it and go together, and Postgres refuses that batch
    const outcomes = await Promise.allSettled(claimed.map((c) => statements.finish(finishOf(c!, at))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await db.notificationDelivery.findMany({ where: { id: { in: ids } }, include: { attemptLog: true }, orderBy: { receiverName: "asc" } });
    expect(rows.map((r) => [r.receiverName, r.status, r.attemptLog.map((a) => [a.attempt, a.outcome, a.httpStatus])])).toEqual([
      ["w0", "sent", [[1, "sent", 200]]],
      ["w2", "sent", [[1, "sent", 200]]],
    ]);
  });
});

describe("endpoint outcomes folded into one upsert", { timeout: 60_000 }, () => {
  const minute = 60_000;
  const t0 = Date.parse("2026-03-01T10:00:00Z");
  const at = (m: number) => new Date(t0 + m * minute);
  // minutes apart: a success within 30 s of the last one on a healthy endpoint skips its write, which folding does not imitate
  const sent = (m: number): Partial<EndpointOutcome> => ({ outcome: "sent", at: at(m), error: null, skipUntil: null });
  const retry = (m: number, error = `HTTP 503 at ${m}`): Partial<EndpointOutcome> => ({ outcome: "retry", at: at(m), error, skipUntil: null });
  const failed = (m: number, skipMinutes: number | null, error = `HTTP 404 at ${m}`): Partial<EndpointOutcome> => ({
    outcome: "failed",
    at: at(m),
    error,
    skipUntil: skipMinutes === null ? null : at(m + skipMinutes),
  });

  async function endpointGroup() {
    const t = await makeTenant();
    tenants.push(t.id);
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "hook", url: "https://hooks.example.com/h" }]);
    const full = (o: Partial<EndpointOutcome>): EndpointOutcome =>
      ({ actionGroupId: group.id, receiverName: "hook", tenantId: t.id, receiverType: "webhook", endpointKey: "k", ...o }) as EndpointOutcome;
    const state = async () => {
      const row = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "hook" } } });
      const { consecutiveFailures, failingSince, skippedUntil, lastSuccessAt, lastFailureAt, lastError } = row;
      return { consecutiveFailures, failingSince, skippedUntil, lastSuccessAt, lastFailureAt, lastError };
    };
    return { full, state };
  }

  it("records what the rules say for a failure, a success, a failure with its skip and a retry, in one statement", async () => {
    const e = await endpointGroup();
    await recordEndpointOutcomes(pool, [failed(0, 15), sent(1), failed(2, 15), retry(3)].map(e.full));
    expect(await e.state()).toEqual({
      // only what came after the success counts: the one delivery that failed for good, failing since it
      consecutiveFailures: 1,
      failingSince: at(2),
      skippedUntil: at(17),
      lastSuccessAt: at(1),
      lastFailureAt: at(3),
      lastError: "HTTP 503 at 3",
    });
  });

  const sequences: [string, Partial<EndpointOutcome>[], Partial<EndpointOutcome>[]][] = [
    ["failures on a new endpoint", [], [failed(0, null), retry(1), failed(2, 15)]],
    ["failures on a failing endpoint", [failed(0, null), retry(1)], [retry(2), failed(3, null), failed(4, 15)]],
    ["a success among failures", [failed(0, 15)], [retry(20), sent(21), retry(22)]],
    ["a skip, then a success", [], [failed(0, 15), sent(16)]],
    ["a success on a failing endpoint keeps its last error", [failed(0, null, "HTTP 410")], [sent(1), sent(2)]],
    ["successes on a healthy endpoint", [sent(0)], [sent(1), sent(2)]],
  ];
  it.each(sequences)("leaves the endpoint as applying them one by one does: %s", async (_name, before, outcomes) => {
    const [folded, oneByOne] = [await endpointGroup(), await endpointGroup()];
    for (const e of [folded, oneByOne]) for (const o of before) await recordEndpointOutcomes(pool, [e.full(o)]);
    await recordEndpointOutcomes(pool, outcomes.map(folded.full));
    for (const o of outcomes) await recordEndpointOutcomes(pool, [oneByOne.full(o)]);
    expect(await folded.state()).toEqual(await oneByOne.state());
  });
});
