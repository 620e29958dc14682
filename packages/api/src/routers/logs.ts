/**
 * The Logs explorer: KQL over one or several of a tenant's workspaces through the same WorkspaceQueryRunner rules use
 * (local and Azure workspaces alike), the tables and columns the editor completes, and the user's recent queries.
 */
import { z } from "zod";
import { expectedTablesOnly, QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { logRunInput, resolveLogTimeRange, rowId } from "@vaultwatch/schemas";
import type { Db } from "@vaultwatch/db";
import { badInput } from "../errors";
import { tenantWorkspaces } from "../services/rule-validation";
import { mergeWorkspaceAnswers, splitRender, type WorkspaceAnswer } from "../services/logs-results";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** Rows one run returns in all (the table is virtualised; more than this belongs in a summarize). */
export const MAX_LOG_ROWS = 10_000;
/** Each workspace's query may run this long (Postgres' statement timeout locally, the server timeout on Azure). */
export const LOG_QUERY_TIMEOUT_MS = 30_000;
/** Workspaces queried at once by one run. */
const WORKSPACES_AT_ONCE = 3;
/** History rows kept per user and tenant; the explorer shows the newest. */
const HISTORY_KEPT = 50;
const HISTORY_SHOWN = 20;

type Failure = { workspaceId: string; workspaceName: string; message: string };

/** A failure's text for the user, with Kusto's line and column when the engine gave them. */
function failureText(e: QueryFailure): string {
  const bare = e.message.replace(/ \(line \d+, column \d+\)$/, "");
  return e.position ? `${bare} (line ${e.position.line}, column ${e.position.column})` : bare;
}

async function runEach(
  runner: WorkspaceQueryRunner,
  workspaces: WorkspaceRef[],
  q: { query: string; start: Date; end: Date; now: Date },
): Promise<{ answers: WorkspaceAnswer[]; failures: Failure[] }> {
  const answers: (WorkspaceAnswer | null)[] = workspaces.map(() => null);
  const failures: Failure[] = [];
  let next = 0;
  const lane = async () => {
    while (next < workspaces.length) {
      const i = next++;
      const workspace = workspaces[i]!;
      try {
        const result = await runner.run(workspace, {
          query: q.query,
          window: { kind: "event", start: q.start, end: q.end },
          now: q.now,
          rowLimit: MAX_LOG_ROWS,
          timeoutMs: LOG_QUERY_TIMEOUT_MS,
        });
        answers[i] = { workspace, result };
      } catch (e) {
        // the query's own fault is the user's to see; anything else is ours, logged by the error middleware
        if (!(e instanceof QueryFailure)) throw e;
        failures.push({ workspaceId: workspace.id, workspaceName: workspace.name, message: failureText(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKSPACES_AT_ONCE, workspaces.length) }, lane));
  return { answers: answers.filter((a): a is WorkspaceAnswer => a !== null), failures };
}

/** Keeps the user's newest queries in this tenant; an identical re-run moves to the top instead of repeating. */
async function remember(db: Db, entry: { tenantId: string; userId: string; query: string; workspaceIds: string[]; timeRange: string }) {
  const mine = { tenantId: entry.tenantId, userId: entry.userId };
  await db.$transaction(async (tx) => {
    await tx.queryHistory.deleteMany({ where: { ...mine, query: entry.query, timeRange: entry.timeRange, workspaceIds: { equals: entry.workspaceIds } } });
    await tx.queryHistory.create({ data: entry });
    const old = await tx.queryHistory.findMany({ where: mine, orderBy: { ranAt: "desc" }, skip: HISTORY_KEPT, select: { id: true } });
    if (old.length) await tx.queryHistory.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
  });
}

export const logsRouter = createTRPCRouter({
  /**
   * Runs a query over the chosen workspaces and time range. A query every workspace refuses is a bad input naming
   * Kusto's problem; when only some refuse, the others' rows come back with the refusals listed.
   */
  run: permissionProcedure("workspaces.read")
    .input(logRunInput)
    .mutation(async ({ ctx, input }) => {
      const runner = ctx.queryRunner;
      if (!runner) throw badInput("query", "queries cannot run here");
      const workspaces = await tenantWorkspaces(ctx.db, ctx.tenant.id, input.workspaceIds);
      const ordered = input.workspaceIds.map((id) => workspaces.find((w) => w.id === id)!);
      const now = new Date();
      const range = resolveLogTimeRange(input.timeRange, now);
      if ("error" in range) throw badInput("timeRange", range.error);
      await remember(ctx.db, { tenantId: ctx.tenant.id, userId: ctx.user.id, query: input.query, workspaceIds: input.workspaceIds, timeRange: input.timeRange });

      const started = performance.now();
      const { query, render } = splitRender(input.query);
      const { answers, failures } = await runEach(runner, ordered, { query, start: range.start, end: range.end, now });
      if (!answers.length) {
        const first = failures[0]!;
        const same = failures.every((f) => f.message === first.message);
        throw badInput("query", ordered.length === 1 || same ? first.message : `${first.workspaceName}: ${first.message}`);
      }
      const table = mergeWorkspaceAnswers(answers, MAX_LOG_ROWS, ordered.length > 1);
      return {
        ...table,
        render,
        failures,
        range: { start: range.start, end: range.end },
        elapsedMs: Math.round(performance.now() - started),
      };
    }),

  /** The tables and columns a query may name in one workspace (the editor's completion and its inline errors). */
  schema: permissionProcedure("workspaces.read")
    .input(z.object({ workspaceId: rowId }))
    .query(async ({ ctx, input }) => {
      const [workspace] = await tenantWorkspaces(ctx.db, ctx.tenant.id, [input.workspaceId]);
      const tables = ctx.queryRunner?.schema ? await ctx.queryRunner.schema(workspace!) : expectedTablesOnly();
      return { workspaceId: workspace!.id, tables: [...tables].sort((a, b) => a.name.localeCompare(b.name)) };
    }),

  /** The signed-in user's newest queries in this tenant. */
  history: permissionProcedure("workspaces.read").query(async ({ ctx }) =>
    ctx.db.queryHistory.findMany({
      where: { tenantId: ctx.tenant.id, userId: ctx.user.id },
      orderBy: { ranAt: "desc" },
      take: HISTORY_SHOWN,
      select: { id: true, query: true, workspaceIds: true, timeRange: true, ranAt: true },
    }),
  ),
});
