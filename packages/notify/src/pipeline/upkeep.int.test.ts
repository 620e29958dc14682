// The pipeline's upkeep against real Postgres: the outbox listener reconnects after losing its connection, the
// delivery log is pruned after 30 days, and armRoleEmail's members are read per tenant and role.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { membersWithRole } from "./members";
import { pruneDeliveries } from "./retention";
import {
  cleanupTenants,
  db,
  makeActionGroup,
  makeLogRule,
  makeTenant,
  pool,
  sleep,
  startPipeline,
  startReceiver,
  transition,
  uniq,
  waitFor,
} from "./test/harness";

const tenants: string[] = [];
const users: string[] = [];
afterAll(async () => {
  await cleanupTenants(tenants);
  await db.user.deleteMany({ where: { id: { in: users } } });
  await pool.end();
  await db.$disconnect();
});
async function tenant() {
  const t = await makeTenant();
  tenants.push(t.id);
  return t;
}

describe("pipeline upkeep", { timeout: 60_000 }, () => {
  it("listens again after its connection is killed: a transition is delivered at once, without the poll", async () => {
    const receiver = await startReceiver();
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "w", url: `${receiver.base}/listen` }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const listenerName = `vw-test-listener-${uniq()}`;
    // the fallback poll every 10 minutes: only the notification can drain within the test
    const pipeline = await startPipeline({ tenantIds: [t.id], pollMs: 600_000, sweepMs: 600_000, listenerName });
    try {
      const { rows } = await pool.query<{ killed: boolean }>(`SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1`, [listenerName]);
      expect(rows).toEqual([{ killed: true }]);
      await waitFor("listening again", async () => ((await pool.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'`, [listenerName])).rowCount === 1 ? true : undefined), 15_000, 100);
      await sleep(100);
      await transition(rule);
      await waitFor("delivered through the notification", () => (receiver.to("/listen").length === 1 ? true : undefined), 5_000);
    } finally {
      await pipeline.stop();
      await receiver.close();
    }
  });

  it("prunes attempts and finished deliveries older than 30 days, keeping newer ones and what is still owed", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "w", url: "https://hooks.example.com/x" }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const old = new Date(Date.now() - 31 * 86400_000);
    const recent = new Date(Date.now() - 29 * 86400_000);
    const make = async (status: "sent" | "failed" | "pending" | "held", createdAt: Date) => {
      const fired = await transition(rule);
      const d = await db.notificationDelivery.create({
        data: { tenantId: t.id, alertId: fired.alertId, alertEventId: fired.eventId, actionGroupId: group.id, receiverName: "w", receiverType: "webhook", endpointKey: "k", status, createdAt },
      });
      await db.notificationAttempt.create({ data: { tenantId: t.id, deliveryId: d.id, attempt: 1, startedAt: createdAt, latencyMs: 5, outcome: "sent" } });
      return d.id;
    };
    const oldSent = await make("sent", old);
    const oldFailed = await make("failed", old);
    const oldPending = await make("pending", old);
    const oldHeld = await make("held", old);
    const recentSent = await make("sent", recent);
    const pruned = await pruneDeliveries(pool);
    expect(pruned.deliveries).toBeGreaterThanOrEqual(2);
    const left = await db.notificationDelivery.findMany({ where: { tenantId: t.id }, select: { id: true } });
    expect(left.map((d) => d.id).sort()).toEqual([oldPending, oldHeld, recentSent].sort());
    expect(left.map((d) => d.id)).not.toContain(oldSent);
    expect(left.map((d) => d.id)).not.toContain(oldFailed);
    // the attempts of what is kept but older than 30 days go too (the log keeps 30 days), the recent one stays
    const attempts = await db.notificationAttempt.findMany({ where: { tenantId: t.id }, select: { deliveryId: true } });
    expect(attempts.map((a) => a.deliveryId)).toEqual([recentSent]);
  });

  it("finds the emails of a tenant's members holding a role, and nobody for an unknown role", async () => {
    const t = await tenant();
    const other = await tenant();
    const member = async (tenantId: string, role: "owner" | "admin" | "operator" | "viewer", email: string) => {
      const user = await db.user.create({ data: { id: randomUUID(), name: email, email } });
      users.push(user.id);
      await db.membership.create({ data: { tenantId, userId: user.id, role } });
    };
    const tag = uniq();
    await member(t.id, "operator", `b-${tag}@example.com`);
    await member(t.id, "operator", `a-${tag}@example.com`);
    await member(t.id, "viewer", `v-${tag}@example.com`);
    await member(other.id, "operator", `o-${tag}@example.com`);
    expect(await membersWithRole(pool, t.id, "operator")).toEqual([`a-${tag}@example.com`, `b-${tag}@example.com`]);
    expect(await membersWithRole(pool, t.id, "owner")).toEqual([]);
    expect(await membersWithRole(pool, t.id, "Contributor")).toEqual([]);
  });
});
