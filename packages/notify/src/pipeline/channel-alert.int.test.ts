/**
 * A dead channel is an alert: the real pipeline (Postgres, BullMQ, loopback receivers) raises an alert row in the
 * tenant's alerts and announces it to the MSP's platform groups, after 5 failed deliveries in a row or after an hour of
 * failing (judged by the sweep with a controlled clock, no traffic needed), and resolves both on the next success.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEAD_AFTER_FAILURES, DEAD_AFTER_MS } from "./channel-alert";
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

/** A tenant whose group has one failing webhook, and an MSP group taking that tenant's platform alerts. */
async function setup(path: string, receiverName: string, groupName: string) {
  const t = await makeTenant();
  tenants.push(t.id);
  const group = await makeActionGroup(t.id, [{ type: "webhook", name: receiverName, url: `${receiver.base}${path}` }], { name: groupName });
  const msp = await makeActionGroup(null, [{ type: "webhook", name: "msp-pager", url: `${receiver.base}${path}/msp` }], {
    name: `msp-${t.slug}`,
    routing: { tenantIds: [t.id], signalTypes: ["Platform"] },
  });
  platformGroups.push(msp.id);
  receiver.always(path, { status: 404, body: "channel_not_found" });
  const rule = await makeLogRule(t.id, [group.id]);
  return { t, group, rule };
}

const channelAlerts = (tenantId: string) =>
  db.alert.findMany({ where: { tenantId, ruleId: null }, include: { events: { orderBy: { occurredAt: "asc" } } }, orderBy: { firedAt: "asc" } });

type Essentials = Record<string, unknown>;
const essentials = (r: { json: unknown }) => (r.json as { data: { essentials: Essentials } }).data.essentials;

