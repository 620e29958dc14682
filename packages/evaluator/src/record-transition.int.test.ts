// recordTransition's notifications: the outbox rows for the rule's groups and the platform groups whose routing
// takes the alert, and the pg_notify that wakes the notifier, delivered only when the transaction commits.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTBOX_CHANNEL, recordTransition, type TransitionInput } from "./record-transition";
import { inTransaction } from "./sql";
import { cleanup, db, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

const url = process.env.DATABASE_URL!;
let tenantId: string;
let otherTenantId: string;
let workspaceId: string;
const platform: string[] = [];

beforeAll(async () => {
  tenantId = (await makeTenant()).id;
  otherTenantId = (await makeTenant()).id;
  workspaceId = (await makeLocalWorkspace(tenantId)).id;
});
const ruleOf = (severity: number, actionGroupIds: string[]) =>
  makeLogRule(tenantId, { workspaceIds: [workspaceId], query: "AzureDiagnostics", evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity, actionGroupIds });
afterAll(async () => {
  await db.actionGroup.deleteMany({ where: { id: { in: platform } } });
  await db.tenant.deleteMany({ where: { id: { in: [tenantId, otherTenantId] } } });
  await cleanup();
});

const platformGroup = async (routing: object | null, enabled = true) => {
  const g = await db.actionGroup.create({ data: { tenantId: null, name: `platform-${randomBytes(4).toString("hex")}`, receivers: [], enabled, ...(routing ? { routing } : {}) } });
  platform.push(g.id);
  return g.id;
};

const fired = (ruleId: string, severity: number, over: Partial<TransitionInput> = {}): TransitionInput => ({
  tenantId,
  ruleId,
  fingerprint: `fp-${randomBytes(4).toString("hex")}`,
  transition: "Fired",
  at: new Date("2026-12-06T10:00:00Z"),
  dimensions: [],
  severity,
  signalType: "Log",
  ...over,
});

describe("recordTransition's notifications", () => {
  it("owes platform groups whose routing takes the alert: tenant, severity, signal type and rule name", async () => {
    const group = await db.actionGroup.create({ data: { tenantId, name: `own-${randomBytes(3).toString("hex")}`, receivers: [] } });
    const rule = await ruleOf(1, [group.id]);
    const sev01 = await platformGroup({ tenantIds: [tenantId], severities: [0, 1] });
    const otherTenant = await platformGroup({ tenantIds: [otherTenantId] });
    const byName = await platformGroup({ tenantIds: [tenantId], ruleNames: [rule.name.toUpperCase()], signalTypes: ["Log"] });
    const activityOnly = await platformGroup({ tenantIds: [tenantId], signalTypes: ["Activity Log"] });
    const disabled = await platformGroup({ tenantIds: [tenantId] }, false);
    const owedTo = async (input: TransitionInput) => {
      const r = await inTransaction(pool, (sql) => recordTransition(sql, input));
      const rows = await db.notificationOutbox.findMany({ where: { alertEventId: r!.eventId }, select: { actionGroupId: true, tenantId: true } });
      expect(rows.every((o) => o.tenantId === tenantId)).toBe(true);
      expect(r!.outbox).toBe(rows.length);
      return rows.map((o) => o.actionGroupId).sort();
    };
    expect(await owedTo(fired(rule.id, 1))).toEqual([group.id, sev01, byName].sort());
    expect(await owedTo(fired(rule.id, 3))).toEqual([group.id, byName].sort());
    for (const id of [otherTenant, activityOnly, disabled]) expect(await db.notificationOutbox.count({ where: { actionGroupId: id } })).toBe(0);
  });

  it("notifies the outbox channel when the transaction commits, not before, and not when nothing is owed", async () => {
    const group = await db.actionGroup.create({ data: { tenantId, name: `own-${randomBytes(3).toString("hex")}`, receivers: [] } });
    const rule = await ruleOf(4, [group.id]);
    const silentRule = await ruleOf(4, []);
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    // other test files record transitions on this database meanwhile: hear only this tenant's
    listener.on("notification", (n) => n.payload === tenantId && heard.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    try {
      let before = -1;
      await inTransaction(pool, async (sql) => {
        await recordTransition(sql, fired(rule.id, 4));
        await settle();
        before = heard.length;
      });
      await settle();
      expect(before).toBe(0);
      expect(heard).toEqual([OUTBOX_CHANNEL]);
      await inTransaction(pool, (sql) => recordTransition(sql, fired(silentRule.id, 4)));
      await settle();
      expect(heard).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });
});
