// The worker process: BullMQ workers + schedules, a /health endpoint, and an ordered shutdown on SIGTERM/SIGINT.
import { createServer, type Server } from "node:http";
import { azureRunnerFrom } from "@vaultwatch/azure";
import { createDb, createPgPool, decryptSecret, parseEncryptionKey } from "@vaultwatch/db";
import { evaluateActivityEvents, evaluateLogTick, localWorkspaceRunner, workspaceRunners, type TickResult } from "@vaultwatch/evaluator";
import {
  createQueues,
  createRedisConnection,
  enqueueDeliveries,
  HEARTBEAT_KEY,
  JOB,
  startWorkers,
  upsertSchedules,
} from "@vaultwatch/jobs";
import { cachedUnseal, closeHttpAgents, deliver, membersWithRole, sendToReceiver, startNotifyLoops, type ChannelContext } from "@vaultwatch/notify";
import { channelConfig } from "@vaultwatch/notify/channel-config";
import { compilePool, configureCompilePool } from "@vaultwatch/local-workspace";
import { startActivityPollLoop } from "./activity-poll-loop";
import { startArchivePollLoop } from "./archive-poll-loop";
import { startDiscoveryLoop } from "./discovery-loop";
import { startAlertLoops } from "./alert-loops";
import { startSummaryLoop } from "./summary-loop";
import { startUpkeepLoop } from "./upkeep";
import { EnvError, loadEnv } from "./env";
import { describeError, log } from "./log";

const HEARTBEAT_EVERY_MS = 60_000;
const WORKER_CLOSE_TIMEOUT_MS = 10_000;
const CHECK_TIMEOUT_MS = 2_000;

function readEnv() {
  try {
    return loadEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      for (const line of e.lines) process.stderr.write(`error: ${line}\n`);
      process.exit(1);
    }
    throw e;
  }
}
const env = readEnv();
if (env.KQL_COMPILE_THREADS) configureCompilePool({ threads: env.KQL_COMPILE_THREADS });

// Prisma for the loops' light reads; plain pg for evaluations (see packages/evaluator/src/sql.ts), each of which holds
// one connection at a time (claim, watermark, query, then its transaction)
const db = createDb(env.DATABASE_URL, { max: 3 });
const pgPool = createPgPool(env.DATABASE_URL, { max: env.EVALUATION_CONCURRENCY + 4, label: "worker pg pool" });
pgPool.on("error", (e) => log("error", "postgres pool error", describeError(e)));
const encryptionKey = parseEncryptionKey(env.ENCRYPTION_KEY);
// one Azure runner for everything this process queries: Log Analytics' per-identity limit is counted in it
const azureRunner = azureRunnerFrom(pgPool, encryptionKey);
const evaluator = {
  pool: pgPool,
  runner: workspaceRunners({ local: localWorkspaceRunner(pgPool), azure: azureRunner }),
};
// the Overview's summaries read up to 14 days per workspace: a pool of their own, so they never hold up an evaluation
const summaryPool = createPgPool(env.DATABASE_URL, { max: 2 * env.SUMMARY_CONCURRENCY + 1, label: "summary pg pool" });
summaryPool.on("error", (e) => log("error", "postgres pool error", describeError(e)));
const summaryRunner = workspaceRunners({ local: localWorkspaceRunner(summaryPool), azure: azureRunner });
// activity-log polls store their events in one ingest transaction each: a pool of their own, as the summaries have
const activityPool = createPgPool(env.DATABASE_URL, { max: env.ACTIVITY_POLL_CONCURRENCY + 1, label: "activity poll pg pool" });
activityPool.on("error", (e) => log("error", "postgres pool error", describeError(e)));
// storage-archive reads ingest a chunk per transaction (its cursor moves in it): a pool of their own as well
const archivePool = createPgPool(env.DATABASE_URL, { max: env.ARCHIVE_POLL_CONCURRENCY + 1, label: "archive poll pg pool" });
archivePool.on("error", (e) => log("error", "postgres pool error", describeError(e)));
const producer = createRedisConnection(env.REDIS_URL, "producer");
const workerConnection = createRedisConnection(env.REDIS_URL, "worker");
producer.on("error", (e) => log("error", "redis producer connection error", describeError(e)));
workerConnection.on("error", (e) => log("error", "redis worker connection error", describeError(e)));

function withPgOptions(url: string, options: string): string {
  const u = new URL(url);
  u.searchParams.set("options", [u.searchParams.get("options"), options].filter(Boolean).join(" "));
  return u.toString();
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref())]);

const pingDb = async () => {
  await db.$queryRaw`SELECT 1`;
};

async function check(fn: () => Promise<unknown>, what: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), CHECK_TIMEOUT_MS, what);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: describeError(e).error };
  }
}

const queues = createQueues(producer, env.REDIS_PREFIX, (name, e) => log("error", "queue error", { queue: name, ...describeError(e) }));

