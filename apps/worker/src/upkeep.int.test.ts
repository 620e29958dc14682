// Retention is claimed per round in Postgres: any worker may run it (scoped or not), exactly one does each round.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, createPgPool } from "@vaultwatch/db";
import { afterAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor } from "./test/worker-process";
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

// Worker processes of other test files share this database and claim the real round: in-process loops here claim a
// round of their own name, and the worker process below runs rounds more often than theirs.
describe("upkeep rounds", () => {

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
    const round = `test-${randomUUID()}`;
    const loops = Array.from({ length: 3 }, () => startUpkeepLoop({ pool, log, checkEveryMs: 50, round }));
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
    const round = `test-${randomUUID()}`;
    await pool.query(`INSERT INTO upkeep_round (name, "ranAt", "ranBy") VALUES ($1, now(), 'another worker')`, [round]);
    expect(await runRetentionRound(pool, { round })).toBeNull();
    expect(await db.notificationDelivery.findUnique({ where: { id: old.id } })).not.toBeNull();
  });
});

describe("a deployment of scoped workers only", () => {
  it("still prunes: a worker with WORKER_TENANT_IDS claims the round and deletes the whole installation's old log", { timeout: 150_000 }, async () => {
    // the last round ran 5 s ago: not due for workers on the default 15 minutes, due for this one (every second)
    await pool.query(
      `INSERT INTO upkeep_round (name, "ranAt", "ranBy") VALUES ($1, now() - interval '5 seconds', 'earlier')
       ON CONFLICT (name) DO UPDATE SET "ranAt" = EXCLUDED."ranAt", "ranBy" = EXCLUDED."ranBy"`,
      [RETENTION_ROUND],
    );
    const other = await tenantWithOldDeliveries(); // a tenant outside the worker's scope
    const mine = await tenantWithOldDeliveries();
    const worker = await startWorker({
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? "vwtest"}-upkeep-${randomBytes(4).toString("hex")}`,
      WORKER_TENANT_IDS: mine.tenant.id,
      RETENTION_INTERVAL_SECONDS: "1",
    });
    try {
      await untilHealthy(worker);
      await waitFor("the retention round", () => Promise.resolve(worker.lines.some((l) => l.msg === "retention round") ? true : undefined), 30_000);
      expect(await db.notificationDelivery.findUnique({ where: { id: other.old.id } })).toBeNull();
      expect(await db.notificationDelivery.findUnique({ where: { id: mine.old.id } })).toBeNull();
      expect(await db.notificationDelivery.count({ where: { id: { in: [other.recent.id, mine.recent.id] } } })).toBe(2);
      const { rows } = await pool.query<{ ranBy: string }>(`SELECT "ranBy" FROM upkeep_round WHERE name = $1`, [RETENTION_ROUND]);
      expect(rows[0]!.ranBy).toMatch(new RegExp(`:${worker.child.pid}$`));
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
  });
});
