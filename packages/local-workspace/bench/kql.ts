/**
 * `pnpm bench kql`: 1,000,000 AzureDiagnostics rows from the simulator (500 vaults, 30 days); the seed's five queries,
 * ten dashboard/alert queries and nine of the tabular operators (in (subquery), lookup, serialize, mv-expand,
 * make-series, top-nested, toscalar, parse, let functions) through the KQL engine (catalog, compile, execute, format: what the API pays),
 * each against a hand-written SQL query answering the same question over the same table, in the same run.
 * Prints median and p95 per query and the ratio compiled / hand-written. Targets: seed queries ≤ 100 ms median,
 * compiled ≤ 2× hand-written. Hand-written queries get the same cheap type parsers, so only the SQL differs. Options: --rows N (default 1,000,000), --runs N (default 9), --only TEXT (the queries whose name has it).
 * First, compile latency: each query compiled on this thread (compileKql, as before the compile pool) against the
 * compile pool's thread hop (a cache miss: a new text each run) and its cache hit; `--compile-only` stops there.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { generateEstate } from "@vaultwatch/simulator";
import pg from "pg";
import { ingestRecords } from "../src/ingest/records";
import { qualifiedTable } from "../src/store/naming";
import { dropWorkspaceStorage } from "../src/store/transaction";
import { DEFAULT_ROW_LIMIT, runLocalQuery } from "../src/query/run";
import { resultTypes } from "../src/query/format";
import { compileKql, warmUp } from "@vaultwatch/kql";
import { getWorkspaceSchema } from "../src/store/catalog";
import { INGESTED_AT_COLUMN } from "../src/store/naming";
import { compilePool } from "../src/query/compile-pool";
import { seedQueries } from "../src/query/test/seed-estate";

const { values: opts } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "9" },
    "compile-only": { type: "boolean", default: false },
    /** only the queries whose name contains this text (e.g. `--only mv-expand`) */
    only: { type: "string" },
  },
});
const TARGET_ROWS = Number(opts.rows);
const RUNS = Number(opts.runs);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required (run through `pnpm bench kql`)");

// hand-written SQL runs with the settings runLocalQuery gives compiled SQL (no JIT), so only the SQL differs
const pool = new pg.Pool({ connectionString: url, max: 4, options: "-c jit=off" });
const workspaceId = randomUUID();
const simulatedUntil = new Date("2026-11-01T00:00:00Z");
let now = simulatedUntil;
const TABLE = qualifiedTable(workspaceId, "AzureDiagnostics");
// hand-written SQL names the table as {T}: the table itself, or its rows inside the timespan
const T = "{T}";
const LIMIT = DEFAULT_ROW_LIMIT + 1;

// ── load ────────────────────────────────────────────────────────────────────────────────────────────────────────
async function load(): Promise<number> {
  const t0 = performance.now();
  let loaded = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await ingestRecords(pool, { workspaceId, tenantId: randomUUID() }, batch);
    loaded += batch.length;
    batch = [];
  };
  const estate = generateEstate({ seed: "bench", vaults: 500, itemsPerKind: 1, days: 30, now: simulatedUntil, sqlLogIntervalMinutes: 60, activityLog: false });
  outer: for (const b of estate) {
    for (const r of b.records) {
      batch.push(r);
      if (batch.length === 5_000) await flush();
      if (loaded + batch.length >= TARGET_ROWS) break outer;
    }
  }
  await flush();
  await pool.query(`ANALYZE ${TABLE}`);
  // "now" is the newest row, so "last 24 hours" has data however far the row budget reached
  const { rows } = await pool.query<{ max: Date }>(`SELECT max("TimeGenerated") AS max FROM ${TABLE}`);
  now = rows[0]!.max;
  const s = (performance.now() - t0) / 1000;
  console.log(`loaded ${loaded.toLocaleString("en")} rows in ${s.toFixed(1)} s (${Math.round(loaded / s).toLocaleString("en")} rows/s, simulator + ingest, no HTTP)`);
  return loaded;
}