// notifications: their own small pool (a delivery holds a connection only to claim, read and finish, never while sending)
// Its commits (claim, finish) do not wait for the WAL flush: if Postgres itself crashed, the last few hundred ms of
// claims and outcomes could be lost, and those deliveries would be sent again with the same X-Vaultwatch-Delivery,
// the case the idempotency key exists for. The drain (the loop pool) keeps synchronous commits: a delivery's id must
// never change once its job may have run.
// Every statement on this pool finds its rows by key, and the claim and finish statements are prepared: a plan made
// while the delivery table was still small (a new installation, the benchmark) read the whole table for each batch
// until autovacuum analysed it. With sequential scans priced out, every cached plan uses the keys.
const notifyPool = createPgPool(withPgOptions(env.DATABASE_URL, "-c synchronous_commit=off -c enable_seqscan=off"), {
  max: Math.min(24, 4 + Math.ceil(env.NOTIFY_CONCURRENCY / 2)),
  label: "notify pg pool",
});
// the drain and sweep have connections of their own: a backlog of deliveries must not make the next alert wait to be drained
const notifyLoopPool = createPgPool(env.DATABASE_URL, { max: 3, label: "notify loop pg pool" });
// every delivery opens its receiver's secrets: an opened one is kept a minute, keyed by its sealed text
const unseal = cachedUnseal((sealed: string) => decryptSecret(sealed, encryptionKey));
const channel: ChannelContext = {
  ...channelConfig(env),
  timeoutMs: env.NOTIFY_TIMEOUT_MS,
  membersWithRole: (tenantId, role) => membersWithRole(notifyPool, tenantId, role),
};
const scheduleDeliveries = (deliveries: readonly { deliveryId: string; at: Date }[]) => enqueueDeliveries(queues, deliveries);
const notifier = {
  deliver: (deliveryId: string) =>
    deliver({ pool: notifyPool, send: sendToReceiver, channel, unseal, appUrl: env.APP_URL, schedule: scheduleDeliveries, log }, deliveryId),
};
const workers = startWorkers(
  {
    redis: workerConnection,
    prefix: env.REDIS_PREFIX,
    pingDb,
    alerts: {
      evaluateTick: async (ruleId, scheduledFor) => logFiring(await evaluateLogTick(evaluator, ruleId, scheduledFor)),
      evaluateActivity: (workspaceId) => evaluateActivityEvents(pgPool, workspaceId),
    },
    notifier,
  },
  {
    onError: (name, e) => log("error", "worker error", { queue: name, ...describeError(e) }),
    onFailed: (name, jobId, e) => log("warn", "job failed", { queue: name, jobId, ...describeError(e) }),
  },
  {
    concurrencyOf: { [JOB.alertsEvaluate]: env.EVALUATION_CONCURRENCY, [JOB.alertsActivity]: 4, [JOB.notifyDeliver]: env.NOTIFY_CONCURRENCY },
    lockDurationMs: env.JOB_LOCK_MS,
  },
);

/** Evaluations are too many to log each one; transitions and errors are worth a line. */
function logFiring(result: TickResult): TickResult {
  if (result.status !== "evaluated") return result;
  for (const w of result.workspaces) {
    if (w.outcome === "fired" || w.outcome === "resolved" || w.outcome === "error")
      log(w.outcome === "error" ? "warn" : "info", `evaluation ${w.outcome}`, {
        ruleId: result.ruleId,
        workspaceId: w.workspaceId,
        scheduledFor: result.scheduledFor.toISOString(),
        fired: w.fired,
        resolved: w.resolved,
        ...(w.error ? { error: w.error } : {}),
      });
  }
  return result;
}
let loops: ReturnType<typeof startAlertLoops> | undefined;
let notifyLoops: ReturnType<typeof startNotifyLoops> | undefined;
let summaryLoop: ReturnType<typeof startSummaryLoop> | undefined;
let upkeepLoop: ReturnType<typeof startUpkeepLoop> | undefined;
let activityPollLoop: ReturnType<typeof startActivityPollLoop> | undefined;
let archivePollLoop: ReturnType<typeof startArchivePollLoop> | undefined;
let discoveryLoop: ReturnType<typeof startDiscoveryLoop> | undefined;

let shuttingDown = false;
const server: Server = createServer((req, res) => {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/health") {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    return;
  }
  void (async () => {
    const [redis, postgres] = await Promise.all([check(() => producer.ping(), "redis ping"), check(pingDb, "postgres")]);
    const lastHeartbeat = redis.ok ? await producer.get(HEARTBEAT_KEY(env.REDIS_PREFIX)).catch(() => null) : null;
    const healthy = redis.ok && postgres.ok && !shuttingDown;
    res.writeHead(healthy ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(
      JSON.stringify({
        status: healthy ? "ok" : shuttingDown ? "shutting-down" : "degraded",
        redis,
        postgres,
        workers: workers.map((w) => ({ queue: w.name, running: w.isRunning() })),
        lastHeartbeat: lastHeartbeat ? (JSON.parse(lastHeartbeat) as unknown) : null,
      }),
    );
  })().catch((e: unknown) => {
    log("error", "health check failed", describeError(e));
    if (!res.headersSent) res.writeHead(503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "error" }));
  });
});
server.on("error", (e) => {
  log("error", "health server error", describeError(e));
  void shutdown("health-server-error", 1);
});

