// Starts the real worker process against Postgres and Redis, with its own health port and Redis key prefix.
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createQueues,
  createRedisConnection,
  enqueueHeartbeat,
  HEARTBEAT_KEY,
  HEARTBEAT_SCHEDULER_ID,
  JOB,
  type Queues,
} from "@vaultwatch/jobs";
import { startWorker, untilHealthy, waitFor as waitUntil, type LogLine } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-worker-${randomBytes(4).toString("hex")}`;

let child: ChildProcess;
let port: number;
let lines: LogLine[] = [];
let stderr: () => string = () => "";
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

const redis = createRedisConnection(redisUrl, "producer");
let queues: Queues;

const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000) => waitUntil(`${what}; stderr: ${stderr()}`, fn, ms, 200);

beforeAll(async () => {
  // a tenant of nobody: other packages' tests share this database, and their rules are not this worker's business
  const worker = await startWorker({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, WORKER_TENANT_IDS: randomUUID() });
  ({ child, port, lines, stderr, exited } = worker);
  queues = createQueues(redis, prefix, () => undefined);
  // a cold start under the whole suite's load has taken over 20 s: wait as every other spawned worker's test does
  await untilHealthy(worker);
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe("worker process", { timeout: 90_000 }, () => {
  it("reports healthy Postgres and Redis on GET /health", async () => {
    const body = await waitFor("/health 200", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
    });
    expect(body).toMatchObject({ status: "ok", redis: { ok: true }, postgres: { ok: true } });
    // KQL_COMPILE_THREADS (startWorker sets 1) reaches the compile pool
    expect(lines.find((l) => l.msg === "worker started")).toMatchObject({ compileThreads: 1 });
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });

  it("upserts the heartbeat schedule at start", async () => {
    const scheduler = await queues[JOB.maintenanceHeartbeat].getJobScheduler(HEARTBEAT_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ key: HEARTBEAT_SCHEDULER_ID, every: 60_000 });
  });

  it("processes an enqueued heartbeat job and records it", async () => {
    const job = await enqueueHeartbeat(queues, { source: "manual" });
    const state = await waitFor("job completed", async () => {
      const s = await job.getState();
      return s === "completed" || s === "failed" ? s : undefined;
    });
    expect(state).toBe("completed");
    const done = await queues[JOB.maintenanceHeartbeat].getJob(job.id ?? "");
    expect(done?.returnvalue).toMatchObject({ source: "manual", ranAt: expect.any(String) });
    const recorded = await waitFor("heartbeat key", async () => {
      const raw = await redis.get(HEARTBEAT_KEY(prefix));
      const parsed = raw ? (JSON.parse(raw) as { jobId: string }) : undefined;
      return parsed?.jobId === job.id ? parsed : undefined;
    });
    expect(recorded).toMatchObject({ source: "manual" });
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { lastHeartbeat: unknown };
    expect(health.lastHeartbeat).toBeTruthy();
  });

  it("shuts down in order on SIGTERM and exits 0", async () => {
    const t0 = Date.now();
    child.kill("SIGTERM");
    const result = await exited;
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(result).toEqual({ code: 0, signal: null });
    const steps = lines.map((l) => l.msg).filter((m) => m.startsWith("shutdown:"));
    expect(steps).toEqual([
      "shutdown: started",
      "shutdown: http closed",
      "shutdown: notify loops stopped",
      "shutdown: summary refresh stopped",
      "shutdown: upkeep stopped",
      "shutdown: activity polling stopped",
      "shutdown: archive polling stopped",
      "shutdown: vault discovery stopped",
      "shutdown: workers closed",
      "shutdown: notification connections closed",
      "shutdown: queues closed",
      "shutdown: redis quit",
      "shutdown: prisma disconnected",
      "shutdown: complete",
    ]);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    const everything = JSON.stringify(lines) + stderr();
    expect(everything).not.toContain(databaseUrl);
  });
});