// ── the questions: KQL and hand-written SQL ─────────────────────────────────────────────────────────────────────
const sqlJoin = (jobFilter: string, itemFilter: string) => `
SELECT j.*, j."Resource" AS "Vault", i."BackupItemUniqueId_s" AS "BackupItemUniqueId_s1", i."BackupItemFriendlyName_s" AS "BackupItemFriendlyName_s1"
FROM ${T} j
JOIN (SELECT DISTINCT "BackupItemUniqueId_s", "BackupItemFriendlyName_s" FROM ${T} AS d
      WHERE "Category" = 'AzureBackupReport' AND "OperationName" = 'BackupItem' AND "SchemaVersion_s" = 'V2' AND ${itemFilter}) i
  ON j."BackupItemUniqueId_s" = i."BackupItemUniqueId_s"
WHERE j."Category" = 'AzureBackupReport' AND j."SchemaVersion_s" = 'V2' AND j."OperationName" = 'Job'
  AND j."JobOperation_s" = 'Backup' AND j."JobStatus_s" = 'Completed' AND ${jobFilter}
LIMIT ${LIMIT}`;

const sqlBase = `SELECT * FROM ${T} AS d WHERE "Category" = 'AzureBackupReport' AND "SchemaVersion_s" = 'V2' AND "OperationName" = 'Job' AND "JobOperation_s" = 'Backup'`;
const sqlNotLog = `j."JobOperationSubType_s" <> 'Log' AND j."JobOperationSubType_s" <> 'Recovery point_Log'`;

