/**
 * One tenant's query key cannot starve anyone: with workspace A's queries stuck in Postgres (its table locked, so
 * they hold their connections as a slow query would), an ingest into workspace B and a query on B still answer at
 * once, A runs five queries at a time and queues the rest, and a query that waits past its budget is a 429.
 * The routes are wired as apps/web wires them: an ingest pool, a query pool, one query gate.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, databaseUrl, db, makeLocalWorkspace, type TestWorkspace } from "../../test/db";
import { serve, type Served } from "../../test/serve";
import { createRowPool } from "../store/pool";
import { qualifiedTable } from "../store/naming";
import { ingestTableRows } from "../store/transaction";
import { handleIngestTable } from "./ingest";
import { handleLaQuery } from "./la-query";
import { QueryGate } from "./query-gate";

const ingestPool = createRowPool(databaseUrl, { max: 4, applicationName: "test-ingest" });
const queryPool = createRowPool(databaseUrl, { max: 8, applicationName: "test-query" });
const gate = new QueryGate();
let server: Served;
let a: TestWorkspace;
let b: TestWorkspace;
const row = { TimeGenerated: "2026-11-20T10:00:00Z", N_d: 1 };
const types = { TimeGenerated: "datetime", N_d: "real" } as const;

beforeAll(async () => {
  server = await serve(async (req) => {
    const path = new URL(req.url).pathname.split("/");
    if (path[2] === "ingest") return handleIngestTable(req, { workspaceId: path[3]!, table: path[5]! }, { db, pool: ingestPool });
    return handleLaQuery(req, { workspaceId: path[5]! }, { db, pool: queryPool, gate });
  });
  a = await makeLocalWorkspace();
  b = await makeLocalWorkspace();
  await ingestTableRows(ingestPool, a.workspaceId, "AzureDiagnostics", [row], { columnType: types });
  await ingestTableRows(ingestPool, b.workspaceId, "AzureDiagnostics", [row], { columnType: types });
});
afterAll(async () => {
  await server.close();
  await Promise.all([ingestPool.end(), queryPool.end()]);
  await closeTestConnections();
});

async function timed(send: () => Promise<Response>) {
  const t = performance.now();
  const res = await send();
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, ms: performance.now() - t, body, retryAfter: res.headers.get("retry-after") };
}

const query = (ws: TestWorkspace, kql: string, wait = 60) =>
  timed(() =>
    fetch(`${server.url}/api/la/v1/workspaces/${ws.workspaceId}/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${ws.queryKey}`, "content-type": "application/json", prefer: `wait=${wait}` },
      body: JSON.stringify({ query: kql }),
    }),
  );

const ingestOneRow = (ws: TestWorkspace) =>
  timed(() =>
    fetch(`${server.url}/api/ingest/${ws.workspaceId}/tables/AzureDiagnostics`, {
      method: "POST",
      headers: { authorization: `Bearer ${ws.ingestKey}`, "content-type": "application/json" },
      body: JSON.stringify([row]),
    }),
  );

/** Sessions of the query pool waiting for a lock (A's queries stuck behind the test's lock). */
async function blockedQueries(): Promise<number> {
  const { rows } = await ingestPool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'test-query' AND wait_event_type = 'Lock'",
  );
  return rows[0]!.n;
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("queries on one key cannot starve other tenants", () => {
  it("with ten of A's queries stuck, B ingests and queries at once; A runs five and queues five; past its wait a query is a 429", async () => {
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE ${qualifiedTable(a.workspaceId, "AzureDiagnostics")} IN ACCESS EXCLUSIVE MODE`);
    let flood: Promise<Awaited<ReturnType<typeof query>>[]> = Promise.resolve([]);
    try {
      flood = Promise.all(Array.from({ length: 10 }, () => query(a, "AzureDiagnostics | count")));
      await until(async () => (await blockedQueries()) === 5 && gate.stats(a).queued === 5, "five running and five queued on A");

      const ingest = await ingestOneRow(b);
      expect(ingest.status).toBe(200);
      expect(ingest.ms).toBeLessThan(2000);
      const onB = await query(b, "AzureDiagnostics | count");
      expect(onB.status).toBe(200);
      expect(onB.ms).toBeLessThan(2000);

      // an eleventh query on A with a 1-second budget waits its second in the queue, then is throttled
      const throttled = await query(a, "AzureDiagnostics | count", 1);
      expect(throttled.status).toBe(429);
      expect(throttled.body.error).toMatchObject({ code: "ThrottledError" });
      expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
      expect(throttled.ms).toBeGreaterThanOrEqual(900);
      expect(gate.stats(a)).toMatchObject({ running: 5, queued: 5 });
      expect(await blockedQueries()).toBe(5);
    } finally {
      await locker.query("COMMIT");
      await locker.end();
    }
    const done = await flood;
    expect(done.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(gate.stats(a)).toMatchObject({ running: 0, queued: 0 });
  });
});
