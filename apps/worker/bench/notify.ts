/**
 * `pnpm bench notify [--alerts 10000] [--rate 200] [--tenants 10] [--concurrency N]`: alerts fired by recordTransition
 * (as evaluations fire them) fanning out to three webhook receivers each, on a local sink, delivered by a real worker
 * process. Prints deliveries per second, p50/p99 from the transition's commit to the sink receiving the request, and
 * the worker's peak RSS. `--rate 0` fires as fast as it can (a burst); `--profile DIR` writes the worker's CPU profile.
 * Asserts nothing.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, createPgPool, encryptSecret } from "@vaultwatch/db";
import { inTransaction, recordTransition } from "@vaultwatch/evaluator";
import { createRedisConnection } from "@vaultwatch/jobs";
import { logRuleSchema, receiverSchema, sealReceivers, splitRule } from "@vaultwatch/schemas";
import { workerEnvSchema } from "../src/env-schema";
import { startWorker, untilHealthy } from "../src/test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench notify` (it creates the scratch database)");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};
const ALERTS = arg("alerts", "10000");
const RATE = arg("rate", "200");
const TENANTS = arg("tenants", "10");
// the worker's own default unless asked otherwise
const CONCURRENCY = arg("concurrency", String(workerEnvSchema.NOTIFY_CONCURRENCY.parse(undefined)));
const RECEIVERS = 3;
/** `--profile DIR`: the worker writes a V8 CPU profile there when it stops */
const profileDir = process.argv.includes("--profile") ? process.argv[process.argv.indexOf("--profile") + 1] : undefined;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const db = createDb(databaseUrl, { max: 2 });
// named, so its backends (the transitions this bench records) are told apart from the worker's
const BENCH_APP = "vw-bench-notify";
const pool = createPgPool(databaseUrl, { max: 8, applicationName: BENCH_APP });
const key = randomBytes(32);
const prefix = `vwbench-notify-${Date.now().toString(36)}`;

// the sink: one request per delivery, remembered by its delivery id
const receivedAt = new Map<string, number>();
let requests = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    requests++;
    const id = req.headers["x-vaultwatch-delivery"];
    if (typeof id === "string" && !receivedAt.has(id)) receivedAt.set(id, Date.now());
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
sink.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

type Rule = { id: string; tenantId: string; severity: number };
const rules: Rule[] = [];
for (let t = 0; t < TENANTS; t++) {
  const tenant = await db.tenant.create({ data: { name: `Bench ${t}`, slug: `bench-${t}-${Date.now()}` } });
  const receivers = Array.from({ length: RECEIVERS }, (_, i) => receiverSchema.parse({ type: "webhook", name: `sink-${i}`, url: `${base}/t${t}/r${i}?code=tok${i}` }));
  const group = await db.actionGroup.create({ data: { tenantId: tenant.id, name: "sink", receivers: sealReceivers(receivers, (p) => encryptSecret(p, key)) as object[] } });
  const parsed = logRuleSchema.parse({
    name: `bench rule ${t}`,
    workspaceIds: [randomUUID()],
    query: "AzureDiagnostics",
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    operator: "GreaterThan",
    threshold: 0,
    severity: 1,
  });
  const { columns, definition } = splitRule({ kind: "log", ...parsed });
  const rule = await db.alertRule.create({ data: { tenantId: tenant.id, ...columns, enabled: false, definition } });
  await db.alertRuleActionGroup.create({ data: { tenantId: tenant.id, ruleId: rule.id, actionGroupId: group.id } });
  rules.push({ id: rule.id, tenantId: tenant.id, severity: 1 });
}

const worker = await startWorker({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: prefix,
  ENCRYPTION_KEY: key.toString("base64"),
  NOTIFY_ALLOW_PRIVATE_NETWORKS: "true",
  NOTIFY_CONCURRENCY: String(CONCURRENCY),
  NODE_ENV: "production",
}, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
await untilHealthy(worker, 60_000);
/** CPU seconds (user + system) a process has used, from /proc (Linux). */
const cpuSeconds = (pid: number | undefined) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
};
/** The Postgres backends serving this database (the worker's pools, the listener, the bench's own), by pid. */
const backends = async () =>
  (await pool.query<{ pid: number; app: string }>(`SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = current_database()`)).rows;
