/**
 * `pnpm bench starvation`: can one tenant's query key starve everyone else? Workspace A (tenant A) gets 8,000 rows and
 * ten slow queries (a self-join, `Prefer: wait=180`) at once; meanwhile a one-row ingest into workspace B (tenant B) and
 * a one-row query on B are timed, and compared with the same requests on a quiet server. The routes are wired as
 * apps/web wires them (separate ingest and query pools, one query gate per process); `pnpm bench starvation shared`
 * wires them as before issue 9 (one pool of 10 for both, no limit per key) for comparison.
 */
import { createDb, generateApiKey } from "@vaultwatch/db";
import { handleIngestTable } from "../src/http/ingest";
import { handleLaQuery } from "../src/http/la-query";
import { QueryGate } from "../src/http/query-gate";
import { createRowPool } from "../src/store/pool";
import { ingestTableRows } from "../src/store/transaction";
import { serve } from "../test/serve";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench starvation` (it creates the scratch database)");

const ROWS_A = 8_000;
const SLOW_QUERIES = 10;
const SHARED = process.argv[2] === "shared";
const SLOW = "AzureDiagnostics | extend k = 1 | join kind=inner (AzureDiagnostics | extend k = 1) on k | summarize n = count()";

async function main() {
  const db = createDb(databaseUrl!, { max: 4 });
  const ingestPool = createRowPool(databaseUrl!, { max: 10 });
  const queryPool = SHARED ? ingestPool : createRowPool(databaseUrl!, { max: 12 });
  const unlimited = { perWorkspace: 1000, perTenant: 1000, maxQueuedPerTenant: 1000, maxQueueMs: 600_000 };
  const gate = new QueryGate(SHARED ? unlimited : undefined);
  console.log(SHARED ? "wiring: one pool of 10 for ingest and queries, no limit per key" : "wiring: ingest pool of 10, query pool of 12, query gate");
  const workspace = async (name: string) => {
    const tenant = await db.tenant.create({ data: { name, slug: `bench-${name}-${Date.now()}` } });
    const ingest = generateApiKey("vwi");
    const query = generateApiKey("vwq");
    const ws = await db.workspace.create({
      data: { tenantId: tenant.id, name, kind: "local", ingestKeyHash: ingest.hash, ingestKeyHint: ingest.hint, queryKeyHash: query.hash, queryKeyHint: query.hint },
    });
    return { id: ws.id, ingestKey: ingest.key, queryKey: query.key };
  };
  const a = await workspace("a");
  const b = await workspace("b");
  const rows = Array.from({ length: ROWS_A }, (_, i) => ({ TimeGenerated: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), N_d: i }));
  await ingestTableRows(ingestPool, a.id, "AzureDiagnostics", rows, { columnType: { TimeGenerated: "datetime", N_d: "real" } });
  await ingestTableRows(ingestPool, b.id, "AzureDiagnostics", rows.slice(0, 1), { columnType: { TimeGenerated: "datetime", N_d: "real" } });

  const server = await serve(async (req) => {
    const path = new URL(req.url).pathname.split("/");
    if (path[2] === "ingest") return handleIngestTable(req, { workspaceId: path[3]!, table: path[5]! }, { db, pool: ingestPool });
    return handleLaQuery(req, { workspaceId: path[5]! }, { db, pool: queryPool, gate });
  });
  const ingestB = async () => {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/ingest/${b.id}/tables/AzureDiagnostics`, {
      method: "POST",
      headers: { authorization: `Bearer ${b.ingestKey}`, "content-type": "application/json" },
      body: JSON.stringify([{ TimeGenerated: new Date().toISOString(), N_d: 1 }]),
    });
    await res.text();
    return { status: res.status, ms: performance.now() - t };
  };
  const query = async (ws: typeof a, kql: string) => {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/la/v1/workspaces/${ws.id}/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${ws.queryKey}`, "content-type": "application/json", prefer: "wait=180" },
      body: JSON.stringify({ query: kql }),
    });
    await res.text();
    return { status: res.status, ms: performance.now() - t };
  };
  const fmt = (r: { status: number; ms: number }) => `${r.status} in ${Math.round(r.ms)} ms`;

  await ingestB();
  await query(b, "AzureDiagnostics | take 1");
  console.log(`quiet: ingest into B ${fmt(await ingestB())}; query on B ${fmt(await query(b, "AzureDiagnostics | take 1"))}`);
  const one = await query(a, SLOW);
  console.log(`one slow query on A alone: ${fmt(one)}`);

  const flood = Array.from({ length: SLOW_QUERIES }, () => query(a, SLOW));
  await new Promise((r) => setTimeout(r, 1500));
  const [ingest, queryB] = await Promise.all([ingestB(), query(b, "AzureDiagnostics | take 1")]);
  console.log(`${SLOW_QUERIES} slow queries in flight on A: ingest into B ${fmt(ingest)}; query on B ${fmt(queryB)}`);
  const done = await Promise.all(flood);
  const statuses = new Map<number, number>();
  for (const r of done) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  console.log(`the slow queries on A: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}; longest ${Math.round(Math.max(...done.map((r) => r.ms)))} ms`);

  await server.close();
  await ingestPool.end();
  if (queryPool !== ingestPool) await queryPool.end();
  await db.$disconnect();
}

await main();