type Case = { name: string; seed?: boolean; kql: string; sql: string };
const allCases: Case[] = [
  { name: "seed: successful backup jobs", seed: true, kql: seedQueries.successful, sql: `${sqlBase} AND "JobStatus_s" = 'Completed' LIMIT ${LIMIT}` },
  { name: "seed: failed backup jobs", seed: true, kql: seedQueries.failed, sql: `${sqlBase} AND "JobStatus_s" = 'Failed' LIMIT ${LIMIT}` },
  {
    name: "seed: successful VM backup jobs",
    seed: true,
    kql: seedQueries.vm,
    sql: sqlJoin(sqlNotLog, `"BackupItemType_s" = 'VM' AND "BackupManagementType_s" = 'IaaSVM'`),
  },
  {
    name: "seed: successful SQL log backup jobs",
    seed: true,
    kql: seedQueries.sqlLog,
    sql: sqlJoin(`j."JobOperationSubType_s" = 'Log'`, `"BackupItemType_s" = 'SQLDataBase' AND "BackupManagementType_s" = 'AzureWorkload'`),
  },
  {
    name: "seed: successful MAB backup jobs",
    seed: true,
    kql: seedQueries.mab,
    sql: sqlJoin(sqlNotLog, `"BackupItemType_s" = 'FileFolder' AND "BackupManagementType_s" = 'MAB'`),
  },
  {
    name: "alert: failed backups, last 24 h",
    kql: `AzureDiagnostics | where TimeGenerated > ago(1d) | where OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Failed" | project TimeGenerated, Resource, BackupItemUniqueId_s, JobFailureCode_s`,
    sql: `SELECT "TimeGenerated", "Resource", "BackupItemUniqueId_s", "JobFailureCode_s" FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' AND "JobOperation_s" = 'Backup' AND "JobStatus_s" = 'Failed' LIMIT ${LIMIT}`,
  },
  {
    name: "dashboard: backup jobs per day and status",
    kql: `AzureDiagnostics | where OperationName == "Job" and JobOperation_s == "Backup" | summarize count() by JobStatus_s, bin(TimeGenerated, 1d)`,
    sql: `SELECT "JobStatus_s", date_bin('1 day', "TimeGenerated", '0001-01-01T00:00:00Z') AS d, count(*) FROM ${T} AS d WHERE "OperationName" = 'Job' AND "JobOperation_s" = 'Backup' GROUP BY 1, 2`,
  },
  {
    name: "dashboard: restore jobs by status",
    kql: `AzureDiagnostics | where OperationName == "Job" and JobOperation_s == "Restore" | summarize count() by JobStatus_s`,
    sql: `SELECT "JobStatus_s", count(*) FROM ${T} AS d WHERE "OperationName" = 'Job' AND "JobOperation_s" = 'Restore' GROUP BY 1`,
  },
  {
    name: "dashboard: active built-in alerts (latest state)",
    kql: `AzureDiagnostics | where OperationName == "Alert" | summarize arg_max(TimeGenerated, *) by AlertUniqueId_s | where AlertStatus_s == "Active" | project AlertUniqueId_s, AlertCode_s, AlertSeverity_s, Resource`,
    sql: `SELECT "AlertUniqueId_s", "AlertCode_s", "AlertSeverity_s", "Resource" FROM (SELECT DISTINCT ON ("AlertUniqueId_s") * FROM ${T} AS d WHERE "OperationName" = 'Alert' ORDER BY "AlertUniqueId_s", "TimeGenerated" DESC) a WHERE "AlertStatus_s" = 'Active'`,
  },
  {
    name: "dashboard: active datasources by workload",
    kql: `AzureDiagnostics | where OperationName == "BackupItem" and SchemaVersion_s == "V2" | summarize arg_max(TimeGenerated, BackupManagementType_s, ProtectionState_s) by BackupItemUniqueId_s | where ProtectionState_s == "Protected" | summarize count() by BackupManagementType_s`,
    sql: `SELECT "BackupManagementType_s", count(*) FROM (SELECT DISTINCT ON ("BackupItemUniqueId_s") "BackupManagementType_s", "ProtectionState_s" FROM ${T} AS d WHERE "OperationName" = 'BackupItem' AND "SchemaVersion_s" = 'V2' ORDER BY "BackupItemUniqueId_s", "TimeGenerated" DESC) a WHERE "ProtectionState_s" = 'Protected' GROUP BY 1`,
  },
  {
    name: "dashboard: cloud storage per vault, top 10",
    kql: `AzureDiagnostics | where OperationName == "StorageAssociation" | summarize arg_max(TimeGenerated, StorageConsumedInMBs_s) by BackupItemUniqueId_s, Resource | summarize StorageGB = sum(todouble(StorageConsumedInMBs_s)) / 1024 by Resource | top 10 by StorageGB`,
    sql: `SELECT "Resource", sum("StorageConsumedInMBs_s"::float8) / 1024 AS gb FROM (SELECT DISTINCT ON ("BackupItemUniqueId_s", "Resource") "Resource", "StorageConsumedInMBs_s" FROM ${T} AS d WHERE "OperationName" = 'StorageAssociation' ORDER BY "BackupItemUniqueId_s", "Resource", "TimeGenerated" DESC) a GROUP BY 1 ORDER BY gb DESC NULLS LAST LIMIT 10`,
  },
  {
    name: "dashboard: average job duration by workload",
    kql: `AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Completed" | summarize avg(todouble(JobDurationInSecs_s)) by BackupManagementType_s`,
    // todouble() gives null for text that is not a number (a bare ::float8 would fail the query): the same guard as below
    sql: `SELECT "BackupManagementType_s", avg(CASE WHEN "JobDurationInSecs_s" ~ '^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$' THEN "JobDurationInSecs_s"::float8 END) FROM ${T} AS d WHERE "OperationName" = 'Job' AND "JobStatus_s" = 'Completed' GROUP BY 1`,
  },
  {
    name: "alert: vaults with most failures, 7 days",
    kql: `AzureDiagnostics | where TimeGenerated > ago(7d) and OperationName == "Job" and JobStatus_s == "Failed" | summarize failures = count() by Resource | top 10 by failures`,
    sql: `SELECT "Resource", count(*) AS failures FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '7 days' AND "OperationName" = 'Job' AND "JobStatus_s" = 'Failed' GROUP BY 1 ORDER BY failures DESC LIMIT 10`,
  },
  {
    name: "alert: items with no successful backup in 24 h",
    kql: `let items = AzureDiagnostics | where OperationName == "BackupItem" and SchemaVersion_s == "V2" | distinct BackupItemUniqueId_s;
let ok = AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" and JobStatus_s == "Completed" | distinct BackupItemUniqueId_s;
items | join kind=leftanti ok on BackupItemUniqueId_s | count`,
    sql: `SELECT count(*) FROM (SELECT DISTINCT "BackupItemUniqueId_s" FROM ${T} AS d WHERE "OperationName" = 'BackupItem' AND "SchemaVersion_s" = 'V2') i WHERE NOT EXISTS (SELECT 1 FROM ${T} j WHERE j."TimeGenerated" > $1::timestamptz - interval '1 day' AND j."OperationName" = 'Job' AND j."JobStatus_s" = 'Completed' AND j."BackupItemUniqueId_s" = i."BackupItemUniqueId_s")`,
  },
  {
    name: "dashboard: data transferred per day",
    kql: `AzureDiagnostics | where OperationName == "Job" | summarize sum(todouble(DataTransferredInMB_s)) by bin(TimeGenerated, 1d)`,
    sql: `SELECT date_bin('1 day', "TimeGenerated", '0001-01-01T00:00:00Z'), sum(CASE WHEN "DataTransferredInMB_s" ~ '^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$' THEN "DataTransferredInMB_s"::float8 END) FROM ${T} AS d WHERE "OperationName" = 'Job' GROUP BY 1`,
  },
  // the tabular operators added for issue 11 (in (subquery), lookup, serialize/window, mv-expand, make-series, top-nested, let functions)
  {
    name: "in (subquery): failed jobs of VM items, 7 days",
    kql: `AzureDiagnostics | where TimeGenerated > ago(7d) and OperationName == "Job" and JobStatus_s == "Failed" | where BackupItemUniqueId_s in ((AzureDiagnostics | where OperationName == "BackupItem" and BackupItemType_s == "VM" | project BackupItemUniqueId_s)) | count`,
    sql: `SELECT count(*) FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '7 days' AND "OperationName" = 'Job' AND "JobStatus_s" = 'Failed' AND "BackupItemUniqueId_s" IN (SELECT "BackupItemUniqueId_s" FROM ${T} AS i WHERE "OperationName" = 'BackupItem' AND "BackupItemType_s" = 'VM')`,
  },
  {
    name: "lookup: failed jobs with their item's name, 24 h",
    kql: `AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" and JobStatus_s == "Failed" | project TimeGenerated, BackupItemUniqueId_s | lookup (AzureDiagnostics | where OperationName == "BackupItem" | distinct BackupItemUniqueId_s, BackupItemFriendlyName_s) on BackupItemUniqueId_s`,
    sql: `SELECT j."TimeGenerated", j."BackupItemUniqueId_s", i."BackupItemFriendlyName_s" FROM ${T} AS j LEFT JOIN (SELECT DISTINCT "BackupItemUniqueId_s", "BackupItemFriendlyName_s" FROM ${T} AS d WHERE "OperationName" = 'BackupItem') i ON i."BackupItemUniqueId_s" = j."BackupItemUniqueId_s" WHERE j."TimeGenerated" > $1::timestamptz - interval '1 day' AND j."OperationName" = 'Job' AND j."JobStatus_s" = 'Failed' LIMIT ${LIMIT}`,
  },
  {
    name: "serialize: last 100 failures, row_number and gap",
    kql: `AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | top 100 by TimeGenerated desc | extend n = row_number(), gap = TimeGenerated - prev(TimeGenerated) | project TimeGenerated, Resource, n, gap`,
    sql: `SELECT "TimeGenerated", "Resource", row_number() OVER (ORDER BY "TimeGenerated" DESC), "TimeGenerated" - lag("TimeGenerated") OVER (ORDER BY "TimeGenerated" DESC) FROM (SELECT * FROM ${T} AS d WHERE "OperationName" = 'Job' AND "JobStatus_s" = 'Failed' ORDER BY "TimeGenerated" DESC NULLS LAST LIMIT 100) t ORDER BY "TimeGenerated" DESC`,
  },
  {
    name: "mv-expand: jobs per resource-name part, 24 h",
    kql: `AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" | extend parts = split(Resource, "-") | mv-expand part = parts to typeof(string) | summarize count() by part`,
    sql: `SELECT part, count(*) FROM ${T} AS d CROSS JOIN LATERAL unnest(string_to_array("Resource", '-')) AS part WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' GROUP BY 1`,
  },
  {
    name: "make-series: jobs per hour and status, 7 days",
    kql: `AzureDiagnostics | where OperationName == "Job" | make-series n = count() on TimeGenerated from ago(7d) to now() step 1h by JobStatus_s`,
    sql: `WITH d AS (SELECT "JobStatus_s" AS s, floor(extract(epoch from "TimeGenerated" - ($1::timestamptz - interval '7 days')) / 3600)::int AS i, count(*) AS c FROM ${T} AS d WHERE "OperationName" = 'Job' AND "TimeGenerated" >= $1::timestamptz - interval '7 days' AND "TimeGenerated" < $1::timestamptz GROUP BY 1, 2)
SELECT g.s, array_agg(COALESCE(d.c, 0) ORDER BY b), array_agg($1::timestamptz - interval '7 days' + b * interval '1 hour' ORDER BY b)
FROM (SELECT DISTINCT s FROM d) g CROSS JOIN generate_series(0, 167) AS b LEFT JOIN d ON d.s = g.s AND d.i = b GROUP BY g.s`,
  },
  {
    name: "top-nested: 5 busiest vaults, their 2 main statuses",
    kql: `AzureDiagnostics | where OperationName == "Job" | top-nested 5 of Resource by count(), top-nested 2 of JobStatus_s by count()`,
    sql: `WITH r AS (SELECT "Resource", count(*) AS c FROM ${T} AS d WHERE "OperationName" = 'Job' GROUP BY 1 ORDER BY c DESC LIMIT 5),
s AS (SELECT "Resource", "JobStatus_s", count(*) AS c, row_number() OVER (PARTITION BY "Resource" ORDER BY count(*) DESC) AS rn FROM ${T} AS d WHERE "OperationName" = 'Job' AND "Resource" IN (SELECT "Resource" FROM r) GROUP BY 1, 2)
SELECT r."Resource", r.c, s."JobStatus_s", s.c FROM r JOIN s USING ("Resource") WHERE s.rn <= 2`,
  },
  {
    name: "toscalar: failed share per vault, 24 h",
    kql: `let total = toscalar(AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" | count); AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" and JobStatus_s == "Failed" | summarize pct = 100.0 * count() / total by Resource`,
    sql: `SELECT "Resource", 100.0 * count(*) / (SELECT count(*) FROM ${T} AS t WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job') FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' AND "JobStatus_s" = 'Failed' GROUP BY 1`,
  },
  {
    name: "parse: jobs per vault-name prefix, 24 h",
    kql: `AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" | parse Resource with prefix "-" rest | summarize count() by prefix`,
    sql: `SELECT CASE WHEN strpos("Resource", '-') > 0 THEN split_part("Resource", '-', 1) ELSE '' END, count(*) FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' GROUP BY 1`,
  },
  {
    name: "let function: failures per vault, 24 h",
    kql: `let failed = (d:timespan) { AzureDiagnostics | where TimeGenerated > ago(d) and OperationName == "Job" and JobStatus_s == "Failed" }; failed(1d) | summarize count() by Resource`,
    sql: `SELECT "Resource", count(*) FROM ${T} AS d WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' AND "JobStatus_s" = 'Failed' GROUP BY 1`,
  },
  {
    name: "percentiles: job duration p50/p95 per workload",
    kql: `AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Completed" | summarize percentiles(todouble(JobDurationInSecs_s), 50, 95) by BackupManagementType_s`,
    sql: `SELECT "BackupManagementType_s", percentile_disc(0.5) WITHIN GROUP (ORDER BY CASE WHEN "JobDurationInSecs_s" ~ '^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$' THEN "JobDurationInSecs_s"::float8 END), percentile_disc(0.95) WITHIN GROUP (ORDER BY CASE WHEN "JobDurationInSecs_s" ~ '^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$' THEN "JobDurationInSecs_s"::float8 END) FROM ${T} AS d WHERE "OperationName" = 'Job' AND "JobStatus_s" = 'Completed' GROUP BY 1`,
  },
  {
    name: "mv-apply: each job's longest resource-name part, 24 h",
    kql: `AzureDiagnostics | where TimeGenerated > ago(1d) and OperationName == "Job" | extend parts = split(Resource, "-") | mv-apply p = parts to typeof(string) on (top 1 by strlen(p) desc) | summarize count() by p`,
    sql: `SELECT p, count(*) FROM ${T} AS d CROSS JOIN LATERAL (SELECT p FROM unnest(string_to_array("Resource", '-')) AS p ORDER BY length(p) DESC LIMIT 1) AS x WHERE "TimeGenerated" > $1::timestamptz - interval '1 day' AND "OperationName" = 'Job' GROUP BY 1`,
  },
];
const cases = opts.only ? allCases.filter((c) => c.name.includes(opts.only!)) : allCases;

