// Notifications in the real worker process: an alert's transition reaches the receivers; a worker killed with
// SIGKILL mid-delivery loses nothing and resends only what was in flight, with the same X-Vaultwatch-Delivery; and
// no receiver secret ever reaches Redis or the worker's output.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, createPgPool, encryptSecret } from "@vaultwatch/db";
import { inTransaction, recordTransition } from "@vaultwatch/evaluator";
import { createRedisConnection } from "@vaultwatch/jobs";
import { logRuleSchema, receiverSchema, sealReceivers, splitRule, type ReceiverInput } from "@vaultwatch/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-notify-${randomBytes(4).toString("hex")}`;
const key = randomBytes(32);

const db = createDb(databaseUrl, { max: 4 });
const pool = createPgPool(databaseUrl, { max: 4 });
const redis = createRedisConnection(redisUrl, "producer");
const workers: WorkerProcess[] = [];
let tenantId: string;

type Request = { path: string; headers: IncomingHttpHeaders; body: string; at: number };
const requests: Request[] = [];
const holdMs = new Map<string, number>();
/** paths whose next request is answered 503 (a retry) */
const failNext = new Set<string>();
let server: Server;
let base: string;

function workerEnv(): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl!,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ENCRYPTION_KEY: key.toString("base64"),
    WORKER_TENANT_IDS: tenantId,
    NOTIFY_ALLOW_PRIVATE_NETWORKS: "true",
    NOTIFY_TIMEOUT_MS: "3000",
    NOTIFY_CONCURRENCY: "4",
    JOB_LOCK_MS: "3000",
    RECONCILE_INTERVAL_MS: "5000",
    APP_URL: "https://vaultwatch.example.com",
  };
}

async function spawnWorker() {
  const w = await startWorker(workerEnv());
  workers.push(w);
  await untilHealthy(w);
  return w;
}

async function makeGroup(receivers: ReceiverInput[]) {
  const parsed = receivers.map((r) => receiverSchema.parse(r));
  return db.actionGroup.create({
    data: { tenantId, name: `group-${randomBytes(3).toString("hex")}`, receivers: sealReceivers(parsed, (p) => encryptSecret(p, key)) as object[] },
  });
}

async function makeRule(actionGroupId: string) {
  const rule = logRuleSchema.parse({
    name: `notify-${randomBytes(3).toString("hex")}`,
    workspaceIds: [randomUUID()],
    query: "AzureDiagnostics",
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    operator: "GreaterThan",
    threshold: 0,
    severity: 2,
  });
  const { columns, definition } = splitRule({ kind: "log", ...rule });
  // disabled: the worker must not schedule it (its workspace does not exist); transitions are recorded by the test
  const created = await db.alertRule.create({ data: { tenantId, ...columns, enabled: false, definition } });
  await db.alertRuleActionGroup.create({ data: { tenantId, ruleId: created.id, actionGroupId } });
  return created;
}

const fire = (rule: { id: string; severity: number }) =>
  inTransaction(pool, (sql) =>
    recordTransition(sql, {
      tenantId,
      ruleId: rule.id,
      fingerprint: `fp-${randomBytes(4).toString("hex")}`,
      transition: "Fired",
      at: new Date(),
      dimensions: [{ name: "Resource", value: "RSV-1" }],
      severity: rule.severity,
      signalType: "Log",
      measuredValue: 1,
      threshold: 0,
      window: { start: new Date(Date.now() - 300_000), end: new Date() },
      snapshot: { rows: [{ Resource: "RSV-1" }], totalRows: 1, omittedRows: 0 },
    }),
  );

/** Every key under the run's prefix with its value, whatever its type. */
async function dumpRedis(): Promise<string> {
  const dump: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", "500");
    cursor = next;
    for (const k of keys) {
      const type = await redis.type(k);
      dump.push(k);
      if (type === "string") dump.push((await redis.get(k)) ?? "");
      else if (type === "hash") dump.push(JSON.stringify(await redis.hgetall(k)));
      else if (type === "list") dump.push(JSON.stringify(await redis.lrange(k, 0, -1)));
      else if (type === "set") dump.push(JSON.stringify(await redis.smembers(k)));
      else if (type === "zset") dump.push(JSON.stringify(await redis.zrange(k, "0", "-1")));
      else if (type === "stream") dump.push(JSON.stringify(await redis.xrange(k, "-", "+")));
    }
  } while (cursor !== "0");
  return dump.join("\n");
}

const deliveryHeader = (r: Request) => r.headers["x-vaultwatch-delivery"] as string;

