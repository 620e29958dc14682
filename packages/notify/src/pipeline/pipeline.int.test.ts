// The delivery pipeline against real Postgres, Redis and BullMQ, with local HTTP receivers: transitions recorded by
// the evaluator's recordTransition reach each receiver once, platform groups by their routing, retries are logged,
// an endpoint that used up its retries is skipped and what arrives meanwhile is held, then sent.
import { createHmac } from "node:crypto";
import { OUTBOX_CHANNEL as EVALUATOR_CHANNEL } from "@vaultwatch/evaluator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainBatch } from "./drain";
import { OUTBOX_CHANNEL } from "./listener";
import { sweepDeliveries } from "./sweep";
import {
  cleanupTenants,
  db,
  deliveriesOf,
  makeActionGroup,
  makeLogRule,
  makeTenant,
  pool,
  sleep,
  startPipeline,
  startReceiver,
  transition,
  unseal,
  VAULT_ID,
  waitFor,
  type Receiver,
} from "./test/harness";

let receiver: Receiver;
const tenants: string[] = [];
const platformGroups: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await db.actionGroup.deleteMany({ where: { id: { in: platformGroups } } });
  await cleanupTenants(tenants);
  await pool.end();
  await db.$disconnect();
});

async function tenant() {
  const t = await makeTenant();
  tenants.push(t.id);
  return t;
}

type CommonPayload = {
  schemaId: string;
  data: {
    essentials: Record<string, unknown>;
    alertContext: { conditionType: string; condition: { allOf: { metricValue: number; threshold: string; dimensions: unknown[] }[] } };
  };
};

