// The alert engine in the real worker process, against real Postgres (behind a TCP proxy we can take down) and
// Redis: rules evaluated at their ticks, activity events judged on arrival, and the three faults the engine must
// survive: Redis losing its data, a worker killed mid-evaluation, and Postgres going away for a while.
import { randomBytes, randomUUID } from "node:crypto";
import { rulePhaseMs } from "@vaultwatch/alerting";
import { createDb } from "@vaultwatch/db";
import { createQueues, createRedisConnection, enqueueActivity, JOB, ruleSchedulerId, type Queues } from "@vaultwatch/jobs";
import { dropWorkspaceStorage, ingestRecords, ingestTableRows } from "@vaultwatch/local-workspace";
import { activityRuleSchema, logRuleSchema, type LogRuleInput } from "@vaultwatch/schemas";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresProxy, startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-alerting-${randomBytes(4).toString("hex")}`;
const dbUrl = new URL(databaseUrl);

const db = createDb(databaseUrl, { max: 4 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const redis = createRedisConnection(redisUrl, "producer");
let queues: Queues;
let proxy: Awaited<ReturnType<typeof postgresProxy>>;
let worker: WorkerProcess;
let tenantId: string;

const vault = `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-worker`;
const failedQuery = `AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | project BackupItemUniqueId_s, JobUniqueId_g`;

function failedJob(item: string) {
  return {
    time: new Date().toISOString(),
    resourceId: vault,
    category: "AzureBackupReport",
    operationName: "Job",
    properties: { SchemaVersion: "V2", JobOperation: "Backup", JobStatus: "Failed", BackupItemUniqueId: item, JobUniqueId: randomUUID() },
  };
}

function workerEnv(): Record<string, string> {
  const viaProxy = new URL(databaseUrl!);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  return {
    DATABASE_URL: viaProxy.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    RECONCILE_INTERVAL_MS: "2000",
    JOB_LOCK_MS: "3000",
    EVALUATION_CONCURRENCY: "4",
    CATCH_UP_GRACE_MS: "4000",
    // other packages' tests share this database: leave their rules alone
    WORKER_TENANT_IDS: tenantId,
  };
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

const workspaces: string[] = [];
/** Each test reads its own workspace: a new rule's first run looks back one window, and must not see another test's rows. */
async function newWorkspace(): Promise<string> {
  const id = (await db.workspace.create({ data: { tenantId, name: `ws-${randomBytes(3).toString("hex")}`, kind: "local" } })).id;
  workspaces.push(id);
  return id;
}

async function makeLogRule(id: string, workspaceId: string, input: Partial<LogRuleInput> = {}, since?: Date) {
  const rule = logRuleSchema.parse({
    name: `worker-${id.slice(0, 8)}`,
    workspaceIds: [workspaceId],
    query: failedQuery,
    evaluationFrequency: "PT1M",
    windowSize: "PT5M",
    operator: "GreaterThan",
    threshold: 0,
    severity: 1,
    dimensions: ["BackupItemUniqueId_s"],
    ...input,
  });
  const { name, description, enabled, actionGroupIds: _g, workspaceIds, severity, ...definition } = rule;
  // `since`: a rule saved (and not evaluated) since then, whose ticks the reconcile finds owed
  const times = since ? { createdAt: since, updatedAt: since } : {};
  await db.alertRule.create({ data: { id, tenantId, kind: "log", name, description, enabled, severity, frequencySeconds: 60, timeMode: definition.timeMode, definition, ...times } });
  await db.alertRuleWorkspace.createMany({ data: workspaceIds.map((w) => ({ tenantId, ruleId: id, workspaceId: w })) });
}

const finishedEvaluation = (ruleId: string, tick: Date) =>
  waitFor(
    `evaluation of ${ruleId} at ${tick.toISOString()}`,
    async () => (await db.ruleEvaluation.findFirst({ where: { ruleId, scheduledFor: tick, finishedAt: { not: null } } })) ?? undefined,
    // a restarted worker recovers the killed one's stalled job first; with the whole suite beside it that took over 40 s
    90_000,
    200,
  );

beforeAll(async () => {
  proxy = await postgresProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  const slug = `worker-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  queues = createQueues(redis, prefix, () => undefined);
  worker = await startWorker(workerEnv());
  await untilHealthy(worker);
}, 60_000);

afterAll(async () => {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.tenant.delete({ where: { id: tenantId } }).catch(() => undefined);
  for (const id of workspaces) await dropWorkspaceStorage(pool, id);
  await pool.end();
  await db.$disconnect();
  await proxy.close();
});

