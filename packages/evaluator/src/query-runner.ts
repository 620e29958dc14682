/**
 * The one interface every rule query goes through, whatever the workspace: a local workspace (our KQL engine over
 * Postgres) or an Azure Log Analytics workspace (the Azure issue plugs its client in behind the same interface).
 */
import type { EvaluationWindow, ResultRow } from "@vaultwatch/alerting";
import { KqlError } from "@vaultwatch/kql/runtime";
import {
  checkLocalQuery,
  getWorkspaceSchema,
  inQueryTurn,
  ingestionWatermark,
  QueryThrottledError,
  QueryTimeoutError,
  runLocalQuery,
  type QueryGate,
} from "@vaultwatch/local-workspace";
import { withExpectedTables, type ColumnSchema, type TableSchema, type TimeMode } from "@vaultwatch/schemas";
import type pg from "pg";

export type WorkspaceRef = { id: string; tenantId: string; kind: "local" | "azure"; name: string; armId: string | null };

export type RuleQuery = {
  query: string;
  window: EvaluationWindow;
  /** What `now()` means to the query: the tick, so a catch-up run sees what the tick would have seen. */
  now: Date;
  rowLimit: number;
  timeoutMs: number;
};

export type RuleQueryResult = { columns: ColumnSchema[]; rows: ResultRow[]; truncated: boolean };

/**
 * The query's own fault (bad KQL, a timeout, an error of the engine that ran it, a workspace we cannot reach):
 * recorded on the evaluation, never retried blindly. The message is for users: it names what failed, never SQL.
 * `position` is where in the query Kusto found the error, when it did.
 */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly position?: { line: number; column: number },
  ) {
    super(message);
    this.name = "QueryFailure";
  }
}

export interface WorkspaceQueryRunner {
  /** The ingestion instant up to which every row is visible: where an ingestion-mode window may end. */
  watermark(workspace: WorkspaceRef): Promise<Date>;
  run(workspace: WorkspaceRef, query: RuleQuery): Promise<RuleQueryResult>;
  /**
   * Checks a query against the workspace without running it (a rule being saved). Returns the output columns, or
   * none when the runner cannot tell (then the rule's dimension and measure columns go unchecked). Throws
   * QueryFailure, with Kusto's message and position, when the query is wrong. `timeMode`: the rule's, when the runner
   * accepts fewer query shapes in one mode (an Azure workspace's ingestion-time rules must start from a table).
   */
  check(workspace: WorkspaceRef, query: string, options?: { timeMode?: TimeMode }): Promise<{ columns: ColumnSchema[] }>;
  /**
   * The tables and columns a query may name in the workspace (the Logs editor's completion). Optional: a runner that
   * cannot list them leaves callers to fall back on the documented tables (`expectedTablesOnly`).
   */
  schema?(workspace: WorkspaceRef): Promise<TableSchema[]>;
}

/** What any workspace may be queried for before its data arrives: the documented backup tables and AzureActivity. */
export const expectedTablesOnly = (): TableSchema[] => withExpectedTables([]);

/** Every way the local engine can fail a query, as a QueryFailure whose message carries no SQL. */
function localFailure(e: unknown): unknown {
  if (e instanceof QueryFailure) return e;
  if (e instanceof KqlError) return new QueryFailure(e.message, e.position);
  if (e instanceof QueryTimeoutError || e instanceof QueryThrottledError) return new QueryFailure(e.message);
  // Postgres refused the compiled statement or the connection failed (a compiler gap, a lost connection): the
  // driver's message names the operator or the fault; the statement itself stays in the server log
  if (e instanceof Error) return new QueryFailure(`the query failed in the local workspace engine: ${e.message}`);
  return e;
}

/**
 * Local workspaces: the KQL engine, with the window bound as a TimeGenerated timespan or an ingestion range.
 * With a `gate`, every run and check takes a turn of its workspace and tenant first (the gate the Log Analytics API
 * uses, over the same pool), so one tenant's users cannot hold every connection and stall other tenants' queries; a
 * run waits at most its own timeout and runs with what the wait left of it.
 */
export function localWorkspaceRunner(pool: pg.Pool, options: { gate?: QueryGate } = {}): WorkspaceQueryRunner {
  const { gate } = options;
  const turn = <T>(workspace: WorkspaceRef, work: (waitedMs: number) => Promise<T>, maxWaitMs?: number) =>
    gate
      ? inQueryTurn(gate, { workspaceId: workspace.id, tenantId: workspace.tenantId }, work, maxWaitMs === undefined ? {} : { maxWaitMs })
      : work(0);
  return {
    watermark: (workspace) => ingestionWatermark(pool, workspace.id),
    async run(workspace, q) {
      try {
        const result = await turn(
          workspace,
          (waitedMs) =>
            runLocalQuery(pool, {
              workspaceId: workspace.id,
              query: q.query,
              now: q.now,
              rowLimit: q.rowLimit,
              // a query that got its turn late still gets a second to run (never more than its own budget)
              timeoutMs: Math.max(Math.min(1000, q.timeoutMs), q.timeoutMs - waitedMs),
              // a rule may watch tables the workspace has not received yet (a blind workspace has none): no rows, not an error
              expectTables: true,
              ...(q.window.kind === "event"
                ? { timespan: { start: q.window.start, end: q.window.end } }
                : { ingested: { after: q.window.after, upTo: q.window.upTo } }),
            }),
          q.timeoutMs,
        );
        const table = result.tables[0]!;
        const names = table.columns.map((c) => c.name);
        const rows = table.rows.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i]])));
        return { columns: table.columns, rows, truncated: result.truncated };
      } catch (e) {
        throw localFailure(e);
      }
    },
    async check(workspace, query) {
      try {
        return await turn(workspace, () => checkLocalQuery(pool, { workspaceId: workspace.id, query, expectTables: true }));
      } catch (e) {
        // only Kusto's verdict (or the gate's) is the query's fault; a catalog we cannot read is ours (the caller
        // reports it as such)
        if (e instanceof KqlError) throw new QueryFailure(e.message, e.position);
        if (e instanceof QueryThrottledError) throw new QueryFailure(e.message);
        throw e;
      }
    },
    // what check() and run() accept: the catalog's tables widened by the expected ones (expectTables above)
    schema: async (workspace) => withExpectedTables(await getWorkspaceSchema(pool, workspace.id)),
  };
}

/** Until the Azure issue lands, an Azure workspace's evaluation is recorded as an error saying so. */
export const azureRunnerPending: WorkspaceQueryRunner = {
  watermark: () => Promise.resolve(new Date()),
  run: () => Promise.reject(new QueryFailure("Azure Log Analytics workspaces are not queried yet; use a local workspace")),
  // accepts any query and knows no columns: rules on Azure workspaces are saved unchecked (dimensions included)
  // until the Azure runner checks them against the workspace itself
  check: () => Promise.resolve({ columns: [] }),
};

/** Picks the runner by workspace kind. */
export function workspaceRunners(runners: { local: WorkspaceQueryRunner; azure?: WorkspaceQueryRunner }): WorkspaceQueryRunner {
  const pick = (w: WorkspaceRef) => (w.kind === "local" ? runners.local : (runners.azure ?? azureRunnerPending));
  return {
    watermark: (w) => pick(w).watermark(w),
    run: (w, q) => pick(w).run(w, q),
    check: (w, q, o) => pick(w).check(w, q, o),
    schema: (w) => {
      const runner = pick(w);
      return runner.schema ? runner.schema(w) : Promise.resolve(expectedTablesOnly());
    },
  };
}
