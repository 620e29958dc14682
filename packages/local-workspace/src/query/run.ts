/**
 * Runs a KQL query against one local workspace: its own catalog, one compiled SQL statement, a read-only
 * transaction with a statement timeout, and a row cap reported the way Log Analytics reports it (a partial error).
 */
import { cellJsonSql, compileKql, KqlError, type CompileOptions } from "@vaultwatch/kql";
import type { ColumnSchema } from "@vaultwatch/schemas";
import type pg from "pg";
import { getWorkspaceSchema } from "../store/catalog";
import { INGESTED_AT_COLUMN, qualifiedTable } from "../store/naming";

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
};

export type ResultTable = {
  name: string;
  columns: ColumnSchema[];
  /** The rows as Log Analytics' JSON (an array of arrays), exactly as the API sends them. */
  rowsJson: string;
  /** The same rows parsed (on first access). */
  readonly rows: unknown[][];
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
  const compiled = compileKql(q.query, {
    tables,
    tableSql: (t) => qualifiedTable(q.workspaceId, t),
    ingestionColumn: INGESTED_AT_COLUMN,
    workspaceId: q.workspaceId,
    now: q.now ?? new Date(),
    ...(q.timespan ? { timespan: q.timespan } : {}),
    ...(q.ingested ? { ingested: q.ingested } : {}),
    rowLimit: rowLimit + 1,
  });
  const t1 = performance.now();
  // Postgres renders the rows as one JSON document: no per-value parsing in JavaScript, whatever the result's size.
  // The compiled query is ordered and capped at rowLimit + 1; row_number over it keeps that order.
  const cells = compiled.columns.map((c, i) => cellJsonSql(c.type, `x.c${i}`));
  const inner = compiled.columns.map((c, i) => `r.${quote(c.name)} AS c${i}`);
  const sql = `SELECT COALESCE(json_agg(json_build_array(${cells.join(", ")}) ORDER BY x.__vw_n) FILTER (WHERE x.__vw_n <= ${rowLimit}), '[]'::json)::text AS rows, count(*)::int AS n
FROM (SELECT ${inner.length ? `${inner.join(", ")}, ` : ""}row_number() OVER () AS __vw_n FROM (${compiled.sql}) AS r) AS x`;
  const client = await pool.connect();
  let out: { rows: string; n: number };
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(q.timeoutMs ?? DEFAULT_TIMEOUT_MS))}`);
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const result = await client.query<{ rows: string; n: number }>({ text: sql, values: compiled.params });
    await client.query("COMMIT");
    out = result.rows[0]!;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((e as { code?: string }).code === "57014") {
      throw new QueryTimeoutError(`the query ran longer than ${q.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`);
    }
    throw asQueryError(e);
  } finally {
    client.release();
  }
  const t2 = performance.now();
  return {
    tables: [table("PrimaryResult", compiled.columns, out.rows)],
    truncated: out.n > rowLimit,
    timings: { compileMs: t1 - t0, executeMs: t2 - t1 },
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function table(name: string, columns: ColumnSchema[], rowsJson: string): ResultTable {
  let parsed: unknown[][] | undefined;
  return {
    name,
    columns,
    rowsJson,
    get rows() {
      parsed ??= JSON.parse(rowsJson) as unknown[][];
      return parsed;
    },
  };
}

/**
 * Errors Postgres raises from data (a value out of range, a bad regular expression in `matches regex`) are the
 * query's fault, not the server's: report them as semantic errors without leaking SQL.
 */
function asQueryError(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (typeof code === "string" && /^(22|2201|42P|2BP)/.test(code)) {
    return new KqlError("semantic", `the query failed on the data: ${(e as Error).message}`);
  }
  return e;
}
