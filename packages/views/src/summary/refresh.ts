/**
 * One workspace's summary: both shapes' queries through the WorkspaceQueryRunner (local and Azure alike), their rows
 * folded into the numbers the Overview shows, written to `workspace_summary`. A shape whose tables or columns the
 * workspace lacks (Azure refuses to resolve them) counts as no data; a workspace with no backup rows in either shape is
 * blind, which is a state, not an error. Any other failure keeps the last good numbers and records the error.
 */
import type { WorkspaceQueryRunner, WorkspaceRef } from "@vaultwatch/evaluator";
import type pg from "pg";
import { isMissingSchema } from "../run";
import { shapes, type Shape } from "../sources";
import { heldOf, heldQuery, type Held } from "../dedupe";
import { SUMMARY_TREND_DAYS, summaryProbe, summaryQuery, summaryWindow } from "./query";

export type SummaryNumbers = {
  failedJobs24h: number;
  datasourcesWithoutSuccess24h: number;
  protectedDatasources: number;
  rowsSeen: number;
  blind: boolean;
  lastDataAt: Date | null;
  /** failed backup jobs per UTC day, oldest first, SUMMARY_TREND_DAYS of them */
  failedTrend: { day: string; failed: number }[];
};

export type RefreshOutcome = { ok: true; numbers: SummaryNumbers } | { ok: false; error: string };

const QUERY_TIMEOUT_MS = 60_000;

type Row = Record<string, unknown>;

function emptyTrend(now: Date): { day: string; failed: number }[] {
  const start = summaryWindow(now).start.getTime();
  return Array.from({ length: SUMMARY_TREND_DAYS }, (_, i) => ({ day: new Date(start + i * 86_400_000).toISOString().slice(0, 10), failed: 0 }));
}

const count = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0)) || 0;

/** The rows of every shape that answered, folded together (a workspace moving between shapes holds both for a while). */
export function foldSummaryRows(rows: readonly Row[], now: Date): SummaryNumbers {
  const n: SummaryNumbers = {
    failedJobs24h: 0,
    datasourcesWithoutSuccess24h: 0,
    protectedDatasources: 0,
    rowsSeen: 0,
    blind: true,
    lastDataAt: null,
    failedTrend: emptyTrend(now),
  };
  const byDay = new Map(n.failedTrend.map((d) => [d.day, d]));
  for (const r of rows) {
    const value = count(r.Value);
    const day = typeof r.Day === "string" ? r.Day : null;
    switch (r.Metric) {
      case "failedPerDay": {
        const bucket = day ? byDay.get(day.slice(0, 10)) : undefined;
        if (bucket) bucket.failed += value;
        break;
      }
      case "failed24h":
        n.failedJobs24h += value;
        break;
      case "protected":
        n.protectedDatasources += value;
        break;
      case "withoutSuccess24h":
        n.datasourcesWithoutSuccess24h += value;
        break;
      case "rows":
        n.rowsSeen += value;
        if (day && (!n.lastDataAt || new Date(day) > n.lastDataAt)) n.lastDataAt = new Date(day);
        break;
    }
  }
  n.blind = n.rowsSeen === 0;
  return n;
}

/** Runs both shapes' queries and folds them; never throws for the query's own faults. */
export async function computeSummary(runner: WorkspaceQueryRunner, workspace: WorkspaceRef, now: Date): Promise<RefreshOutcome> {
  const window = summaryWindow(now);
  const run = (query: string) =>
    runner.run(workspace, { query, window: { kind: "event", start: window.start, end: window.end }, now, rowLimit: 100, timeoutMs: QUERY_TIMEOUT_MS });
  // which resource-specific tables hold rows decides how the legacy query leaves out what they report (dedupe.ts)
  let held: Held;
  try {
    held = heldOf((await run(heldQuery(summaryProbe))).rows);
  } catch (e) {
    if (!isMissingSchema(e)) return { ok: false, error: `resource-specific tables: ${e instanceof Error ? e.message : String(e)}`.slice(0, 1000) };
    held = new Set();
  }
  type Answer = { rows: readonly Row[] } | { error: string };
  const answers = await Promise.all(
    shapes.map(async (shape: Shape): Promise<Answer> => {
      try {
        const result = await run(summaryQuery(shape, held));
        return { rows: result.rows };
      } catch (e) {
        // a shape whose tables or columns the workspace lacks has no data there yet (run.ts)
        if (isMissingSchema(e)) return { rows: [] };
        const message = e instanceof Error ? e.message : String(e);
        return { error: `${shape === "legacy" ? "AzureDiagnostics" : "resource-specific tables"}: ${message}` };
      }
    }),
  );
  const rows: Row[] = [];
  for (const a of answers) {
    if ("error" in a) return { ok: false, error: a.error.slice(0, 1000) };
    rows.push(...a.rows);
  }
  return { ok: true, numbers: foldSummaryRows(rows, now) };
}

/** Writes the outcome: new numbers, or only the attempt and its error. A workspace deleted meanwhile stays deleted. */
export async function storeSummary(pool: pg.Pool, workspace: Pick<WorkspaceRef, "id" | "tenantId">, now: Date, outcome: RefreshOutcome): Promise<void> {
  try {
    if (outcome.ok) {
      const n = outcome.numbers;
      await pool.query(
        `INSERT INTO workspace_summary ("workspaceId", "tenantId", "refreshedAt", "attemptedAt", "claimedUntil", "failedJobs24h",
           "datasourcesWithoutSuccess24h", "protectedDatasources", "rowsSeen", blind, "lastDataAt", "failedTrend", "lastError")
         VALUES ($1, $2, $3, $3, NULL, $4, $5, $6, $7, $8, $9, $10, NULL)
         ON CONFLICT ("workspaceId") DO UPDATE SET "refreshedAt" = $3, "attemptedAt" = $3, "claimedUntil" = NULL,
           "failedJobs24h" = $4, "datasourcesWithoutSuccess24h" = $5, "protectedDatasources" = $6, "rowsSeen" = $7, blind = $8,
           "lastDataAt" = $9, "failedTrend" = $10, "lastError" = NULL
         WHERE workspace_summary."tenantId" = $2`,
        [workspace.id, workspace.tenantId, now, n.failedJobs24h, n.datasourcesWithoutSuccess24h, n.protectedDatasources, Math.min(n.rowsSeen, 2 ** 31 - 1), n.blind, n.lastDataAt, JSON.stringify(n.failedTrend)],
      );
    } else {
      await pool.query(
        `INSERT INTO workspace_summary ("workspaceId", "tenantId", "attemptedAt", "lastError") VALUES ($1, $2, $3, $4)
         ON CONFLICT ("workspaceId") DO UPDATE SET "attemptedAt" = $3, "claimedUntil" = NULL, "lastError" = $4
         WHERE workspace_summary."tenantId" = $2`,
        [workspace.id, workspace.tenantId, now, outcome.error],
      );
    }
  } catch (e) {
    // 23503: the workspace is gone (deleted while its summary was being computed); nothing to keep
    if ((e as { code?: string }).code === "23503") return;
    throw e;
  }
}

/** Computes and stores one workspace's summary at `now`. */
export async function refreshWorkspaceSummary(deps: { pool: pg.Pool; runner: WorkspaceQueryRunner }, workspace: WorkspaceRef, now = new Date()): Promise<RefreshOutcome> {
  const outcome = await computeSummary(deps.runner, workspace, now);
  await storeSummary(deps.pool, workspace, now, outcome);
  return outcome;
}
