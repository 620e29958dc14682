/**
 * `pnpm bench activity [--events 300] [--rate 20]`: activity-log events pushed one per request to the real ingest
 * handler over HTTP, judged by a real worker process; prints the time from the push to the alert row (p50/p95/p99/max).
 * Target: p99 ≤ 500 ms. Asserts nothing.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { createQueues, createRedisConnection, enqueueActivity } from "@vaultwatch/jobs";
import { handleIngestRecords } from "@vaultwatch/local-workspace";
import { activityRuleSchema, splitRule } from "@vaultwatch/schemas";
import pg from "pg";
import { startWorker, untilHealthy } from "../src/test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench activity` (it creates the scratch database)");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};
const EVENTS = arg("events", "300");
const RATE = arg("rate", "20");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const db = createDb(databaseUrl, { max: 4 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const prefix = `vwbench-activity-${Date.now().toString(36)}`;
const redis = createRedisConnection(redisUrl, "producer");
const queues = createQueues(redis, prefix, () => undefined);

const tenant = await db.tenant.create({ data: { name: "Bench", slug: `bench-${Date.now()}` } });
const key = generateApiKey("vwi");
const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "ws", kind: "local", ingestKeyHash: key.hash, ingestKeyHint: key.hint } });
const rule = activityRuleSchema.parse({ name: "every administrative event", condition: { allOf: [{ field: "category", equals: "Administrative" }] } });
const { columns, definition } = splitRule({ kind: "activity", ...rule });
await db.alertRule.create({ data: { tenantId: tenant.id, ...columns, definition } });

// the ingest route as the web serves it: the handler, then "judge these now" for the worker
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const request = new Request(`http://localhost${req.url}`, { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    void handleIngestRecords(request, { workspaceId: ws.id }, { db, pool, onActivityEvents: (id) => enqueueActivity(queues, id) }).then(async (response) => {
      res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
    });
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

const worker = await startWorker({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix });
await untilHealthy(worker, 60_000);

const sentAt = new Map<string, number>();
const vault = `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-bench`;
for (let i = 0; i < EVENTS; i++) {
  const eventDataId = randomUUID();
  const body = JSON.stringify({
    records: [{ time: new Date().toISOString(), resourceId: vault, operationName: "Microsoft.RecoveryServices/vaults/backupPolicies/write", category: "Administrative", resultType: "Success", level: "Informational", correlationId: randomUUID(), properties: { eventDataId } }],
  });
  sentAt.set(eventDataId, Date.now());
  const r = await fetch(`http://127.0.0.1:${port}/api/ingest/${ws.id}/records`, { method: "POST", headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" }, body });
  if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${await r.text()}`);
  await new Promise((res) => setTimeout(res, 1000 / RATE));
}
const deadline = Date.now() + 30_000;
while ((await db.alert.count({ where: { tenantId: tenant.id } })) < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

const rows = await pool.query<{ eventDataId: string; createdAt: Date }>(
  `SELECT snapshot->>'eventDataId' AS "eventDataId", "createdAt" AT TIME ZONE 'UTC' AS "createdAt" FROM alert WHERE "tenantId" = $1`,
  [tenant.id],
);
const latencies = rows.rows.map((r) => new Date(r.createdAt).getTime() - sentAt.get(r.eventDataId)!).sort((a, b) => a - b);
console.log(
  `activity bench: ${EVENTS} events at ${RATE}/s, ${latencies.length} alerts; push → alert recorded ` +
    `p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, p99 ${pct(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
);

worker.child.kill("SIGTERM");
await worker.exited;
server.close();
await queues.close();
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
await redis.quit();
await pool.end();
await db.$disconnect();
