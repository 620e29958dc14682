/**
 * `pnpm bench scheduler [--rules 10000] [--minutes 5] [--workers 1,2] [--concurrency 16]`: enabled one-minute log
 * rules over local workspaces (ingestion mode, the failed-jobs query), evaluated by real worker processes through
 * BullMQ job schedulers, for each worker count in turn. Prints evaluations per minute, lateness (start − scheduled
 * tick) p50/p99/max, ticks missed (owed in the measured minutes but never finished), and capacity: how fast a
 * backlog of `--drain` runs drains with nothing else scheduled. Asserts nothing.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createDb } from "@vaultwatch/db";
import { createQueues, createRedisConnection, JOB } from "@vaultwatch/jobs";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { logRuleSchema, splitRule } from "@vaultwatch/schemas";
import pg from "pg";
import { startWorker, untilHealthy, type WorkerProcess } from "../src/test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench scheduler` (it creates the scratch database)");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const RULES = Number(arg("rules", "10000"));
const MINUTES = Number(arg("minutes", "5"));
const WORKER_COUNTS = arg("workers", "1,2").split(",").map(Number);
const CONCURRENCY = arg("concurrency", "16");
const WORKSPACES = Math.max(1, Math.round(RULES / 100));
const DRAIN = Math.min(RULES, Number(arg("drain", "10000")));

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const query = `AzureDiagnostics
| where Category == "AzureBackupReport" and OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Failed"
| project Resource, BackupItemUniqueId_s, JobUniqueId_g`;

async function setup(db: ReturnType<typeof createDb>, pool: pg.Pool) {
  const tenant = await db.tenant.create({ data: { name: "Bench", slug: `bench-${randomBytes(3).toString("hex")}` } });
  const workspaceIds: string[] = [];
  for (let w = 0; w < WORKSPACES; w++) {
    const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: `ws-${w}`, kind: "local" } });
    workspaceIds.push(ws.id);
    // a little data in each: what a quiet customer's workspace holds between pushes
    const records = Array.from({ length: 20 }, (_, i) => ({
      time: new Date(Date.now() - i * 60_000).toISOString(),
      resourceId: `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-${w}`,
      category: "AzureBackupReport",
      operationName: "Job",
      properties: { SchemaVersion: "V2", JobOperation: "Backup", JobStatus: i % 5 ? "Completed" : "Failed", BackupItemUniqueId: `item-${i}`, JobUniqueId: randomUUID() },
    }));
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, records);
  }
  const parsed = logRuleSchema.parse({
    name: "bench",
    workspaceIds: [workspaceIds[0]!],
    query,
    evaluationFrequency: "PT1M",
    windowSize: "PT5M",
    operator: "GreaterThan",
    threshold: 0,
    severity: 3,
    dimensions: ["BackupItemUniqueId_s"],
    autoResolve: false,
  });
  const { columns, definition } = splitRule({ kind: "log", ...parsed });
  const client = await pool.connect();
  try {
    for (let start = 0; start < RULES; start += 1000) {
      const ids = Array.from({ length: Math.min(1000, RULES - start) }, () => randomUUID());
      await client.query(
        `INSERT INTO alert_rule (id, "tenantId", kind, name, description, enabled, severity, "frequencySeconds", "timeMode", definition, "updatedAt", "createdAt")
         SELECT id, $1::uuid, 'log', 'bench rule ' || (n + $3), $4, $5, $6, 60, 'ingestion', $7::jsonb, now(), now()
           FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [tenant.id, ids, start, columns.description, columns.enabled, columns.severity, JSON.stringify(definition)],
      );
      await client.query(
        `INSERT INTO alert_rule_workspace ("ruleId", "workspaceId", "tenantId")
         SELECT id, ($3::uuid[])[1 + ((n + $2) % array_length($3::uuid[], 1))], $1::uuid FROM unnest($4::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [tenant.id, start, workspaceIds, ids],
      );
    }
  } finally {
    client.release();
  }
}

/** `workers` worker processes on a Redis prefix of their own, healthy (schedules reconciled) before this returns. */
async function startFleet(workers: number, reconcileMs: string) {
  const prefix = `vwbench-${randomBytes(3).toString("hex")}`;
  const env = { DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, EVALUATION_CONCURRENCY: CONCURRENCY, RECONCILE_INTERVAL_MS: reconcileMs };
  const procs: WorkerProcess[] = [];
  for (let i = 0; i < workers; i++) procs.push(await startWorker(env));
  for (const p of procs) {
    await untilHealthy(p, 300_000).catch((e: unknown) => {
      console.error(p.lines.slice(-20).map((l) => JSON.stringify(l)).join("\n"), p.stderr().slice(-2000));
      throw e;
    });
  }
  const redis = createRedisConnection(redisUrl, "producer");
  const queues = createQueues(redis, prefix, () => undefined);
  return {
    queues,
    /** stop the workers, drop the run's Redis keys, and give the next run a clean history and fresh watermarks */
    async stop(pool: pg.Pool, ruleColumns: string) {
      for (const p of procs) p.child.kill("SIGTERM");
      await Promise.all(procs.map((p) => p.exited));
      await queues[JOB.alertsEvaluate].obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await pool.query(`TRUNCATE rule_evaluation`);
      await pool.query(`UPDATE alert_rule_workspace SET watermark = NULL, state = '{}'`);
      await pool.query(`UPDATE alert_rule SET ${ruleColumns}, "lastEvaluatedAt" = NULL, "updatedAt" = now()`);
    },
  };
}

