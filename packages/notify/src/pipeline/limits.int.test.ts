/**
 * Rate limits and digests through the real pipeline (Postgres, BullMQ, loopback receivers). The dead-channel alert is
 * channel-alert.int.test.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestIdOf } from "./budget";
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

/** Waits until at least `margin` ms remain in the current minute, so a test's sends share one fixed window. */
async function awayFromMinuteEnd(margin = 15_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < margin) await sleep(left + 50);
}

describe("rate limits and digests", { timeout: 90_000 }, () => {
  it("sends a webhook's ratePerMinute, folds the rest into one digest due when the minute ends, and sends that digest once", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "limited", url: `${receiver.base}/r/limited`, ratePerMinute: 2 }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      await awayFromMinuteEnd();
      const windowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
      const events: Awaited<ReturnType<typeof transition>>[] = [];
      for (let i = 0; i < 5; i++) events.push(await transition(rule));
      const settled = await waitFor("every delivery sent or folded", async () => {
        const all = (await Promise.all(events.map((e) => deliveriesOf(e.eventId)))).flat();
        return all.length === 5 && all.every((d) => d.status === "sent" || d.status === "folded") ? all : undefined;
      });
      const sent = settled.filter((d) => d.status === "sent");
      const folded = settled.filter((d) => d.status === "folded");
      expect(sent).toHaveLength(2);
      expect(folded).toHaveLength(3);
      expect(receiver.to("/r/limited")).toHaveLength(2);
      // every folded one points at the same digest: due at the end of the window, not sent yet
      const digestId = digestIdOf(group.id, "limited", windowEnd);
      expect(new Set(folded.map((d) => d.digestId))).toEqual(new Set([digestId]));
      expect(folded.every((d) => d.attempts === 0 && d.sentAt === null)).toBe(true);
      const digest = await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } });
      expect(digest).toMatchObject({ kind: "digest", status: "pending", actionGroupId: group.id, receiverName: "limited" });
      expect(digest.nextAttemptAt.getTime()).toBe(windowEnd.getTime());

      // the window ends (moved to now rather than waited for): the digest goes out once, listing the three
      await db.notificationDelivery.update({ where: { id: digestId }, data: { nextAttemptAt: new Date() } });
      await pipeline.schedule([{ deliveryId: digestId, at: new Date() }]);
      const request = await waitFor("the digest", () => receiver.to("/r/limited")[2]);
      expect(request.headers["x-vaultwatch-kind"]).toBe("digest");
      expect(request.headers["x-vaultwatch-delivery"]).toBe(digestId);
      const body = request.json as { schemaId: string; data: { count: number; alerts: { alertId?: string; id?: string }[] } };
      expect(body.schemaId).toBe("vaultwatchDigest");
      expect(body.data.count).toBe(3);
      const listed = JSON.stringify(body.data.alerts);
      for (const d of folded) expect(listed).toContain(d.alertId!);
      await waitFor("digest recorded as sent", async () => (await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } })).status === "sent");
      await sleep(500);
      expect(receiver.to("/r/limited")).toHaveLength(3);
    } finally {
      await pipeline.stop();
    }
  });
});
