// The evaluation attempts cap in the real worker process: a tick whose commit keeps failing is retried, then recorded
// as an `error` naming why once MAX_EVALUATION_ATTEMPTS have been spent, and nothing re-enqueues it after that.
// The commit fails for real: another session holds the rule's workspace link row (the lock every commit takes) and
// the worker's connections give up waiting for a lock after 300 ms.
import { randomBytes, randomUUID } from "node:crypto";
import { rulePhaseMs } from "@vaultwatch/alerting";
import { createDb } from "@vaultwatch/db";
import { MAX_EVALUATION_ATTEMPTS } from "@vaultwatch/evaluator";
import { createQueues, createRedisConnection, JOB, ruleSchedulerId, type Queues } from "@vaultwatch/jobs";
import { dropWorkspaceStorage } from "@vaultwatch/local-workspace";
import { logRuleSchema } from "@vaultwatch/schemas";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-attempts-${randomBytes(4).toString("hex")}`;

const db = createDb(databaseUrl, { max: 4 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const redis = createRedisConnection(redisUrl, "producer");
let queues: Queues;
let worker: WorkerProcess;
let tenantId: string;
let workspaceId: string;

/** The worker's database URL, with a lock wait that fails fast (`options`, as the worker's own pools set theirs). */
function impatient(url: string): string {
  const u = new URL(url);
  u.searchParams.set("options", "-c lock_timeout=300");
  return u.toString();
}

/** A one-minute rule whose next tick falls `fromMs`..`toMs` from now (ticks are phase-shifted by the rule id). */
function ruleIdDueIn(fromMs: number, toMs: number): { id: string; tick: Date } {
  for (;;) {
    const id = randomUUID();
    const phase = rulePhaseMs(id, { evaluationFrequency: "PT1M" });
    const now = Date.now();
    let tick = Math.floor((now - phase) / 60_000) * 60_000 + phase;
    if (tick <= now) tick += 60_000;
    if (tick - now >= fromMs && tick - now <= toMs) return { id, tick: new Date(tick) };
  }
}

beforeAll(async () => {
  const slug = `attempts-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  workspaceId = (await db.workspace.create({ data: { tenantId, name: `ws-${slug}`, kind: "local" } })).id;
  queues = createQueues(redis, prefix, () => undefined);
  worker = await startWorker({
    DATABASE_URL: impatient(databaseUrl),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    RECONCILE_INTERVAL_MS: "2000",
    JOB_LOCK_MS: "3000",
    CATCH_UP_GRACE_MS: "4000",
    // other packages' tests share this database: leave their rules alone
    WORKER_TENANT_IDS: tenantId,
  });
  await untilHealthy(worker);
}, 90_000);

afterAll(async () => {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.tenant.delete({ where: { id: tenantId } }).catch(() => undefined);
  await dropWorkspaceStorage(pool, workspaceId);
  await pool.end();
  await db.$disconnect();
});

describe("the evaluation attempts cap in a live worker", { timeout: 180_000 }, () => {
  it("a tick whose commit keeps failing ends `error` naming why after the cap, and is never enqueued again", async () => {
    const { id, tick } = ruleIdDueIn(15_000, 30_000);
    const rule = logRuleSchema.parse({
      name: `capped-${id.slice(0, 8)}`,
      workspaceIds: [workspaceId],
      query: "AzureDiagnostics | where Category == 'AzureBackupReport'",
      evaluationFrequency: "PT1M",
      windowSize: "PT5M",
      operator: "GreaterThan",
      threshold: 0,
      severity: 2,
    });
    const { name, description, enabled, actionGroupIds: _g, workspaceIds: _w, severity, ...definition } = rule;
    await db.alertRule.create({ data: { id, tenantId, kind: "log", name, description, enabled, severity, frequencySeconds: 60, timeMode: definition.timeMode, definition } });
    await db.alertRuleWorkspace.create({ data: { tenantId, ruleId: id, workspaceId } });
    // what earlier attempts of this tick left behind (their workers died before the commit): the job's own three
    // tries (BullMQ's attempts) then reach the cap within seconds, where the reconcile's doubling backoff alone would
    // take half an hour. startedAt is now, so the reconcile does not owe it meanwhile.
    const earlier = MAX_EVALUATION_ATTEMPTS - 2;
    await db.ruleEvaluation.create({ data: { tenantId, ruleId: id, workspaceId, scheduledFor: tick, startedAt: new Date(), attempts: earlier } });

    const blocker = await pool.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT 1 FROM alert_rule_workspace WHERE "ruleId" = $1 FOR UPDATE`, [id]);
    try {
      await waitFor("job scheduler", async () => (await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))) ?? undefined, 10_000);
      // two tries fail at the commit (attempts 4 and 5), each leaving why; the third finds the cap spent and gives up
      const failing = await waitFor(
        "the last attempt's failure",
        async () => {
          const e = await db.ruleEvaluation.findFirst({ where: { ruleId: id, scheduledFor: tick } });
          return e && e.attempts >= MAX_EVALUATION_ATTEMPTS && e.attemptError ? e : undefined;
        },
        60_000,
        100,
      );
      expect(failing.attemptError).toBe("canceling statement due to lock timeout");
      const given = await waitFor(
        "the give-up",
        async () => (await db.ruleEvaluation.findFirst({ where: { ruleId: id, scheduledFor: tick, finishedAt: { not: null } } })) ?? undefined,
        60_000,
        200,
      );
      const why = `gave up after ${MAX_EVALUATION_ATTEMPTS} attempts: canceling statement due to lock timeout`;
      expect(given).toMatchObject({ outcome: "error", error: why });
      expect(await db.alertRule.findUniqueOrThrow({ where: { id } })).toMatchObject({ consecutiveFailures: 1, lastError: why });

      // a few reconcile rounds later: the tick has no job waiting, delayed or running (one already queued when it gave
      // up drains as a no-op, later on a busy machine), and no further attempt
      await new Promise((r) => setTimeout(r, 7_000));
      const jobsOfTick = async () => {
        const jobs = await queues[JOB.alertsEvaluate].getJobs(["waiting", "delayed", "active", "prioritized"]);
        // the scheduler's job for the tick (`repeat:rule:<id>:<ms>`) or a catch-up job (`tick-<id>-<ms>`)
        return jobs.filter((j) => (j.id ?? "").endsWith(`${id}:${tick.getTime()}`) || j.id === `tick-${id}-${tick.getTime()}`).map((j) => j.id);
      };
      await expect.poll(jobsOfTick, { timeout: 60_000, interval: 500 }).toEqual([]);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await jobsOfTick()).toEqual([]);
      const after = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: id, scheduledFor: tick } });
      expect(after).toMatchObject({ outcome: "error", error: why, finishedAt: given.finishedAt });
      expect(after.attempts).toBe(given.attempts);
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
      await db.alertRule.update({ where: { id }, data: { enabled: false } });
    }
  });
});