async function runWith(workers: number, pool: pg.Pool) {
  const t0 = Date.now();
  const fleet = await startFleet(workers, "30000");
  const queues = fleet.queues;
  const schedulers = await queues[JOB.alertsEvaluate].getJobSchedulersCount();
  console.log(`  ${workers} worker(s): ${fmt(schedulers)} job schedulers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // warm up two minutes (every rule's first run fires its alerts: a wave heavier than the steady state), then
  // measure whole minutes of ticks
  const warm = Date.now() + 120_000;
  const from = new Date(Math.ceil(warm / 60_000) * 60_000);
  const to = new Date(from.getTime() + MINUTES * 60_000);
  await new Promise((r) => setTimeout(r, to.getTime() - Date.now() + 15_000)); // let the last minute's ticks finish

  const { rows } = await pool.query<{ lateness: number; finished: boolean }>(
    `SELECT extract(epoch FROM ("startedAt" - "scheduledFor")) * 1000 AS lateness, "finishedAt" IS NOT NULL AS finished
       FROM rule_evaluation WHERE "scheduledFor" >= $1 AND "scheduledFor" < $2`,
    [from, to],
  );
  const finished = rows.filter((r) => r.finished);
  const lateness = finished.map((r) => Number(r.lateness)).sort((a, b) => a - b);
  const owed = RULES * MINUTES;
  console.log(
    `  ${workers} worker(s): ${fmt(finished.length / MINUTES)} evaluations/min (owed ${fmt(owed / MINUTES)}/min); ` +
      `lateness p50 ${fmt(pct(lateness, 50))} ms, p99 ${fmt(pct(lateness, 99))} ms, max ${fmt(lateness.at(-1) ?? NaN)} ms; ` +
      `ticks missed ${fmt(owed - finished.length)} of ${fmt(owed)}; unfinished ${fmt(rows.length - finished.length)}`,
  );
  const failedJobs = await queues[JOB.alertsEvaluate].getFailed(0, 2);
  for (const j of failedJobs) console.log(`  failed job ${j.id}: ${j.failedReason}`);
  await fleet.stop(pool, `version = version + 1`);
}

/**
 * Capacity: how fast `workers` processes drain a backlog of evaluations when nothing else is scheduled (the rules
 * are set to one tick a day for this phase, then back to one a minute).
 */
async function capacity(workers: number, pool: pg.Pool) {
  await pool.query(`UPDATE alert_rule SET "frequencySeconds" = 86400, version = version + 1`);
  const fleet = await startFleet(workers, "600000");
  const queues = fleet.queues;
  const ruleIds = (await pool.query<{ id: string }>(`SELECT id::text FROM alert_rule LIMIT $1`, [DRAIN])).rows.map((r) => r.id);
  const drain = async (tick: Date) => {
    const t0 = Date.now();
    for (let i = 0; i < ruleIds.length; i += 1000) {
      await queues[JOB.alertsEvaluate].addBulk(
        ruleIds.slice(i, i + 1000).map((ruleId) => ({ name: JOB.alertsEvaluate, data: { ruleId, scheduledFor: tick.toISOString() }, opts: { removeOnComplete: true } })),
      );
    }
    for (;;) {
      const c = await queues[JOB.alertsEvaluate].getJobCounts("waiting", "active");
      if ((c.waiting ?? 0) + (c.active ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (Date.now() - t0) / 1000;
  };
  // each rule's first run fires on the workspace's failed jobs (alerts, outbox); the steady state is the runs after it
  const firstSeconds = await drain(new Date(Date.UTC(2026, 0, 1)));
  console.log(`  ${workers} worker(s): first runs (each fires its alerts) ${fmt((ruleIds.length / firstSeconds) * 60)} evaluations/min`);
  const seconds = await drain(new Date(Date.UTC(2026, 0, 1, 0, 1)));
  console.log(`  ${workers} worker(s): capacity ${fmt((ruleIds.length / seconds) * 60)} evaluations/min (${fmt(ruleIds.length)} runs drained in ${seconds.toFixed(1)} s)`);
  await fleet.stop(pool, `"frequencySeconds" = 60, version = version + 1`);
}

async function main() {
  const db = createDb(databaseUrl!, { max: 2 });
  const pool = new pg.Pool({ connectionString: databaseUrl!, max: 4 });
  const t0 = Date.now();
  await setup(db, pool);
  console.log(`scheduler bench: ${fmt(RULES)} one-minute rules over ${WORKSPACES} local workspaces (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s), ${MINUTES} measured minutes, concurrency ${CONCURRENCY} per worker`);
  for (const workers of WORKER_COUNTS) {
    await capacity(workers, pool);
    await runWith(workers, pool);
  }
  await pool.end();
  await db.$disconnect();
}

await main();
