/**
 * `pnpm bench views`: the six backup views over 30 days of a 1,000,000-row local workspace (the simulator's estate
 * of `pnpm bench kql`: 500 vaults, one item of each workload, SQL log backups hourly). For each view, its chart and its
 * first drill-down (the items behind one slice), as the API runs them: both shapes through the query runner (catalog,
 * compile, execute, format), merged. Prints p50 and p95 per query; target p95 ≤ 300 ms.
 * Options: --rows N (default 1,000,000), --runs N (default 15), --only TEXT (the queries whose name holds it),
 * --keep (leave the loaded workspace in place and print its id) and --workspace ID (measure that kept workspace again
 * instead of loading one: for trying a query plan without a minute of loading each time). `pnpm bench` drops its
 * scratch database afterwards, so for these two run the file itself against a database of your own:
 * `DATABASE_URL=... NODE_ENV=production pnpm --filter @vaultwatch/views exec tsx bench/views.ts --keep`.
 * The table's size counts its partitions, if it has any.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { localWorkspaceRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestRecords, qualifiedTable, runLocalQuery } from "@vaultwatch/local-workspace";
import { generateEstate } from "@vaultwatch/simulator";
import pg from "pg";
import { viewChart, viewItems } from "../src/answers";
import type { FanOut } from "../src/run";
import { views, type Slice, type ViewId } from "../src/views";

const { values: opts } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "15" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    workspace: { type: "string" },
  },
});
const TARGET_ROWS = Number(opts.rows);
const RUNS = Number(opts.runs);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required (run through `pnpm bench views`)");

const pool = new pg.Pool({ connectionString: url, max: 4 });
const tenantId = randomUUID();
const workspace: WorkspaceRef = { id: opts.workspace ?? randomUUID(), tenantId, kind: "local", name: "bench", armId: null };
const simulatedUntil = new Date("2026-11-01T00:00:00Z");

async function load(): Promise<{ loaded: number; first: Date; last: Date }> {
  const t0 = performance.now();
  let loaded = 0;
  if (opts.workspace) return describe(0, t0);
  let batch: unknown[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await ingestRecords(pool, { workspaceId: workspace.id, tenantId }, batch);
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
  await pool.query(`ANALYZE ${qualifiedTable(workspace.id, "AzureDiagnostics")}`);
  return describe(loaded, t0);
}

async function describe(loaded: number, t0: number) {
  const table = qualifiedTable(workspace.id, "AzureDiagnostics");
  const { rows } = await pool.query<{ min: Date; max: Date; size: string }>(
    `SELECT min("TimeGenerated") AS min, max("TimeGenerated") AS max, pg_size_pretty(coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('${table}') WHERE isleaf), pg_total_relation_size('${table}'))) AS size FROM ${table}`,
  );
  const { rows: kinds } = await pool.query<{ op: string; n: string }>(`SELECT "OperationName" AS op, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 2 DESC`);
  const s = (performance.now() - t0) / 1000;
  loaded ||= kinds.reduce((n, k) => n + Number(k.n), 0);
  console.log(`${opts.workspace ? "kept" : "loaded"} ${loaded.toLocaleString("en")} rows in ${s.toFixed(1)} s; AzureDiagnostics ${rows[0]!.size}; ${rows[0]!.min.toISOString()} .. ${rows[0]!.max.toISOString()}`);
  console.log(`rows per OperationName: ${kinds.map((k) => `${k.op} ${Number(k.n).toLocaleString("en")}`).join(", ")}`);
  return { loaded, first: rows[0]!.min, last: rows[0]!.max };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** The slice a user would click first in each chart. */
function firstSlice(view: ViewId, vault: string): Slice {
  switch (view) {
    case "backupJobs":
    case "restoreJobs":
      return { status: "Failed" };
    case "azureAlerts":
    case "onPremisesAlerts":
      return { severity: "Critical" };
    case "datasources":
      return { protectionState: "Protected" };
    case "cloudStorage":
      return { vault };
  }
}

/** A workspace that failed (a timeout) must not pass for a fast answer. */
function rowsOrError<A extends { workspaces: { status: string; error?: string }[] }>(answer: A, rows: (a: A) => number): number {
  const failed = answer.workspaces.find((w) => w.status === "error");
  if (failed) throw new Error(failed.error ?? "failed");
  return rows(answer);
}

async function main() {
  const { loaded, last } = await load();
  // 30 days up to just after the newest row: the views' usual "last 30 days"
  const end = new Date(last.getTime() + 1000);
  const window = { start: new Date(end.getTime() - 30 * 86_400_000), end };
  const fan: FanOut = { runner: localWorkspaceRunner(pool), workspaces: [workspace], window, now: end, concurrency: 2, timeoutMs: 60_000 };
  const { rows: v } = await pool.query<{ r: string }>(`SELECT "Resource" AS r FROM ${qualifiedTable(workspace.id, "AzureDiagnostics")} WHERE "OperationName" = 'StorageAssociation' LIMIT 1`);
  const vault = v[0]?.r ?? "";

  const cases: { name: string; run: () => Promise<number>; legacy: string }[] = [];
  for (const view of Object.keys(views) as ViewId[]) {
    const slice = firstSlice(view, vault);
    cases.push({
      name: `${view}: chart (1d bins)`,
      run: async () => rowsOrError(await viewChart(fan, view, "1d"), (a) => a.series.length),
      legacy: views[view].chart("legacy", "1d"),
    });
    cases.push({
      name: `${view}: items of ${JSON.stringify(slice)}`,
      run: async () => rowsOrError(await viewItems(fan, view, slice, "1d", { offset: 0, limit: 50 }), (a) => a.page.total),
      legacy: views[view].items("legacy", slice, "1d", 86_400_000),
    });
  }

  console.log(`\n${RUNS} timed runs per query after one warm-up; window ${window.start.toISOString()} .. ${window.end.toISOString()}`);
  const header = ["query", "rows", "p50 ms", "p95 ms", "legacy only p50", "≤ 300"];
  const lines: string[][] = [];
  for (const c of cases) {
    if (opts.only && !c.name.includes(opts.only)) continue;
    try {
      let rows = await c.run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        rows = await c.run();
        times.push(performance.now() - t0);
      }
      // the legacy shape's query alone (what the resource-specific leg adds is the difference)
      const legacyTimes: number[] = [];
      for (let i = 0; i < Math.min(RUNS, 5); i++) {
        const t0 = performance.now();
        await runLocalQuery(pool, { workspaceId: workspace.id, query: c.legacy, timespan: window, now: end, expectTables: true, rowLimit: 50_000, timeoutMs: 60_000 });
        legacyTimes.push(performance.now() - t0);
      }
      const p95 = percentile(times, 95);
      lines.push([c.name, String(rows), percentile(times, 50).toFixed(1), p95.toFixed(1), percentile(legacyTimes, 50).toFixed(1), p95 <= 300 ? "✓" : "✗"]);
    } catch (e) {
      lines.push([c.name, "-", "failed", (e as Error).message.slice(0, 60), "-", "✗"]);
    }
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log(`\n(${loaded.toLocaleString("en")} rows; each time is the API's work for one workspace: both shapes through the runner, merged)`);

}

try {
  await main();
} finally {
  if (opts.keep || opts.workspace) console.log(`workspace kept: --workspace ${workspace.id}`);
  else await dropWorkspaceStorage(pool, workspace.id).catch(() => undefined);
  await pool.end();
}