describe("delivery pipeline", { timeout: 60_000 }, () => {
  it("listens on the channel recordTransition notifies", () => {
    expect(OUTBOX_CHANNEL).toBe(EVALUATOR_CHANNEL);
  });

  it("sends each receiver exactly one request with the common alert schema and X-Vaultwatch-Delivery; a second drain or worker changes nothing", async () => {
    const t = await tenant();
    const secret = "s3cret-signing-key-0123456789";
    const group = await makeActionGroup(t.id, [
      { type: "webhook", name: "ops", url: `${receiver.base}/a1/ops?code=tok-ops` },
      { type: "webhook", name: "siem", url: `${receiver.base}/a1/siem`, secret },
    ]);
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      const fired = await transition(rule);
      const [ops, siem] = await waitFor("both requests", () => {
        const a = receiver.to("/a1/ops");
        const b = receiver.to("/a1/siem");
        return a.length && b.length ? [a[0]!, b[0]!] : undefined;
      });
      // the request arrives before the outcome is recorded
      const deliveries = await waitFor("both recorded", async () => {
        const ds = await deliveriesOf(fired.eventId);
        return ds.every((d) => d.status !== "sending") ? ds : undefined;
      });
      expect(deliveries.map((d) => [d.receiverName, d.status, d.attempts])).toEqual([
        ["ops", "sent", 1],
        ["siem", "sent", 1],
      ]);
      expect(ops.headers["x-vaultwatch-delivery"]).toBe(deliveries[0]!.id);
      expect(siem.headers["x-vaultwatch-delivery"]).toBe(deliveries[1]!.id);
      expect(siem.headers["x-vaultwatch-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(siem.body).digest("hex")}`);

      // the common alert schema as Azure sends it for a log search alert (NOTIFY-REFERENCE)
      const body = ops.json as CommonPayload;
      expect(body.schemaId).toBe("azureMonitorCommonAlertSchema");
      expect(body.data.essentials).toMatchObject({
        alertId: fired.alertId,
        alertRule: rule.name,
        severity: "Sev1",
        signalType: "Log",
        monitorCondition: "Fired",
        monitoringService: "Log Alerts V2",
        alertTargetIDs: [VAULT_ID.toLowerCase()],
        configurationItems: ["RSV-PROD", "sql-01"],
        firedDateTime: fired.input.at.toISOString(),
        essentialsVersion: "1.0",
        alertContextVersion: "1.0",
      });
      expect(body.data.essentials).not.toHaveProperty("resolvedDateTime");
      expect(body.data.alertContext.conditionType).toBe("LogQueryCriteria");
      expect(body.data.alertContext.condition.allOf[0]).toMatchObject({
        metricValue: 2,
        threshold: "0",
        dimensions: [
          { name: "Resource", value: "RSV-PROD" },
          { name: "BackupItemFriendlyName_s", value: "sql-01" },
        ],
      });

      // the attempt log
      for (const d of deliveries) {
        expect(d.attemptLog).toHaveLength(1);
        expect(d.attemptLog[0]).toMatchObject({ attempt: 1, outcome: "sent", httpStatus: 200, reply: "ok", error: null });
        expect(d.attemptLog[0]!.latencyMs).toBeGreaterThanOrEqual(0);
      }
      expect(await db.notificationOutbox.findMany({ where: { alertEventId: fired.eventId }, select: { status: true } })).toEqual([{ status: "sent" }]);

      // a second drain, a sweep, and a second worker: nothing more is sent
      expect((await drainBatch(pool, { unseal, tenantIds: [t.id] })).outbox).toBe(0);
      expect((await sweepDeliveries(pool, { tenantIds: [t.id], graceMs: 0 })).due).toEqual([]);
      const second = await startPipeline({ tenantIds: [t.id] });
      await pipeline.schedule(deliveries.map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt })));
      await sleep(1_000);
      await second.stop();
      expect(receiver.to("/a1/ops")).toHaveLength(1);
      expect(receiver.to("/a1/siem")).toHaveLength(1);

      // the resolution is one more request each, saying Resolved
      const resolvedAt = new Date(fired.input.at.getTime() + 300_000);
      const resolved = await transition(rule, { fingerprint: fired.input.fingerprint, transition: "Resolved", at: resolvedAt });
      await waitFor("resolved requests", () => receiver.to("/a1/ops").length === 2 && receiver.to("/a1/siem").length === 2);
      const again = receiver.to("/a1/ops")[1]!.json as CommonPayload;
      expect(again.data.essentials).toMatchObject({ alertId: fired.alertId, monitorCondition: "Resolved", resolvedDateTime: resolvedAt.toISOString() });
      await waitFor("resolution recorded", async () => (await deliveriesOf(resolved.eventId)).every((d) => d.status === "sent"));
    } finally {
      await pipeline.stop();
    }
  });

  it("routes other tenants' alerts to a platform group by severity: Sev1 of tenant B reaches it, Sev3 does not", async () => {
    const b = await tenant();
    const platform = await makeActionGroup(null, [{ type: "webhook", name: "msp-oncall", url: `${receiver.base}/p/oncall` }], {
      name: `msp-oncall-${b.slug}`,
      routing: { tenantIds: [b.id], severities: [0, 1] },
    });
    platformGroups.push(platform.id);
    const own = await makeActionGroup(b.id, [{ type: "webhook", name: "customer", url: `${receiver.base}/p/customer` }]);
    const sev1 = await makeLogRule(b.id, [own.id], 1);
    const sev3 = await makeLogRule(b.id, [own.id], 3);
    const pipeline = await startPipeline({ tenantIds: [b.id] });
    try {
      const one = await transition(sev1);
      const three = await transition(sev3);
      await waitFor("customer requests", () => receiver.to("/p/customer").length === 2);
      await waitFor("platform request", () => receiver.to("/p/oncall").length === 1);
      await sleep(500);
      const oncall = receiver.to("/p/oncall");
      expect(oncall).toHaveLength(1);
      expect((oncall[0]!.json as CommonPayload).data.essentials).toMatchObject({ alertId: one.alertId, severity: "Sev1" });
      const platformDelivery = await db.notificationDelivery.findFirstOrThrow({ where: { actionGroupId: platform.id } });
      expect(platformDelivery).toMatchObject({ tenantId: b.id, alertId: one.alertId, status: "sent" });
      expect(await db.notificationOutbox.count({ where: { alertEventId: three.eventId, actionGroupId: platform.id } })).toBe(0);
    } finally {
      await pipeline.stop();
    }
  });

  it("retries a 503, logging each attempt with its status and latency, and waits at least what Retry-After asks", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [
      { type: "webhook", name: "flaky", url: `${receiver.base}/r/flaky` },
      { type: "webhook", name: "busy", url: `${receiver.base}/r/busy` },
    ]);
    receiver.script("/r/flaky", { status: 503, body: "upstream down" });
    receiver.script("/r/busy", { status: 429, body: "slow down", headers: { "retry-after": "2" } });
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      const fired = await transition(rule);
      await waitFor("both delivered", () => receiver.to("/r/flaky").length === 2 && receiver.to("/r/busy").length === 2);
      const [busy, flaky] = await waitFor("both sent", async () => {
        const ds = await deliveriesOf(fired.eventId);
        return ds.every((d) => d.status === "sent") ? ds : undefined;
      });
      expect(flaky!.attempts).toBe(2);
      expect(flaky!.attemptLog.map((a) => [a.attempt, a.outcome, a.httpStatus, a.reply])).toEqual([
        [1, "retry", 503, "upstream down"],
        [2, "sent", 200, "ok"],
      ]);
      expect(flaky!.attemptLog.every((a) => a.latencyMs >= 0)).toBe(true);
      // the test policy waits 300 ms before the first retry; Retry-After asked 2 s
      const gap = (path: string) => receiver.to(path)[1]!.at - receiver.to(path)[0]!.at;
      expect(gap("/r/flaky")).toBeGreaterThanOrEqual(300);
      expect(gap("/r/busy")).toBeGreaterThanOrEqual(2_000);
      expect(busy!.attemptLog.map((a) => [a.outcome, a.httpStatus])).toEqual([
        ["retry", 429],
        ["sent", 200],
      ]);
      const endpoint = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "flaky" } } });
      expect(endpoint).toMatchObject({ consecutiveFailures: 0, failingSince: null, skippedUntil: null, tenantId: t.id });
      expect(endpoint.lastSuccessAt).not.toBeNull();
    } finally {
      await pipeline.stop();
    }
  });

  it("fails a 400 at once with the receiver's answer recorded", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "strict", url: `${receiver.base}/f/strict` }]);
    receiver.script("/f/strict", { status: 400, body: '{"error":"schema mismatch: data.essentials"}' });
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      const fired = await transition(rule);
      const [d] = await waitFor("failed", async () => {
        const ds = await deliveriesOf(fired.eventId);
        return ds[0]?.status === "failed" ? ds : undefined;
      });
      expect(d).toMatchObject({ attempts: 1, lastStatus: 400 });
      expect(d!.attemptLog.map((a) => [a.outcome, a.httpStatus, a.reply])).toEqual([["failed", 400, '{"error":"schema mismatch: data.essentials"}']]);
      await sleep(800);
      expect(receiver.to("/f/strict")).toHaveLength(1);
      const endpoint = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "strict" } } });
      expect(endpoint).toMatchObject({ consecutiveFailures: 1, skippedUntil: null });
      expect(endpoint.failingSince).not.toBeNull();
    } finally {
      await pipeline.stop();
    }
  });

  it("after the last retry skips the endpoint: a new alert is held meanwhile, then sent when the skip ends", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "down", url: `${receiver.base}/s/down` }]);
    receiver.always("/s/down", { status: 503, body: "down" });
    const rule = await makeLogRule(t.id, [group.id]);
    // test policy: 2 retries 300 ms apart, then a 2 s skip
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      const first = await transition(rule);
      const [gaveUp] = await waitFor("retries used up", async () => {
        const ds = await deliveriesOf(first.eventId);
        return ds[0]?.status === "failed" ? ds : undefined;
      });
      expect(gaveUp!.attemptLog.map((a) => a.outcome)).toEqual(["retry", "retry", "failed"]);
      expect(gaveUp!.lastError).toMatch(/^gave up after 3 attempts/);
      const endpoint = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "down" } } });
      expect(endpoint.skippedUntil!.getTime()).toBeGreaterThan(Date.now());
      expect(endpoint.consecutiveFailures).toBe(1);

      // the endpoint comes back, but is still skipped: the next alert waits
      receiver.always("/s/down", null);
      const second = await transition(rule);
      const [held] = await waitFor("held", async () => {
        const ds = await deliveriesOf(second.eventId);
        return ds[0]?.status === "held" ? ds : undefined;
      });
      expect(held!.heldUntil?.getTime()).toBe(endpoint.skippedUntil!.getTime());
      expect(receiver.to("/s/down")).toHaveLength(3);

      const [sent] = await waitFor("sent after the skip", async () => {
        const ds = await deliveriesOf(second.eventId);
        return ds[0]?.status === "sent" ? ds : undefined;
      });
      expect(sent!.sentAt!.getTime()).toBeGreaterThanOrEqual(endpoint.skippedUntil!.getTime());
      expect(receiver.to("/s/down")).toHaveLength(4);
      expect(receiver.to("/s/down")[3]!.headers["x-vaultwatch-delivery"]).toBe(sent!.id);
    } finally {
      await pipeline.stop();
    }
  });

  it("takes at most a few rows per tenant in a batch, so one tenant's storm does not delay another's alert", async () => {
    const storm = await tenant();
    const quiet = await tenant();
    const stormGroup = await makeActionGroup(storm.id, [{ type: "webhook", name: "w", url: `${receiver.base}/fair/storm` }]);
    const quietGroup = await makeActionGroup(quiet.id, [{ type: "webhook", name: "w", url: `${receiver.base}/fair/quiet` }]);
    const stormRule = await makeLogRule(storm.id, [stormGroup.id]);
    const quietRule = await makeLogRule(quiet.id, [quietGroup.id]);
    for (let i = 0; i < 30; i++) await transition(stormRule);
    const lone = await transition(quietRule);
    const first = await drainBatch(pool, { unseal, tenantIds: [storm.id, quiet.id], batchSize: 10, perTenant: 5 });
    expect(first.outbox).toBe(6);
    expect(await db.notificationDelivery.count({ where: { alertEventId: lone.eventId } })).toBe(1);
    expect(await db.notificationDelivery.count({ where: { tenantId: storm.id } })).toBe(5);
    let batches = 1;
    while ((await drainBatch(pool, { unseal, tenantIds: [storm.id, quiet.id], batchSize: 10, perTenant: 5 })).outbox) batches++;
    expect(batches).toBe(6);
    expect(await db.notificationDelivery.count({ where: { tenantId: storm.id } })).toBe(30);
    expect(await db.notificationOutbox.count({ where: { tenantId: { in: [storm.id, quiet.id] }, status: "pending" } })).toBe(0);
  });

  it("repairs a lost enqueue: deliveries committed but never enqueued are sent once by the sweep", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [
      { type: "webhook", name: "a", url: `${receiver.base}/lost/a` },
      { type: "webhook", name: "b", url: `${receiver.base}/lost/b` },
    ]);
    const rule = await makeLogRule(t.id, [group.id]);
    const fired = await transition(rule);
    // the drain committed, then "crashed" before enqueueing
    const drained = await drainBatch(pool, { unseal, tenantIds: [t.id] });
    expect(drained.due).toHaveLength(2);
    const pipeline = await startPipeline({ tenantIds: [t.id], graceMs: 500 });
    try {
      await waitFor("both sent", async () => (await deliveriesOf(fired.eventId)).every((d) => d.status === "sent"));
      await sleep(1_000);
      expect(receiver.to("/lost/a")).toHaveLength(1);
      expect(receiver.to("/lost/b")).toHaveLength(1);
    } finally {
      await pipeline.stop();
    }
  });

  it("sends nothing twice when two workers drain and deliver the same alerts", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [
      { type: "webhook", name: "x", url: `${receiver.base}/two/x` },
      { type: "webhook", name: "y", url: `${receiver.base}/two/y` },
    ]);
    const rule = await makeLogRule(t.id, [group.id]);
    const one = await startPipeline({ tenantIds: [t.id], concurrency: 8 });
    const two = await startPipeline({ tenantIds: [t.id], concurrency: 8 });
    try {
      const events = [];
      for (let i = 0; i < 25; i++) events.push((await transition(rule)).eventId);
      // both processes also enqueue every delivery once more, as a sweep racing the drain would
      await waitFor("50 deliveries", async () => (await db.notificationDelivery.count({ where: { tenantId: t.id } })) === 50);
      const all = await db.notificationDelivery.findMany({ where: { tenantId: t.id } });
      await Promise.all([one.schedule(all.map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt }))), two.schedule(all.map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt })))]);
      await waitFor("all sent", async () => (await db.notificationDelivery.count({ where: { tenantId: t.id, status: "sent" } })) === 50);
      await sleep(800);
      const ids = [...receiver.to("/two/x"), ...receiver.to("/two/y")].map((r) => r.headers["x-vaultwatch-delivery"]);
      expect(ids).toHaveLength(50);
      expect(new Set(ids).size).toBe(50);
      expect(await db.notificationAttempt.count({ where: { tenantId: t.id } })).toBe(50);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});