describe("a dead channel is an alert", { timeout: 90_000 }, () => {
  it(`raises one platform alert row after ${DEAD_AFTER_FAILURES} failed deliveries in a row, announces it, and resolves both on the next success`, async () => {
    const { t, group, rule } = await setup("/d/dead", "On call", "Ops");
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      const failOne = async () => {
        const e = await transition(rule);
        await waitFor("failed", async () => (await deliveriesOf(e.eventId))[0]?.status === "failed");
      };
      for (let i = 1; i < DEAD_AFTER_FAILURES; i++) await failOne();
      await sleep(300);
      // four failures are not yet a dead channel
      expect(receiver.to("/d/dead/msp")).toHaveLength(0);
      expect(await channelAlerts(t.id)).toEqual([]);

      await failOne();
      const fired = await waitFor("the channel alert", () => receiver.to("/d/dead/msp")[0]);
      expect(fired.headers["x-vaultwatch-kind"]).toBe("channel");
      expect((fired.json as { schemaId: string }).schemaId).toBe("azureMonitorCommonAlertSchema");
      expect(essentials(fired)).toMatchObject({ monitorCondition: "Fired", severity: "Sev1", signalType: "Platform" });

      // the alert is the tenant's own, in its alert list: no rule, the receiver named, described as the MSP reads it
      const [alert, ...others] = await channelAlerts(t.id);
      expect(others).toEqual([]);
      expect(alert).toMatchObject({
        id: essentials(fired).alertId,
        tenantId: t.id,
        ruleId: null,
        channelActionGroupId: group.id,
        channelReceiverName: "On call",
        signalType: "Platform",
        severity: 1,
        monitorCondition: "fired",
        resolvedAt: null,
      });
      expect(alert!.description).toMatch(new RegExp(`^${t.name}'s webhook receiver "On call" in action group "Ops" answers 404`));
      expect(essentials(fired).description).toBe(alert!.description);
      expect(alert!.events.map((e) => e.kind)).toEqual(["fired"]);
      // the announcement is linked to the alert row it announces
      const announced = await db.notificationDelivery.findMany({ where: { kind: "channel", tenantId: t.id } });
      expect(announced.map((d) => d.alertId)).toEqual([alert!.id]);

      // a sixth failure raises nothing new
      await failOne();
      await sleep(300);
      expect(receiver.to("/d/dead/msp")).toHaveLength(1);
      expect(await channelAlerts(t.id)).toHaveLength(1);

      // the channel answers again: its next success resolves the same alert, row and announcement
      receiver.always("/d/dead", null);
      const ok = await transition(rule);
      await waitFor("sent", async () => (await deliveriesOf(ok.eventId))[0]?.status === "sent");
      const resolved = await waitFor("the resolution", () => receiver.to("/d/dead/msp")[1]);
      expect(essentials(resolved)).toMatchObject({ monitorCondition: "Resolved", alertId: alert!.id });
      expect(essentials(resolved).resolvedDateTime).toEqual(expect.any(String));
      const [after] = await channelAlerts(t.id);
      expect(after).toMatchObject({ id: alert!.id, monitorCondition: "resolved" });
      expect(after!.resolvedAt).toBeInstanceOf(Date);
      expect(after!.events.map((e) => e.kind)).toEqual(["fired", "resolved"]);
      const endpoint = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "On call" } } });
      expect(endpoint.alertRaisedAt).toBeNull();
      await sleep(300);
      expect(receiver.to("/d/dead/msp")).toHaveLength(2);
    } finally {
      await pipeline.stop();
    }
  });

  it("raises the alert when a receiver has been failing for an hour, judged by the sweep though no delivery reaches it any more", async () => {
    const { t, group, rule } = await setup("/d/quiet", "Teams bridge", "Escalation");
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      // one delivery fails for good, then no traffic at all
      const e = await transition(rule);
      await waitFor("failed", async () => (await deliveriesOf(e.eventId))[0]?.status === "failed");
      const endpoint = await db.notifyEndpoint.findUniqueOrThrow({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "Teams bridge" } } });
      expect(endpoint.consecutiveFailures).toBe(1);
      const since = endpoint.failingSince!.getTime();

      // the sweep, on a clock a minute short of the hour: nothing yet
      const early = await sweepDeliveries(pool, { tenantIds: [t.id], unseal, now: () => new Date(since + DEAD_AFTER_MS - 60_000) });
      expect(early.channelAlerts).toBe(0);
      expect(await channelAlerts(t.id)).toEqual([]);

      // an hour and a minute after the first failure: the alert row and its announcement
      const late = new Date(since + DEAD_AFTER_MS + 60_000);
      const swept = await sweepDeliveries(pool, { tenantIds: [t.id], unseal, now: () => late });
      expect(swept.channelAlerts).toBe(1);
      const [alert, ...others] = await channelAlerts(t.id);
      expect(others).toEqual([]);
      expect(alert).toMatchObject({ ruleId: null, channelActionGroupId: group.id, channelReceiverName: "Teams bridge", signalType: "Platform", monitorCondition: "fired" });
      expect(alert!.firedAt.getTime()).toBe(late.getTime());
      expect(alert!.description).toContain(`${t.name}'s webhook receiver "Teams bridge" in action group "Escalation" answers 404`);
      expect(alert!.description).toContain("1 delivery failed in a row");
      await pipeline.schedule(swept.due);
      const fired = await waitFor("the announcement", () => receiver.to("/d/quiet/msp")[0]);
      expect(essentials(fired)).toMatchObject({ alertId: alert!.id, monitorCondition: "Fired", signalType: "Platform" });

      // sweeping again raises nothing new
      expect((await sweepDeliveries(pool, { tenantIds: [t.id], unseal, now: () => new Date(late.getTime() + 60_000) })).channelAlerts).toBe(0);
      expect(await channelAlerts(t.id)).toHaveLength(1);
      // a sweep scoped to other tenants never judges this one's receivers
      await db.notifyEndpoint.update({ where: { actionGroupId_receiverName: { actionGroupId: group.id, receiverName: "Teams bridge" } }, data: { alertRaisedAt: null } });
      expect((await sweepDeliveries(pool, { tenantIds: [crypto.randomUUID()], unseal, now: () => late })).channelAlerts).toBe(0);
    } finally {
      await pipeline.stop();
    }
  });

  it("a sweep scoped to some tenants still takes the platform's own deliveries when asked, as the worker's always does", async () => {
    const msp = await makeActionGroup(null, [{ type: "webhook", name: "msp-digest", url: `${receiver.base}/d/platform` }], { name: `msp-held-${Date.now()}` });
    platformGroups.push(msp.id);
    // a platform group's delivery (no tenant) held until a moment ago, as a skipped endpoint leaves it
    const held = await db.notificationDelivery.create({
      data: {
        tenantId: null,
        kind: "digest",
        actionGroupId: msp.id,
        receiverName: "msp-digest",
        receiverType: "webhook",
        endpointKey: "k",
        status: "held",
        heldUntil: new Date(Date.now() - 1000),
        context: { windowStart: new Date().toISOString(), windowEnd: new Date().toISOString() },
      },
    });
    const scope = [crypto.randomUUID()];
    expect((await sweepDeliveries(pool, { tenantIds: scope })).due.map((d) => d.deliveryId)).not.toContain(held.id);
    expect((await db.notificationDelivery.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("held");
    const swept = await sweepDeliveries(pool, { tenantIds: scope, platform: true });
    expect(swept.due.map((d) => d.deliveryId)).toContain(held.id);
    expect((await db.notificationDelivery.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("pending");
    await db.notificationDelivery.delete({ where: { id: held.id } }); // not for other files' workers to send
  });
});
