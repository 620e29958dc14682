/**
 * Runs a KQL query against one local workspace: its own catalog, one compiled SQL statement, a read-only
 * transaction with a statement timeout, and a row cap reported the way Log Analytics reports it (a partial error).
 */
import { bindTemplate, cellJsonSql, type CompileOptions } from "@vaultwatch/kql/runtime";
import type { ColumnSchema } from "@vaultwatch/schemas";
import { withPgTransaction } from "@vaultwatch/db";
import type pg from "pg";
import { getWorkspaceSchema } from "../store/catalog";
import { compilePool } from "./compile-pool";
import { resultTypes } from "./format";
import { queryErrorFromPg } from "./pg-errors";

export type LocalQuery = {
  workspaceId: string;
  query: string;
  /** Restricts TimeGenerated of every table; absent means all data (as in Log Analytics' API). */
  timespan?: { start: Date; end: Date };
  /** Restricts rows to those ingested in (after, upTo]. */
  ingested?: CompileOptions["ingested"];
  now?: Date;
  /** At most this many rows come back; more is a partial result. */
  rowLimit?: number;
  timeoutMs?: number;
  /** Let the query name expected tables and columns the workspace has not received yet (as empty / absent values). */
  expectTables?: boolean;
};

export type ResultTable = {
  name: string;
  columns: ColumnSchema[];
  /** Rows of JSON-ready cells in Log Analytics' forms. */
  rows: unknown[][];
  /** The same rows as JSON text (an array of arrays), made on first access. */
  readonly rowsJson: string;
};

export type LocalQueryResult = {
  tables: ResultTable[];
  /** Set when the result was cut at the row limit. */
  truncated: boolean;
  /** Wall-clock milliseconds: compile (parse, analyse, SQL) and execute. */
  timings: { compileMs: number; executeMs: number };
};

export const DEFAULT_ROW_LIMIT = 50_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The query ran out of time in Postgres. */
export class QueryTimeoutError extends Error {}

export async function runLocalQuery(pool: pg.Pool, q: LocalQuery): Promise<LocalQueryResult> {
  const rowLimit = q.rowLimit ?? DEFAULT_ROW_LIMIT;
  const t0 = performance.now();
  const tables = await getWorkspaceSchema(pool, q.workspaceId);
  // parse, analyse and compile on a compile thread (or from its cache); the run values are bound here
  const template = await compilePool().compile({
    query: q.query,
    workspaceId: q.workspaceId,
    tables,
    expectTables: !!q.expectTables,
    rowLimit: rowLimit + 1,
    timespan: !!q.timespan,
    ingestedAfter: !!q.ingested?.after,
    ingestedUpTo: !!q.ingested?.upTo,
  });
  const compiled = bindTemplate(template, { now: q.now ?? new Date(), ...(q.timespan ? { timespan: q.timespan } : {}), ...(q.ingested ? { ingested: q.ingested } : {}) });
  const t1 = performance.now();
  // Postgres renders the rows as one JSON document: no per-value parsing in JavaScript, whatever the result's size.
  // The compiled query is ordered and capped at rowLimit + 1; row_number over it keeps that order.
  // Datetimes, timespans and dynamic values leave Postgres already in Log Analytics' text forms.
  const cells = compiled.columns.map((c, i) => `${cellJsonSql(c.type, `r.${quote(c.name)}`)} AS c${i}`);
  const sql = `SELECT ${cells.join(", ")} FROM (${compiled.sql}) AS r`;
  const timeoutMs = q.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let rows: unknown[][];
  try {
    const result = await withPgTransaction(
      pool,
      (client) => client.query<unknown[]>({ text: sql, values: compiled.params, rowMode: "array", types: resultTypes }),
      // UTC: a datetime without an offset is UTC in Kusto, whatever the server's default time zone. No JIT: queries
      // here take milliseconds, and Postgres' row estimates for set-returning functions (mv-expand, range) can make it
      // spend seconds compiling one. No nested loops where another join will do: Postgres estimates one row for an
      // aggregate filtered on its own results (`summarize arg_max(...) | lookup ... | where AlertSeverity == ...`),
      // and a nested loop that re-reads a sorted lookup table per row then ran 30 s where a hash join takes 0.5 s
      // (`pnpm bench views`). KQL joins are equalities over unindexed columns; a lateral subquery stays a loop. A query
      // whose only joins are mv-expand's expansions keeps them on: the planner then caches an expansion per distinct
      // value and runs it in parallel (`pnpm bench kql`, mv-expand: 2.5× hand-written SQL with them off).
      {
        readOnly: true,
        statementTimeoutMs: Math.max(1, timeoutMs),
        settings: { TimeZone: "UTC", jit: "off", enable_nestloop: compiled.nestedLoops ? "on" : "off" },
      },
    );
    rows = result.rows;
  } catch (e) {
    if ((e as { code?: string }).code === "57014") throw new QueryTimeoutError(`the query ran longer than ${timeoutMs} ms`);
    throw asQueryError(e);
  }
  const truncated = rows.length > rowLimit;
  if (truncated) rows.length = rowLimit;
  const t2 = performance.now();
  return {
    tables: [table("PrimaryResult", compiled.columns, rows)],
    truncated,
    timings: { compileMs: t1 - t0, executeMs: t2 - t1 },
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function table(name: string, columns: ColumnSchema[], rows: unknown[][]): ResultTable {
  let json: string | undefined;
  return {
    name,
    columns,
    rows,
    get rowsJson() {
      json ??= JSON.stringify(rows);
      return json;
    },
  };
}

/** A Postgres error caused by the query becomes a query error in Kusto's terms (pg-errors.ts); the server's own stay. */
function asQueryError(e: unknown): unknown {
  return queryErrorFromPg(e) ?? e;
}
