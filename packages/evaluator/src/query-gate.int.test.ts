/**
 * Per-tenant fairness of the local runner the web app's tRPC queries go through (logs, rule previews and checks,
 * views): with the query gate, one tenant holding its share of the pool cannot make another tenant's query wait,
 * and its own extra queries queue or are refused naming the limit. Tenant A's queries are held for real: another
 * connection locks A's tables, so each of A's queries keeps a pool connection until the lock goes.
 */
import { randomUUID } from "node:crypto";
import { createRowPool, dropWorkspaceStorage, ingestTableRows, QueryGate } from "@vaultwatch/local-workspace";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localWorkspaceRunner, type RuleQuery, type WorkspaceQueryRunner, type WorkspaceRef } from "./query-runner";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

// a pool of 4 shared by two tenants; each tenant may hold 3 of it, 2 per workspace, and queue 3 more
const POOL_SIZE = 4;
const limits = { perWorkspace: 2, perTenant: 3, maxQueuedPerTenant: 3, maxQueueMs: 60_000 };
const pool = createRowPool(url, { max: POOL_SIZE, applicationName: "vaultwatch-test-query-gate" });
const admin = new pg.Pool({ connectionString: url, max: 2 });

const ref = (tenantId: string): WorkspaceRef => ({ id: randomUUID(), tenantId, kind: "local", name: "ws", armId: null });
const scope = (ws: WorkspaceRef) => ({ workspaceId: ws.id, tenantId: ws.tenantId });
const tenantA = randomUUID();
const tenantB = randomUUID();
const a1 = ref(tenantA);
const a2 = ref(tenantA);
const b1 = ref(tenantB);

const start = new Date(Date.now() - 3_600_000);
const q: RuleQuery = {
  query: "Events | summarize n = count()",
  window: { kind: "event", start, end: new Date() },
  now: new Date(),
  rowLimit: 100,
  timeoutMs: 60_000,
};

beforeAll(async () => {
  for (const ws of [a1, a2, b1]) {
    await ingestTableRows(pool, ws.id, "Events", [{ TimeGenerated: new Date(Date.now() - 60_000), Name: "one" }], {
      columnType: { TimeGenerated: "datetime", Name: "string" },
    });
  }
}, 60_000);

afterAll(async () => {
  for (const ws of [a1, a2, b1]) await dropWorkspaceStorage(pool, ws.id);
  await Promise.all([pool.end(), admin.end()]);
});

/** Holds every query of tenant A at its first read of Events until the returned function is called. */
async function holdTenantA(): Promise<() => Promise<void>> {
  const client = await admin.connect();
  await client.query("BEGIN");
  for (const ws of [a1, a2]) await client.query(`LOCK TABLE "lw_${ws.id.replaceAll("-", "")}"."Events" IN ACCESS EXCLUSIVE MODE`);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await client.query("ROLLBACK");
    client.release();
  };
}

const settledWithin = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => "settled" as const, () => "settled" as const), new Promise<"pending">((r) => setTimeout(() => r("pending"), ms))]);

async function warm(runner: WorkspaceQueryRunner) {
  // compiles (first use of the compile threads) and fills the template cache, so the timings below measure waits only
  for (const ws of [a1, a2, b1]) expect((await runner.run(ws, q)).rows).toEqual([{ n: 1 }]);
}

describe("the gated local runner (what tRPC queries through)", () => {
  it("without the gate, tenant A's queries take every connection and tenant B's query waits for them (the setup holds)", async () => {
    const ungated = localWorkspaceRunner(pool);
    await warm(ungated);
    const release = await holdTenantA();
    const held = [a1, a1, a2, a2, a1].map((ws) => ungated.run(ws, q));
    try {
      await new Promise((r) => setTimeout(r, 300)); // A's queries are running, each on a connection
      const b = ungated.run(b1, q);
      expect(await settledWithin(b, 2_000)).toBe("pending");
      await release();
      await expect(b).resolves.toMatchObject({ rows: [{ n: 1 }] });
    } finally {
      await release();
      await Promise.allSettled(held);
    }
  }, 60_000);

  it("with the gate, tenant A saturating its share does not delay tenant B; A's extra queries queue, and one past the queue is refused naming the limit", async () => {
    const gate = new QueryGate(limits);
    const runner = localWorkspaceRunner(pool, { gate });
    await warm(runner);
    const release = await holdTenantA();
    // 3 run (a1 holds its 2, a2 one), 3 wait in the tenant's queue
    const held = [a1, a1, a2, a2, a1, a2].map((ws) => runner.run(ws, q));
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(gate.stats(scope(a1))).toMatchObject({ tenantRunning: 3 });
      expect(gate.stats(scope(a1)).queued + gate.stats(scope(a2)).queued).toBe(3);

      const t = performance.now();
      await expect(runner.run(b1, q)).resolves.toMatchObject({ rows: [{ n: 1 }] });
      await expect(runner.check(b1, q.query)).resolves.toMatchObject({ columns: [{ name: "n", type: "long" }] });
      expect(performance.now() - t).toBeLessThan(3_000);

      // A's queue is full: the next run and the next save check are refused at once, saying why
      await expect(runner.run(a2, q)).rejects.toThrow(/too many concurrent queries: this tenant runs 3 at once \(its limit\).*queue's limit is 3/);
      await expect(runner.check(a1, q.query)).rejects.toMatchObject({ name: "QueryFailure", message: expect.stringMatching(/too many concurrent queries/) });

      await release();
      // every query A had queued runs once its turn comes
      for (const r of await Promise.all(held)) expect(r.rows).toEqual([{ n: 1 }]);
      expect(gate.stats(scope(a1))).toMatchObject({ running: 0, queued: 0, tenantRunning: 0 });
    } finally {
      await release();
      await Promise.allSettled(held);
    }
  }, 60_000);

  it("a queued run waits no longer than its own timeout and fails naming the wait", async () => {
    const gate = new QueryGate(limits);
    const runner = localWorkspaceRunner(pool, { gate });
    const release = await holdTenantA();
    const held = [a1, a1, a2].map((ws) => runner.run(ws, q));
    try {
      await new Promise((r) => setTimeout(r, 300));
      await expect(runner.run(a2, { ...q, timeoutMs: 1_000 })).rejects.toThrow(
        /too many concurrent queries: the query waited 1 s .*at most 2 run at once per workspace and 3 per tenant/,
      );
    } finally {
      await release();
      await Promise.allSettled(held);
    }
  }, 60_000);
});
