// Silences through the real pipeline (Postgres, Redis, BullMQ, the drain and sweep loops, a local HTTP receiver):
// during a window matching alerts are recorded and their deliveries suppressed; when it ends, the alert still firing
// is notified once, the one resolved meanwhile never is (neither its Fired nor its Resolved), and an alert the silence
// does not match goes out at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTenants, db, makeActionGroup, makeLogRule, makeTenant, pool, sleep, startPipeline, startReceiver, transition, waitFor, type Receiver } from "./test/harness";

let receiver: Receiver;
const tenants: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await cleanupTenants(tenants);
  await pool.end();
  await db.$disconnect();
});

type Essentials = { alertId: string; monitorCondition: string };
const essentialsOf = (path: string) => receiver.to(path).map((r) => (r.json as { data: { essentials: Essentials } }).data.essentials);
const deliveries = (alertId: string) =>
  db.notificationDelivery.findMany({
    where: { alertId },
    select: { receiverName: true, status: true, silenceId: true, heldUntil: true, alertEvent: { select: { kind: true } } },
    orderBy: [{ createdAt: "asc" }, { receiverName: "asc" }],
  });

describe("silences in the delivery pipeline", { timeout: 60_000 }, () => {
  it("suppresses during the window, then notifies once what still fires and nothing of what resolved", async () => {
    const t = await makeTenant();
    tenants.push(t.id);
    const group = await makeActionGroup(t.id, [
      { type: "webhook", name: "ops", url: `${receiver.base}/s1/ops` },
      { type: "webhook", name: "siem", url: `${receiver.base}/s1/siem` },
    ]);
    const rule = await makeLogRule(t.id, [group.id], 3);
    // the harness's alerts are on vault rsv-prod; the window ends a few seconds from now
    const windowEnd = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5_000);
    const silence = await db.silence.create({
      data: { tenantId: t.id, name: "patching", startsAt: new Date(Date.now() - 60_000), endsAt: windowEnd, matchers: { vaults: ["rsv-prod"], severities: [3] } },
    });
    const pipeline = await startPipeline({ tenantIds: [t.id], sweepMs: 200 });
    try {
      const firing = await transition(rule);
      const resolving = await transition(rule);
      const elsewhere = await transition(rule, {
        targetIds: ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-test"],
        dimensions: [{ name: "Resource", value: "RSV-TEST" }],
      });

      // the unmatched alert goes out at once; the silenced ones are recorded and suppressed until the window ends
      await waitFor("the unmatched alert's requests", () => essentialsOf("/s1/ops").some((e) => e.alertId === elsewhere.alertId) && essentialsOf("/s1/siem").length >= 1);
      const held = await waitFor("suppressed deliveries", async () => {
        const ds = [...(await deliveries(firing.alertId)), ...(await deliveries(resolving.alertId))];
        return ds.length === 4 ? ds : undefined;
      });
      for (const d of held) expect(d).toMatchObject({ status: "suppressed", silenceId: silence.id, heldUntil: windowEnd });
      expect(await db.alert.count({ where: { id: { in: [firing.alertId, resolving.alertId] }, monitorCondition: "fired" } })).toBe(2);

      // one of them resolves during the window: its Resolved is suppressed too, for good
      const resolved = await transition(rule, { fingerprint: resolving.input.fingerprint, transition: "Resolved", at: new Date(resolving.input.at.getTime() + 1000) });
      await waitFor("the Resolved drained", async () => (await deliveries(resolving.alertId)).length === 4);
      expect((await deliveries(resolving.alertId)).filter((d) => d.alertEvent?.kind === "resolved")).toEqual([
        { receiverName: "ops", status: "suppressed", silenceId: silence.id, heldUntil: null, alertEvent: { kind: "resolved" } },
        { receiverName: "siem", status: "suppressed", silenceId: silence.id, heldUntil: null, alertEvent: { kind: "resolved" } },
      ]);
      expect(resolved.outbox).toBe(1);
      expect(Date.now()).toBeLessThan(windowEnd.getTime()); // all of the above happened inside the window
      expect(essentialsOf("/s1/ops").map((e) => e.alertId)).toEqual([elsewhere.alertId]);

      // the window ends: the alert still firing reaches each receiver once, as Fired
      await waitFor("the released notifications", () => essentialsOf("/s1/ops").length === 2 && essentialsOf("/s1/siem").length === 2, 20_000);
      expect(Date.now()).toBeGreaterThanOrEqual(windowEnd.getTime());
      for (const path of ["/s1/ops", "/s1/siem"])
        expect(essentialsOf(path).map((e) => [e.alertId, e.monitorCondition])).toEqual([
          [elsewhere.alertId, "Fired"],
          [firing.alertId, "Fired"],
        ]);
      await waitFor("released deliveries sent", async () => (await deliveries(firing.alertId)).every((d) => d.status === "sent"));
      // the resolved alert's Fired stays suppressed for good; a few more sweeps send nothing else
      await sleep(1_500);
      expect((await deliveries(resolving.alertId)).map((d) => [d.alertEvent?.kind, d.status, d.heldUntil])).toEqual([
        ["fired", "suppressed", null],
        ["fired", "suppressed", null],
        ["resolved", "suppressed", null],
        ["resolved", "suppressed", null],
      ]);
      expect(receiver.to("/s1/ops")).toHaveLength(2);
      expect(receiver.to("/s1/siem")).toHaveLength(2);
    } finally {
      await pipeline.stop();
    }
  });
});
