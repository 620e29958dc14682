// Two real worker processes scoped to different tenants (WORKER_TENANT_IDS) sharing one Redis prefix: each keeps
// its own tenants' schedules and never removes the other's.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb } from "@vaultwatch/db";
import { createQueues, createRedisConnection, JOB, ruleSchedulerId, type Queues } from "@vaultwatch/jobs";
import { logRuleSchema } from "@vaultwatch/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-scope-${randomBytes(4).toString("hex")}`;

const db = createDb(databaseUrl, { max: 2 });
const redis = createRedisConnection(redisUrl, "producer");
let queues: Queues;
const workers: WorkerProcess[] = [];
const tenants: string[] = [];

async function tenantWithRule(): Promise<{ tenantId: string; ruleId: string }> {
  const slug = `scope-${randomBytes(4).toString("hex")}`;
  const tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  tenants.push(tenantId);
  const workspaceId = (await db.workspace.create({ data: { tenantId, name: `ws-${slug}`, kind: "local" } })).id;
  const ruleId = await addRule(tenantId, workspaceId);
  return { tenantId, ruleId };
}

async function addRule(tenantId: string, workspaceId: string): Promise<string> {
  const rule = logRuleSchema.parse({
    name: `rule-${randomBytes(3).toString("hex")}`,
    workspaceIds: [workspaceId],
    query: "AzureDiagnostics",
    evaluationFrequency: "PT1H",
    windowSize: "PT1H",
    operator: "GreaterThan",
    threshold: 0,
    severity: 3,
  });
  const { name, description, enabled, actionGroupIds: _g, workspaceIds: _w, severity, ...definition } = rule;
  const id = randomUUID();
  await db.alertRule.create({ data: { id, tenantId, kind: "log", name, description, enabled, severity, frequencySeconds: 3600, timeMode: definition.timeMode, definition } });
  await db.alertRuleWorkspace.create({ data: { tenantId, ruleId: id, workspaceId } });
  return id;
}

const scheduler = (ruleId: string) => queues[JOB.alertsEvaluate].getJobScheduler(ruleSchedulerId(ruleId));

function worker(tenantId: string, reconcileMs: number) {
  return startWorker({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, RECONCILE_INTERVAL_MS: String(reconcileMs), WORKER_TENANT_IDS: tenantId });
}

beforeAll(() => {
  queues = createQueues(redis, prefix, () => undefined);
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  for (const id of tenants) await db.tenant.delete({ where: { id } }).catch(() => undefined);
  await db.$disconnect();
});

describe("workers scoped to different tenants on one Redis prefix", { timeout: 180_000 }, () => {
  it("each reconciles its own tenants' schedules and leaves the other's in place", async () => {
    const one = await tenantWithRule();
    const two = await tenantWithRule();

    // B (tenant two) reconciles once at start, then not for ten minutes: whatever A removes of B's stays removed
    const b = await worker(two.tenantId, 600_000);
    workers.push(b);
    await untilHealthy(b);
    expect(await scheduler(two.ruleId)).toBeDefined();
    expect(await scheduler(one.ruleId)).toBeUndefined(); // not B's business

    // A (tenant one) starts with a full reconcile, then one round a second
    const a = await worker(one.tenantId, 1_000);
    workers.push(a);
    await untilHealthy(a);
    const until = Date.now() + 4_000; // A's start round and three more
    while (Date.now() < until) {
      expect(await scheduler(two.ruleId), "tenant two's scheduler, with A reconciling").toBeDefined();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await scheduler(one.ruleId)).toBeDefined();

    // A still removes what is its own to remove: a rule of its tenant deleted behind the API's back
    await db.alertRule.delete({ where: { id: one.ruleId } });
    await waitFor("tenant one's deleted rule unscheduled", async () => ((await scheduler(one.ruleId)) ? undefined : true), 10_000);
    expect(await scheduler(two.ruleId)).toBeDefined();
    expect(a.lines.filter((l) => l.level === "error")).toEqual([]);
    expect(b.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});