const backendsCpu = async () => new Map((await backends()).map((b) => [b.pid, { cpu: cpuSeconds(b.pid) || 0, bench: b.app === BENCH_APP }]));
const peakRssMb = () => {
  try {
    const m = readFileSync(`/proc/${worker.child.pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
};

const workerCpu0 = cpuSeconds(worker.child.pid);
const pgCpu0 = await backendsCpu();
// each backend's CPU as last seen, sampled every second: one that closes meanwhile (a pool's idle timeout) still counts
const pgCpuSeen = new Map(pgCpu0);
const sampleBackends = async () => {
  for (const [pid, b] of await backendsCpu()) if (b.cpu > 0) pgCpuSeen.set(pid, b);
};
const sampler = setInterval(() => void sampleBackends().catch(() => undefined), 1_000);

// fire: `RATE` alerts a second (0: as fast as 8 connections go), each in its own transaction like an evaluation
const committedAt = new Map<string, number>();
const started = Date.now();
let next = 0;
const producers = Array.from({ length: 8 }, async () => {
  for (;;) {
    const i = next++;
    if (i >= ALERTS) return;
    if (RATE > 0) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const rule = rules[i % rules.length]!;
    const at = new Date();
    const result = await inTransaction(pool, (sql) =>
      recordTransition(sql, {
        tenantId: rule.tenantId,
        ruleId: rule.id,
        fingerprint: `fp-${i}`,
        transition: "Fired",
        at,
        dimensions: [{ name: "Resource", value: `RSV-${i % 50}` }],
        severity: rule.severity,
        signalType: "Log",
        measuredValue: 1,
        threshold: 0,
        window: { start: new Date(at.getTime() - 300_000), end: at },
        snapshot: { rows: [{ Resource: `RSV-${i % 50}`, JobStatus_s: "Failed" }], totalRows: 1, omittedRows: 0 },
      }),
    );
    committedAt.set(result!.eventId, Date.now());
  }
});
await Promise.all(producers);
const firedIn = Date.now() - started;
const expected = ALERTS * RECEIVERS;
// a loaded machine may deliver slowly: wait up to 20 ms a delivery (10 minutes for the default 30,000)
const deadline = Date.now() + Math.max(300_000, expected * 20);
while (receivedAt.size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const rss = peakRssMb();
const workerCpu = cpuSeconds(worker.child.pid) - workerCpu0;
clearInterval(sampler);
await sampleBackends();
// a backend that came and went between two samples is missed
const pgCpu = { worker: 0, bench: 0 };
for (const [pid, b] of pgCpuSeen) pgCpu[b.bench ? "bench" : "worker"] += b.cpu - (pgCpu0.get(pid)?.cpu ?? 0);

const rows = await pool.query<{ id: string; alertEventId: string; drainedAt: Date; startedAt: Date | null }>(
  // grouped once and joined: a min() per delivery was planned as a walk of the startedAt index for each (minutes at 30,000)
  `SELECT d.id::text, d."alertEventId"::text, d."createdAt" AS "drainedAt", a."startedAt"
     FROM notification_delivery d
     LEFT JOIN (SELECT "deliveryId", min("startedAt") AS "startedAt" FROM notification_attempt GROUP BY "deliveryId") a ON a."deliveryId" = d.id`,
);
// where the time goes: commit → drained into a delivery → its job starts sending → the sink has it
const toDrain: number[] = [];
const toSend: number[] = [];
const sending: number[] = [];
const latencies: number[] = [];
let first = Infinity;
let last = 0;
for (const d of rows.rows) {
  const got = receivedAt.get(d.id);
  const committed = committedAt.get(d.alertEventId);
  if (got === undefined || committed === undefined) continue;
  latencies.push(got - committed);
  toDrain.push(d.drainedAt.getTime() - committed);
  if (d.startedAt) {
    toSend.push(d.startedAt.getTime() - d.drainedAt.getTime());
    sending.push(got - d.startedAt.getTime());
  }
  first = Math.min(first, committed);
  last = Math.max(last, got);
}
for (const list of [latencies, toDrain, toSend, sending]) list.sort((a, b) => a - b);
const p50p99 = (list: number[]) => `p50 ${pct(list, 50)} / p99 ${pct(list, 99)} ms`;
const seconds = (last - first) / 1000;
console.log(
  `notify bench: ${ALERTS} alerts × ${RECEIVERS} webhooks over ${TENANTS} tenants, fired at ${RATE > 0 ? `${RATE}/s` : "full speed"} ` +
    `(${((ALERTS * 1000) / firedIn).toFixed(0)}/s achieved), real worker process, NOTIFY_CONCURRENCY ${CONCURRENCY}\n` +
    `  delivered ${receivedAt.size}/${expected} (${requests} requests) in ${seconds.toFixed(1)} s: ${(receivedAt.size / seconds).toFixed(0)} deliveries/s\n` +
    `  commit → received: p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms, max ${latencies.at(-1)} ms\n` +
    `    commit → drained ${p50p99(toDrain)}; drained → sending ${p50p99(toSend)}; sending → received ${p50p99(sending)}\n` +
    `  worker peak RSS ${rss} MB; CPU per delivery: worker ${((workerCpu * 1000) / receivedAt.size).toFixed(2)} ms, ` +
    `its Postgres backends ${((pgCpu.worker * 1000) / receivedAt.size).toFixed(2)} ms (the bench's transitions: ${((pgCpu.bench * 1000) / receivedAt.size).toFixed(2)} ms more)`,
);

worker.child.kill("SIGTERM");
await worker.exited;
sink.closeAllConnections();
sink.close();
const redis = createRedisConnection(redisUrl, "producer");
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
await redis.quit();
await pool.end();
await db.$disconnect();