beforeAll(async () => {
  const slug = `notify-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
      const status = failNext.delete(path) ? 503 : 200;
      const reply = () => {
        if (!res.destroyed) res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "busy");
      };
      const hold = holdMs.get(path);
      if (hold) setTimeout(reply, hold);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.tenant.delete({ where: { id: tenantId } }).catch(() => undefined);
  await pool.end();
  await db.$disconnect();
});

describe("notifications in the worker", { timeout: 120_000 }, () => {
  it("delivers a transition to each receiver once", async () => {
    const worker = await spawnWorker();
    const group = await makeGroup([
      { type: "webhook", name: "one", url: `${base}/basic/one` },
      { type: "webhook", name: "two", url: `${base}/basic/two` },
    ]);
    const rule = await makeRule(group.id);
    const fired = await fire(rule);
    await waitFor("both sent", async () => ((await db.notificationDelivery.count({ where: { alertEventId: fired!.eventId, status: "sent" } })) === 2 ? true : undefined));
    expect(requests.filter((r) => r.path === "/basic/one")).toHaveLength(1);
    expect(requests.filter((r) => r.path === "/basic/two")).toHaveLength(1);
    // an orderly stop
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines.some((l) => l.msg === "shutdown: notify loops stopped")).toBe(true);
  });

  it("killed mid-delivery (SIGKILL): another worker sends everything, resending only what was in flight, with the same X-Vaultwatch-Delivery", async () => {
    const first = await spawnWorker();
    const group = await makeGroup([{ type: "webhook", name: "slow", url: `${base}/kill/slow` }]);
    holdMs.set("/kill/slow", 1_500);
    const rule = await makeRule(group.id);
    const events: string[] = [];
    for (let i = 0; i < 12; i++) events.push((await fire(rule))!.eventId);
    const slow = () => requests.filter((r) => r.path === "/kill/slow");
    // some answered, some held open by the receiver, the rest still queued
    await waitFor("requests in flight", () => Promise.resolve(slow().length >= 6 ? true : undefined), 30_000, 20);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const atKill = await db.notificationDelivery.findMany({ where: { alertEventId: { in: events } }, select: { id: true, status: true } });
    const inFlight = new Set(atKill.filter((d) => d.status === "sending").map((d) => d.id));
    expect(inFlight.size).toBeGreaterThan(0);
    // more alerts while no worker runs
    for (let i = 0; i < 3; i++) events.push((await fire(rule))!.eventId);

    await spawnWorker();
    const all = await waitFor(
      "every delivery sent",
      async () => {
        const ds = await db.notificationDelivery.findMany({ where: { alertEventId: { in: events } }, include: { attemptLog: { orderBy: { attempt: "asc" } } } });
        return ds.length === 15 && ds.every((d) => d.status === "sent") ? ds : undefined;
      },
      60_000,
      200,
    );
    const received = new Map<string, number>();
    for (const r of slow()) received.set(deliveryHeader(r), (received.get(deliveryHeader(r)) ?? 0) + 1);
    for (const d of all) {
      // none lost; a second request only for a delivery that was in flight when the worker died (claimed, maybe sent)
      if (inFlight.has(d.id)) expect([1, 2], d.id).toContain(received.get(d.id));
      else expect(received.get(d.id), d.id).toBe(1);
      expect(d.attempts, d.id).toBe(inFlight.has(d.id) ? 2 : 1);
      if (inFlight.has(d.id)) {
        expect(d.attemptLog.map((a) => a.outcome)).toEqual(["retry", "sent"]);
        expect(d.attemptLog[0]!.error).toMatch(/^interrupted/);
      }
    }
    expect([...received.keys()].sort()).toEqual(all.map((d) => d.id).sort());
    // what the receiver got twice was the in-flight work, same idempotency key both times
    const duplicated = [...received].filter(([, n]) => n > 1).map(([id]) => id);
    expect(duplicated.length).toBeGreaterThan(0);
    for (const id of duplicated) expect(inFlight.has(id)).toBe(true);
  });

  it("keeps receiver secrets out of Redis and out of the worker's output", async () => {
    const worker = workers.at(-1)!.child.exitCode === null ? workers.at(-1)! : await spawnWorker();
    const token = `tok${randomBytes(12).toString("hex")}`;
    const secret = `hmac-${randomBytes(16).toString("hex")}`;
    const group = await makeGroup([{ type: "webhook", name: "signed", url: `${base}/secret/hook?code=${token}`, secret }]);
    const rule = await makeRule(group.id);
    holdMs.set("/secret/hook", 1_500);
    // one retry, so that a failure (which the worker logs) is among what happens
    failNext.add("/secret/hook");
    const events: string[] = [];
    for (let i = 0; i < 3; i++) events.push((await fire(rule))!.eventId);
    // while the receiver holds the requests open, their jobs are live in Redis: dump it then, and once all is done
    await waitFor("requests held", () => Promise.resolve(requests.some((r) => r.path === "/secret/hook") ? true : undefined), 20_000, 20);
    const during = await dumpRedis();
    await waitFor("sent", async () => ((await db.notificationDelivery.count({ where: { alertEventId: { in: events }, status: "sent" } })) === 3 ? true : undefined));
    expect(requests.filter((r) => r.path === "/secret/hook")).toHaveLength(4);
    const after = await dumpRedis();
    const deliveryIds = (await db.notificationDelivery.findMany({ where: { alertEventId: { in: events } }, select: { id: true } })).map((d) => d.id);
    // the dump did see the delivery jobs (they carry the delivery id and nothing else)
    expect(deliveryIds.some((id) => during.includes(id))).toBe(true);
    for (const text of [during, after]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
    }
    const output = [...workers.flatMap((w) => w.lines.map((l) => JSON.stringify(l))), ...workers.map((w) => w.stderr())].join("\n");
    expect(output).toContain("delivery retry");
    expect(output).not.toContain(token);
    expect(output).not.toContain(secret);
    expect(output).not.toContain("/secret/hook");
    expect(worker.child.exitCode).toBeNull();
  });
});
