/**
 * Runs a view's query on many workspaces through the WorkspaceQueryRunner (local and Azure workspaces alike).
 *
 * Both shapes, every time, merged: a workspace may hold both (some vaults send AzureDiagnostics, others the
 * resource-specific tables, or one vault switched mode inside the range, leaving its history in one table and its
 * news in the other), so choosing one shape per workspace would drop part of the data. The shape a workspace lacks
 * costs little: on a local workspace the absent tables read as empty relations, and Azure refuses a query naming a
 * table or column it has never received at once (BadArgumentError / SemanticError) — which is "no data yet" here,
 * never an error (the seed's BadArgumentError note). A vault sending both shapes at once is counted once: the legacy
 * query leaves out what the resource-specific tables hold (sources.ts, dedupe.ts).
 */
import { QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { mapLimited } from "@vaultwatch/schemas";
import type { z } from "zod";
import { everything, heldOf, heldQuery, type Held } from "./dedupe";
import { shapes, type Shape } from "./sources";

/** What Kusto (Azure's or ours) answers when a query names a table or column the workspace has not received. */
const missingSchema = [
  /\bBadArgumentError\b/,
  /\bSemanticError\b/,
  /Failed to resolve (table|column|scalar)/i,
  /does not refer to any known (table|column)/i,
];

/** Our queries are fixed and valid, so a semantic refusal can only mean the workspace lacks their schema: no data. */
export function isMissingSchema(e: unknown): boolean {
  return e instanceof Error && missingSchema.some((re) => re.test(e.message));
}

export type WorkspaceOutcome =
  | { status: "ok"; shapes: Shape[] }
  | { status: "noData" }
  | { status: "error"; error: string }
  /** not queried: the call's time budget ran out before its turn came (an MSP's "all tenants" of thousands) */
  | { status: "skipped"; error: string };

export type WorkspaceAnswer<Row> = { workspace: WorkspaceRef; outcome: WorkspaceOutcome; rows: Row[]; truncated: boolean };

export type FanOut = {
  runner: WorkspaceQueryRunner;
  workspaces: WorkspaceRef[];
  window: { start: Date; end: Date };
  /** Queries at once across all workspaces (Azure allows 5 per identity; the local pool is shared with ingest). */
  concurrency?: number;
  rowLimit?: number;
  timeoutMs?: number;
  now?: Date;
  /**
   * Wall-clock ms from the start after which no further query starts: the workspaces not reached are answered as
   * skipped (queries already running finish, each within timeoutMs), so a call over thousands of workspaces ends.
   */
  budgetMs?: number;
};

type ShapeAnswer =
  | { shape: Shape; rows: Record<string, unknown>[]; truncated: boolean }
  | { shape: Shape; error: string }
  | { shape: Shape; missing: true }
  | { shape: Shape; skipped: true };

/**
 * One query per shape per workspace, `concurrency` at a time; rows checked against `schema` (a row that does not fit
 * is our bug or a foreign schema: the workspace reports an error rather than a wrong chart). With `probe`, each
 * workspace is first asked which of those resource-specific tables hold rows in the window (one small query), and
 * the queries are written for that (dedupe.ts).
 */
export async function runOnWorkspaces<S extends z.ZodType>(
  fan: FanOut,
  queryFor: (shape: Shape, held: Held) => string,
  schema: S,
  probe: readonly string[] = [],
): Promise<WorkspaceAnswer<z.output<S>>[]> {
  const now = fan.now ?? new Date();
  const stopAt = fan.budgetMs === undefined ? Infinity : Date.now() + fan.budgetMs;
  const run = async (workspace: WorkspaceRef, query: string, rowLimit: number) =>
    fan.runner.run(workspace, {
      query,
      window: { kind: "event", start: fan.window.start, end: fan.window.end },
      now,
      rowLimit,
      timeoutMs: fan.timeoutMs ?? 20_000,
    });
  // the runner's failures are written for users; anything else is ours and is not shown in full
  const failure = (e: unknown) => (e instanceof QueryFailure ? e.message : "the query failed");
  // a workspace's shapes run side by side, so `concurrency` queries at once means concurrency / 2 workspaces
  const perWorkspace = await mapLimited(fan.workspaces, Math.max(1, Math.floor((fan.concurrency ?? 4) / shapes.length)), async (workspace): Promise<ShapeAnswer[]> => {
    if (Date.now() >= stopAt) return shapes.map((shape) => ({ shape, skipped: true as const }));
    let held: Held = everything;
    if (probe.length) {
      try {
        held = heldOf((await run(workspace, heldQuery(probe), probe.length)).rows);
      } catch (e) {
        if (isMissingSchema(e)) held = new Set();
        else return shapes.map((shape) => ({ shape, error: failure(e) }));
      }
    }
    return Promise.all(
      shapes.map(async (shape): Promise<ShapeAnswer> => {
        try {
          const r = await run(workspace, queryFor(shape, held), fan.rowLimit ?? 10_000);
          return { shape, rows: r.rows, truncated: r.truncated };
        } catch (e) {
          if (isMissingSchema(e)) return { shape, missing: true };
          return { shape, error: failure(e) };
        }
      }),
    );
  });
  return fan.workspaces.map((workspace, w) => {
    const mine = perWorkspace[w]!;
    // half an answer would pass for the whole: a workspace with a shape not run is skipped as a whole
    if (mine.some((a) => "skipped" in a)) return { workspace, outcome: { status: "skipped", error: "not queried: the time for this request ran out (narrow to fewer workspaces)" }, rows: [], truncated: false };
    const rows: z.output<S>[] = [];
    const withRows: Shape[] = [];
    let truncated = false;
    for (const a of mine) {
      if (!("rows" in a) || a.rows.length === 0) continue;
      const parsed = a.rows.map((row) => schema.safeParse(row));
      const bad = parsed.find((p) => !p.success);
      if (bad) return { workspace, outcome: { status: "error", error: `unexpected result from the ${a.shape} query` }, rows: [], truncated: false };
      rows.push(...parsed.map((p) => p.data as z.output<S>));
      withRows.push(a.shape);
      truncated ||= a.truncated;
    }
    const failed = mine.find((a): a is { shape: Shape; error: string } => "error" in a);
    // a shape that failed for real makes the workspace's answer incomplete: say so rather than show part of it
    if (failed) return { workspace, outcome: { status: "error", error: failed.error }, rows: [], truncated: false };
    return { workspace, outcome: withRows.length ? { status: "ok", shapes: withRows } : { status: "noData" }, rows, truncated };
  });
}