async function shutdown(signal: string, code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log("info", "shutdown: started", { signal });
  const step = async (name: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      log("info", `shutdown: ${name}`);
    } catch (e) {
      code = 1;
      log("error", `shutdown: ${name} failed`, describeError(e));
    }
  };
  // 1. stop accepting: no new health probes (the orchestrator sees us going)
  await step("http closed", () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  loops?.stop();
  await step("notify loops stopped", async () => notifyLoops?.stop());
  await step("summary refresh stopped", async () => summaryLoop?.stop());
  await step("upkeep stopped", async () => upkeepLoop?.stop());
  await step("activity polling stopped", async () => activityPollLoop?.stop());
  await step("archive polling stopped", async () => archivePollLoop?.stop());
  await step("vault discovery stopped", async () => discoveryLoop?.stop());
  // 2. workers: let running jobs finish, then force after a timeout (a forced job is retried by another worker)
  await step("workers closed", async () => {
    try {
      await withTimeout(Promise.all(workers.map((w) => w.close())), WORKER_CLOSE_TIMEOUT_MS, "closing workers");
    } catch {
      log("warn", "shutdown: running jobs did not finish in time; forcing");
      await Promise.all(workers.map((w) => w.close(true)));
    }
  });
  await step("notification connections closed", () => closeHttpAgents());
  // 3. queues, 4. Redis, 5. Postgres
  await step("queues closed", () => queues.close());
  await step("redis quit", () => Promise.all([producer.quit(), workerConnection.quit()]));
  await step("prisma disconnected", () => Promise.all([db.$disconnect(), pgPool.end(), notifyPool.end(), notifyLoopPool.end(), summaryPool.end(), activityPool.end(), archivePool.end()]));
  log("info", "shutdown: complete", { code });
  process.exit(code);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

async function start() {
  await withTimeout(pingDb(), 15_000, "connecting to postgres");
  await withTimeout(producer.ping(), 15_000, "connecting to redis");
  await upsertSchedules(queues, { heartbeatEveryMs: HEARTBEAT_EVERY_MS });
  loops = startAlertLoops({ db, pool: pgPool, queues, redis: producer, prefix: env.REDIS_PREFIX, reconcileEveryMs: env.RECONCILE_INTERVAL_MS, catchUpGraceMs: env.CATCH_UP_GRACE_MS, ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}) });
  await loops.ready;
  notifyLoops = startNotifyLoops({
    pool: notifyLoopPool,
    databaseUrl: env.DATABASE_URL,
    unseal,
    schedule: scheduleDeliveries,
    log,
    ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}),
    // the platform's own deliveries (its groups' digests and channel alerts) belong to no tenant: every worker sweeps them
    sweepPlatform: true,
  });
  await notifyLoops.ready;
  // retention is the whole installation's business: every worker, scoped or not, offers; one claims each round
  upkeepLoop = startUpkeepLoop({ pool: notifyLoopPool, log, everyMs: env.RETENTION_INTERVAL_SECONDS * 1000 });
  summaryLoop = startSummaryLoop({
    pool: summaryPool,
    runner: summaryRunner,
    intervalMs: env.SUMMARY_REFRESH_SECONDS * 1000,
    concurrency: env.SUMMARY_CONCURRENCY,
    ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}),
  });
  activityPollLoop = startActivityPollLoop({
    pool: activityPool,
    queues,
    encryptionKey,
    intervalMs: env.ACTIVITY_POLL_SECONDS * 1000,
    concurrency: env.ACTIVITY_POLL_CONCURRENCY,
    ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}),
  });
  archivePollLoop = startArchivePollLoop({
    pool: archivePool,
    queues,
    encryptionKey,
    intervalMs: env.ARCHIVE_POLL_SECONDS * 1000,
    concurrency: env.ARCHIVE_POLL_CONCURRENCY,
    ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}),
  });
  discoveryLoop = startDiscoveryLoop({
    db,
    encryptionKey,
    intervalMs: env.DISCOVERY_INTERVAL_SECONDS * 1000,
    concurrency: env.DISCOVERY_CONCURRENCY,
    ...(env.WORKER_TENANT_IDS ? { tenantIds: env.WORKER_TENANT_IDS } : {}),
  });
  await new Promise<void>((resolve) => server.listen(env.WORKER_HEALTH_PORT, resolve));
  log("info", "worker started", {
    healthPort: env.WORKER_HEALTH_PORT,
    prefix: env.REDIS_PREFIX,
    queues: workers.map((w) => w.name),
    compileThreads: compilePool().threadLimit,
  });
}

start().catch((e: unknown) => {
  log("error", "worker failed to start", describeError(e));
  void shutdown("startup-failure", 1);
});