describe("alert engine in the worker", { timeout: 180_000 }, () => {
  it("schedules a new rule from Postgres and evaluates it at its tick, firing once per failing item", async () => {
    const workspaceId = await newWorkspace();
    await ingestRecords(pool, { tenantId, workspaceId }, [failedJob("item-1"), failedJob("item-2")]);
    const { id, tick } = ruleIdDueIn(6_000, 12_000);
    await makeLogRule(id, workspaceId);
    // the reconcile loop (every 2 s here) creates the job scheduler
    await waitFor("job scheduler", async () => (await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))) ?? undefined, 10_000);
    const evaluation = await finishedEvaluation(id, tick);
    expect(evaluation).toMatchObject({ outcome: "fired", rowsSeen: 2 });
    // run by its scheduled job, not found later by the catch-up: generous, since this asserts behaviour, not speed
    expect(evaluation.startedAt.getTime() - tick.getTime()).toBeLessThan(15_000);
    expect(await db.alert.count({ where: { ruleId: id } })).toBe(2);
  });

  it("judges an activity event as it arrives, and one whose request was lost through the sweep", async () => {
    const rule = activityRuleSchema.parse({
      name: `vault-deleted-${randomBytes(3).toString("hex")}`,
      condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
    });
    const { name, description, enabled, actionGroupIds: _g, ...definition } = rule;
    const workspaceId = await newWorkspace();
    const created = await db.alertRule.create({ data: { tenantId, kind: "activity", name, description, enabled, severity: 4, definition } });
    const event = (eventDataId: string) => ({
      time: new Date().toISOString(),
      resourceId: vault.toUpperCase(),
      operationName: "MICROSOFT.RECOVERYSERVICES/VAULTS/DELETE",
      category: "Administrative",
      resultType: "Success",
      level: "Informational",
      correlationId: randomUUID(),
      properties: { eventDataId },
    });
    await ingestRecords(pool, { tenantId, workspaceId }, [event(randomUUID())]);
    await enqueueActivity(queues, workspaceId); // what the ingest route does after its commit
    await waitFor("activity alert", async () => ((await db.alert.count({ where: { ruleId: created.id } })) === 1 ? true : undefined), 10_000, 50);

    await ingestRecords(pool, { tenantId, workspaceId }, [event(randomUUID())]); // no request: the sweep finds it
    await waitFor("swept activity alert", async () => ((await db.alert.count({ where: { ruleId: created.id } })) === 2 ? true : undefined), 20_000, 200);
    expect(await db.activityEvent.count({ where: { workspaceId, evaluatedAt: null } })).toBe(0);
  });

  it("rebuilds every schedule within one reconcile interval after Redis loses its data", async () => {
    const workspaceId = await newWorkspace();
    const { id, tick } = ruleIdDueIn(8_000, 14_000);
    await makeLogRule(id, workspaceId);
    await waitFor("job scheduler", async () => (await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))) ?? undefined, 10_000);
    // FLUSHALL, for this installation only (other test runs share this Redis)
    const keys = await redis.keys(`${prefix}:*`);
    await redis.del(...keys);
    expect(await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))).toBeUndefined();
    const lost = Date.now();
    await waitFor("job scheduler rebuilt", async () => (await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))) ?? undefined, 10_000);
    // one reconcile interval (2 s here), plus the round itself on a busy CI machine (waitFor above gives up at 10 s)
    expect(Date.now() - lost).toBeLessThan(10_000);
    await ingestRecords(pool, { tenantId, workspaceId }, [failedJob("item-3")]);
    expect(await finishedEvaluation(id, tick)).toMatchObject({ outcome: "fired" });
  });

  it("a worker killed mid-evaluation leaves a run that the next worker completes, without a duplicate alert", async () => {
    const workspaceId = await newWorkspace();
    const { id, tick } = ruleIdDueIn(8_000, 14_000);
    await makeLogRule(id, workspaceId);
    await ingestRecords(pool, { tenantId, workspaceId }, [failedJob("item-4")]);
    // hold the rule's lock so its evaluation stops between its claim and its commit
    const blocker = await pool.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT 1 FROM alert_rule_workspace WHERE "ruleId" = $1 FOR UPDATE`, [id]);
    await waitFor("claimed run", async () => (await db.ruleEvaluation.findFirst({ where: { ruleId: id, scheduledFor: tick, finishedAt: null } })) ?? undefined, 30_000, 100);
    await new Promise((r) => setTimeout(r, 300));
    worker.child.kill("SIGKILL");
    await worker.exited;
    await blocker.query("ROLLBACK");
    blocker.release();

    worker = await startWorker(workerEnv());
    await untilHealthy(worker);
    expect(await finishedEvaluation(id, tick)).toMatchObject({ outcome: "fired", rowsSeen: 1, error: null });
    const alerts = await db.alert.findMany({ where: { ruleId: id }, include: { events: true } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.events).toHaveLength(1);
  });

  it("a query that fails only when it runs: each tick finishes as error, the rule is failing after 3 with the platform alert, nothing is retried", async () => {
    const workspaceId = await newWorkspace();
    // valid KQL that passes a save, but overflows a long on this row's value when it runs (Kusto would wrap around)
    // the overflow needs a row in each tick's window: one a minute over the last ten minutes
    const minutes = Array.from({ length: 10 }, (_, i) => ({ TimeGenerated: new Date(Date.now() - (i + 1) * 60_000), V: 3.5 }));
    await ingestTableRows(pool, workspaceId, "VaultMetrics_CL", minutes, {
      columnType: { TimeGenerated: "datetime", V: "real" },
    });
    const id = randomUUID();
    // saved five minutes ago in event mode: the reconcile owes its four or five ticks since and runs each as a job
    await makeLogRule(id, workspaceId, { query: "VaultMetrics_CL | extend m = tolong(V) * 4611686018427387904", timeMode: "event", dimensions: [] }, new Date(Date.now() - 300_000));
    const rule = await waitFor(
      "three failed ticks",
      async () => {
        const r = await db.alertRule.findUniqueOrThrow({ where: { id } });
        return r.consecutiveFailures >= 3 ? r : undefined;
      },
      30_000,
      200,
    );
    expect(rule.lastError).toBe(
      "a value outside its type's range (an arithmetic overflow, or a number too large for the type it is converted to) is not supported by local workspaces",
    );
    const health = await db.alert.findMany({ where: { ruleId: id, signalType: "Platform" } });
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ monitorCondition: "fired" });
    expect(health[0]!.description).toContain("a value outside its type's range");

    // two reconcile rounds later: every tick finished once, and the queue holds nothing failed or retried for the rule
    await new Promise((r) => setTimeout(r, 4_500));
    const evaluations = await db.ruleEvaluation.findMany({ where: { ruleId: id } });
    expect(evaluations.length).toBeGreaterThanOrEqual(3);
    for (const e of evaluations) {
      if (!e.finishedAt) continue; // the scheduler's own tick may be running right now
      expect(e).toMatchObject({ outcome: "error", attempts: 1 });
    }
    const jobs = (await queues[JOB.alertsEvaluate].getJobs(["failed", "wait", "delayed", "active", "completed", "prioritized"])).filter(
      (j) => (j.data as { ruleId?: string }).ruleId === id,
    );
    expect(jobs.filter((j) => j.failedReason)).toEqual([]);
    // each job ran once (a job that throws would be retried, then re-enqueued by the reconcile)
    expect(jobs.map((j) => j.attemptsMade).filter((n) => n > 1)).toEqual([]);
  });

  it("when Postgres goes away over a tick, the tick is caught up once it is back, and the worker stays up", async () => {
    const workspaceId = await newWorkspace();
    const { id, tick } = ruleIdDueIn(8_000, 14_000);
    await makeLogRule(id, workspaceId);
    await ingestRecords(pool, { tenantId, workspaceId }, [failedJob("item-5")]);
    await waitFor("job scheduler", async () => (await queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(id))) ?? undefined, 10_000);
    await new Promise((r) => setTimeout(r, Math.max(0, tick.getTime() - Date.now() - 2_000)));
    proxy.down();
    // down through the tick and the job's retries (5 s, then 10 s)
    await new Promise((r) => setTimeout(r, Math.max(0, tick.getTime() - Date.now()) + 18_000));
    expect(await db.ruleEvaluation.count({ where: { ruleId: id, finishedAt: { not: null } } })).toBe(0);
    proxy.up();
    expect(await finishedEvaluation(id, tick)).toMatchObject({ outcome: "fired", rowsSeen: 1, error: null });
    expect(await db.alert.count({ where: { ruleId: id } })).toBe(1);
    await untilHealthy(worker);
    expect(worker.child.exitCode).toBeNull();
  });
});
