/**
 * `pnpm bench ingest [rows] [route]`: ingest AzureBackupReport Job/BackupItem records (≈25 AzureDiagnostics columns)
 * over HTTP in batches of 5,000 with a few concurrent requests, then COPY the very same stored rows into a plain,
 * unindexed table in the same database, and print rows/s for both and their ratio.
 *
 * The client pre-serialises a set of distinct batches and cycles through them, so the figure measures the server
 * (HTTP, JSON, validation, mapping, COPY encoding, Postgres) and not the generation of test data.
 */
import { createWriteStream, createReadStream, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { createRowPool } from "../src/store/pool";
import { workspaceSchemaName } from "../src/store/naming";
import { backupReportRecord } from "../test/fixtures";
import { ingestApp } from "../test/ingest-app";
import { serve } from "../test/serve";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench ingest` (it creates the scratch database)");

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const ROUTE = (process.argv[3] ?? "records") as "records" | "tables";
const BATCH = 5_000;
const CONCURRENCY = 3;
const DISTINCT_BATCHES = 20;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const db = createDb(databaseUrl!, { max: 2 });
  const pool = createRowPool(databaseUrl!, { max: CONCURRENCY + 2 });
  const tenant = await db.tenant.create({ data: { name: "Bench", slug: `bench-${Date.now()}` } });
  const key = generateApiKey("vwi");
  const ws = await db.workspace.create({
    data: { tenantId: tenant.id, name: "Bench", kind: "local", ingestKeyHash: key.hash, ingestKeyHint: key.hint },
  });
  const server = await serve(ingestApp({ db, pool }));

  // Distinct bodies: records route takes resource-log records; tables route takes the same rows already flattened.
  const bodies: Buffer[] = [];
  for (let b = 0; b < DISTINCT_BATCHES; b++) {
    const records = Array.from({ length: BATCH }, (_, i) => backupReportRecord(b * BATCH + i));
    bodies.push(Buffer.from(JSON.stringify(ROUTE === "records" ? { records } : records.map(flattenForTablesRoute))));
  }
  const url = `${server.url}/api/ingest/${ws.id}/${ROUTE === "records" ? "records" : "tables/AzureDiagnostics"}`;
  const batches = Math.ceil(TOTAL / BATCH);
  console.log(`ingest: ${fmt(batches * BATCH)} rows, ${ROUTE} route, batches of ${fmt(BATCH)}, ${CONCURRENCY} concurrent requests, ${(bodies[0]!.length / 1e6).toFixed(1)} MB a batch`);

  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches) {
        const n = next++;
        const t = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
          body: bodies[n % bodies.length],
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`batch ${n}: ${res.status} ${text.slice(0, 500)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ingestSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const ingestRate = (batches * BATCH) / ingestSeconds;
  latencies.sort((a, b) => a - b);
  // CPU per row of this process (HTTP client + server, JSON, validation, encoding): a figure other load does not skew.
  console.log(`ingest: Node CPU ${((cpu.user + cpu.system) / (batches * BATCH)).toFixed(1)} µs a row`);
  console.log(
    `ingest: ${ingestSeconds.toFixed(1)} s, ${fmt(ingestRate)} rows/s (batch latency median ${fmt(latencies[latencies.length >> 1]!)} ms, p95 ${fmt(latencies[Math.floor(latencies.length * 0.95)]!)} ms)`,
  );

  // Baseline: the same stored rows, already in COPY text, into a plain table without indexes.
  const source = `"${workspaceSchemaName(ws.id)}"."AzureDiagnostics"`;
  const dump = path.join(tmpdir(), `vw-bench-${ws.id}.copy`);
  const client = await pool.connect();
  try {
    // COPY (SELECT ...): a partitioned table cannot be copied from directly
    await pipeline(client.query(copyTo(`COPY (SELECT * FROM ${source}) TO STDOUT`)), createWriteStream(dump));
    const plain = `bench_plain_${ws.id.replace(/-/g, "")}`;
    await client.query(`CREATE TABLE ${plain} (LIKE ${source})`);
    await client.query("CHECKPOINT");
    const t = performance.now();
    await pipeline(createReadStream(dump), client.query(copyFrom(`COPY ${plain} FROM STDIN`)));
    const copySeconds = (performance.now() - t) / 1000;
    const copyRate = (batches * BATCH) / copySeconds;
    console.log(`COPY into a plain table: ${copySeconds.toFixed(1)} s, ${fmt(copyRate)} rows/s`);
    console.log(`ratio ingest / COPY: ${(ingestRate / copyRate).toFixed(2)}`);
    const sizes = await client.query<{ name: string; size: string }>(
      `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 ORDER BY c.relname`,
      [workspaceSchemaName(ws.id)],
    );
    const columns = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = '${source}'::regclass AND attnum > 0 AND NOT attisdropped`,
    );
    console.log(`table: ${columns.rows[0]!.n} columns; ${sizes.rows.map((r) => `${r.name} ${r.size}`).join(", ")}`);
    await client.query(`DROP TABLE ${plain}`);
  } finally {
    client.release();
    rmSync(dump, { force: true });
    await server.close();
    await pool.end();
    await db.$disconnect();
  }
}

/** What a Logs Ingestion API client would send for the same record: the AzureDiagnostics row itself. */
function flattenForTablesRoute(record: ReturnType<typeof backupReportRecord>): Record<string, unknown> {
  const row: Record<string, unknown> = {
    TimeGenerated: record.time,
    ResourceId: record.resourceId,
    Category: record.category,
    OperationName: record.operationName,
    Level: record.level,
    SourceSystem: "Azure",
  };
  for (const [k, v] of Object.entries(record.properties)) row[k === "JobUniqueId" ? `${k}_g` : `${k}_s`] = v;
  return row;
}

await main();