// ── measure ─────────────────────────────────────────────────────────────────────────────────────────────────────
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function timeIt(fn: () => Promise<number>): Promise<{ times: number[]; rows: number }> {
  let rows = await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    rows = await fn();
    times.push(performance.now() - t0);
  }
  return { times, rows };
}

async function main() {
  warmUp();
  const loaded = await load();
  const { rows: size } = await pool.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('${TABLE}')) AS size`);
  console.log(`table size ${size[0]!.size}; ${RUNS} timed runs per query after one warm-up; row cap ${DEFAULT_ROW_LIMIT.toLocaleString("en")}`);
  await measureCompile();
  if (opts["compile-only"]) return;
  // Log Analytics clients send a timespan with every query (LogsQueryClient requires one); no timespan means all data
  await measure("all data (no timespan)", undefined, loaded);
  await measure("timespan P1D (the portal's and LogsQueryClient's usual window)", 86_400_000, loaded);
}

async function measure(title: string, spanMs: number | undefined, loaded: number) {
  console.log(`\n${title}`);
  const timespan = spanMs ? { start: new Date(now.getTime() - spanMs), end: now } : undefined;
  const table = timespan ? `(SELECT * FROM ${TABLE} WHERE "TimeGenerated" >= $2::timestamptz AND "TimeGenerated" < $3::timestamptz)` : TABLE;
  const header = ["query", "rows", "kql p50", "kql p95", "compile p50", "sql p50", "sql p95", "ratio"];
  const lines: string[][] = [];
  for (const c of cases) {
    let compileMs: number[] = [];
    const kql = await timeIt(async () => {
      const r = await runLocalQuery(pool, { workspaceId, query: c.kql, now, ...(timespan ? { timespan } : {}) });
      compileMs.push(r.timings.compileMs);
      return r.tables[0]!.rows.length;
    });
    compileMs = compileMs.slice(1);
    const sql = await timeIt(async () => {
      const text = c.sql.replaceAll(T, table);
      const values = timespan ? [now.toISOString(), timespan.start.toISOString(), timespan.end.toISOString()] : text.includes("$1") ? [now.toISOString()] : [];
      // $1 (now) must be typed even where a question does not use it
      const typed = timespan && !text.includes("$1") ? `SELECT * FROM (${text}) AS q WHERE $1::timestamptz IS NOT NULL OR true` : text;
      const r = await pool.query({ text: typed, values, rowMode: "array", types: resultTypes });
      return r.rows.length;
    });
    const k50 = percentile(kql.times, 50);
    const s50 = percentile(sql.times, 50);
    lines.push([
      c.name,
      `${kql.rows}${kql.rows === sql.rows ? "" : ` (sql ${sql.rows})`}`,
      `${k50.toFixed(1)}${c.seed ? (k50 <= 100 ? " ✓" : " ✗") : ""}`,
      percentile(kql.times, 95).toFixed(1),
      percentile(compileMs, 50).toFixed(1),
      s50.toFixed(1),
      percentile(sql.times, 95).toFixed(1),
      `${(k50 / s50).toFixed(2)}${k50 / s50 <= 2 ? "" : " ✗"}`,
    ]);
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log(`\n(${loaded.toLocaleString("en")} rows; times in ms; kql = catalog + parse/analyse/compile + execute + format, as the API runs it)`);
}

function row(name: string, local: number[], miss: number[], localHit: number[], hit: number[]): string[] {
  const [l50, m50, lh50, h50] = [local, miss, localHit, hit].map((xs) => percentile(xs, 50)) as [number, number, number, number];
  return [name, l50.toFixed(2), m50.toFixed(2), (m50 - l50).toFixed(2), lh50.toFixed(3), h50.toFixed(3)];
}

/** Parse, analyse and compile of each query: on this thread, through the compile pool (miss), from its cache (hit). */
async function measureCompile() {
  const tables = await getWorkspaceSchema(pool, workspaceId);
  const options = { tables, tableSql: (t: string) => qualifiedTable(workspaceId, t), ingestionColumn: INGESTED_AT_COLUMN, workspaceId, now };
  const request = (query: string) => ({ query, workspaceId, tables, expectTables: false, rowLimit: LIMIT, timespan: false, ingestedAfter: false, ingestedUpTo: false });
  const rss0 = process.memoryUsage().rss;
  compilePool().warm();
  await Promise.all(cases.slice(0, 2).map((c) => compilePool().compile(request(c.kql))));
  console.log(`\ncompile latency (p50 ms over ${RUNS} runs; a miss compiles a new text each run); compile threads added ${Math.round((process.memoryUsage().rss - rss0) / 1e6)} MB RSS`);
  const header = ["query", "this thread", "pool miss", "hop", "this thread hit", "pool hit"];
  const lines: string[][] = [];
  let n = 0;
  const all = { local: [] as number[], miss: [] as number[], localHit: [] as number[], hit: [] as number[] };
  for (const c of cases) {
    const local: number[] = [];
    const miss: number[] = [];
    const localHit: number[] = [];
    const hit: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      // a trailing comment makes a new text (a cache miss) that costs Kusto the same work
      const text = `${c.kql}\n// run ${n++}`;
      let t0 = performance.now();
      compileKql(text, { ...options, rowLimit: LIMIT });
      const l = performance.now() - t0;
      t0 = performance.now();
      compileKql(text, { ...options, rowLimit: LIMIT });
      const lh = performance.now() - t0;
      t0 = performance.now();
      await compilePool().compile(request(`${text} (pool)`));
      const m = performance.now() - t0;
      t0 = performance.now();
      await compilePool().compile(request(`${text} (pool)`));
      const h = performance.now() - t0;
      if (i === 0) continue; // warm-up
      local.push(l);
      miss.push(m);
      localHit.push(lh);
      hit.push(h);
    }
    all.local.push(...local);
    all.miss.push(...miss);
    all.localHit.push(...localHit);
    all.hit.push(...hit);
    lines.push(row(c.name, local, miss, localHit, hit));
  }
  lines.push(row("all queries", all.local, all.miss, all.localHit, all.hit));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

try {
  await main();
} finally {
  await dropWorkspaceStorage(pool, workspaceId).catch(() => undefined);
  await pool.end();
}
