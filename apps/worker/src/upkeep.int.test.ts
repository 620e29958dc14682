// Retention is claimed per round in Postgres: any worker may run it (scoped or not), exactly one does each round.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, createPgPool } from "@vaultwatch/db";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { claimUpkeepRound, RETENTION_ROUND, runRetentionRound, startUpkeepLoop } from "./upkeep";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const db = createDb(databaseUrl, { max: 2 });
const pool = createPgPool(databaseUrl, { max: 10, label: "upkeep test" });
const tenants: string[] = [];

afterAll(async () => {
  for (const id of tenants) await db.tenant.delete({ where: { id } }).catch(() => undefined);
  await pool.query(`DELETE FROM upkeep_round WHERE name LIKE 'test-%'`);
  await pool.end();
  await db.$disconnect();
});

const DAY = 24 * 3600_000;

/** A tenant with a delivery (and its attempt) sent 40 days ago, past the log's 30 days, and one sent today. */
async function tenantWithOldDeliveries() {
  const slug = `upkeep-${randomBytes(4).toString("hex")}`;
  const tenant = await db.tenant.create({ data: { name: slug, slug } });
  tenants.push(tenant.id);
  const group = await db.actionGroup.create({ data: { tenantId: tenant.id, name: "Hooks", receivers: [] } });
  const delivery = (at: Date) =>
    db.notificationDelivery.create({
      data: {
        tenantId: tenant.id,
        kind: "test",
        actionGroupId: group.id,
        receiverName: "hook",
        receiverType: "webhook",
        endpointKey: "k",
        status: "sent",
        createdAt: at,
        sentAt: at,
        attemptLog: { create: { tenantId: tenant.id, attempt: 1, startedAt: at, latencyMs: 5, outcome: "sent" } },
      },
    });
  const old = await delivery(new Date(Date.now() - 40 * DAY));
  const recent = await delivery(new Date());
  return { tenant, old, recent };
}

describe("upkeep rounds", () => {
  beforeEach(async () => {
    await pool.query(`DELETE FROM upkeep_round WHERE name = $1`, [RETENTION_ROUND]);
  });

  it("gives a round to exactly one of many claimants, and the next one only once the period has passed", async () => {
    const name = `test-${randomUUID()}`;
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimUpkeepRound(pool, name, 60_000, `worker-${i}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // within the period nobody gets it again
    expect(await claimUpkeepRound(pool, name, 60_000, "late")).toBe(false);
    // the period passed: again one claimant of many
    await pool.query(`UPDATE upkeep_round SET "ranAt" = now() - interval '61 seconds' WHERE name = $1`, [name]);
    const next = await Promise.all(Array.from({ length: 8 }, (_, i) => claimUpkeepRound(pool, name, 60_000, `worker-${i}`)));
    expect(next.filter(Boolean)).toHaveLength(1);
    const { rows } = await pool.query<{ ranBy: string }>(`SELECT "ranBy" FROM upkeep_round WHERE name = $1`, [name]);
    expect(rows[0]!.ranBy).toBe(`worker-${next.indexOf(true)}`);
  });

  it("prunes the delivery log past 30 days on whichever worker claims the round, once among several running at the same time", async () => {
    const { tenant, old, recent } = await tenantWithOldDeliveries();
    // three workers (every one scoped to some tenants: scope no longer matters) start their upkeep at once
    const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const log = (_level: string, msg: string, fields?: Record<string, unknown>) => void logs.push({ msg, ...(fields ? { fields } : {}) });
    const loops = Array.from({ length: 3 }, () => startUpkeepLoop({ pool, log, checkEveryMs: 50 }));
    try {
      const deadline = Date.now() + 20_000;
      while (!logs.some((l) => l.msg === "retention round") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500)); // more checks by every loop: none runs a second round
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
    }
    expect(logs.filter((l) => l.msg === "retention round")).toHaveLength(1);
    expect(logs.filter((l) => l.msg === "retention round failed")).toEqual([]);
    expect(await db.notificationDelivery.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.notificationAttempt.count({ where: { deliveryId: old.id } })).toBe(0);
    expect(await db.notificationDelivery.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await db.notificationAttempt.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("a round that is not due does nothing", async () => {
    const { old } = await tenantWithOldDeliveries();
    await pool.query(`INSERT INTO upkeep_round (name, "ranAt", "ranBy") VALUES ($1, now(), 'another worker')`, [RETENTION_ROUND]);
    expect(await runRetentionRound(pool)).toBeNull();
    expect(await db.notificationDelivery.findUnique({ where: { id: old.id } })).not.toBeNull();
  });
});
