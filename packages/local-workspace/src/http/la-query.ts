/**
 * The Log Analytics query API over a local workspace, in Azure's own request, response and error shapes, so the
 * real `@azure/monitor-query-logs` client (or any other Log Analytics client) can read it:
 *   POST /api/la/v1/workspaces/{workspaceId}/query   body {"query": "...", "timespan"?: "PT12H" | "start/end"}
 *   GET  /api/la/v1/workspaces/{workspaceId}/query?query=...&timespan=...
 * Authorization: Bearer <the workspace's query key>.
 * `Prefer: wait=N` bounds the whole request (queue and query), capped at 180 s (prefer-wait.ts says why).
 * Queries run through a QueryGate (5 at once per query key, a tenant below the query pool's size, the rest queued):
 * a query that cannot queue or waits too long is a 429 `ThrottledError` with `Retry-After`, as in Log Analytics.
 */
import type { Db } from "@vaultwatch/db";
import { KqlError } from "@vaultwatch/kql/runtime";
import type pg from "pg";
import { z } from "zod";
import { IngestError } from "../ingest/errors";
import { readJsonBody } from "../ingest/read-body";
import { DEFAULT_ROW_LIMIT, QueryTimeoutError, runLocalQuery, type LocalQueryResult } from "../query/run";
import { parseTimespan, TimespanError } from "../query/timespan";
import { checkWorkspaceKey } from "./keys";
import { waitBudgetMs } from "./prefer-wait";
import { QueryThrottledError, type QueryGate } from "./query-gate";

export type LaQueryDeps = {
  db: Db;
  /** the query pool: never the one ingest uses, so no number of slow queries can delay an ingest */
  pool: pg.Pool;
  /** one per process, shared by every request */
  gate: QueryGate;
  rowLimit?: number;
};

const MAX_QUERY_BODY_BYTES = 1024 * 1024;

type LaError = { code: string; message: string; details?: unknown[]; innererror?: Record<string, unknown> };

function errorResponse(status: number, error: LaError): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

const badArgument = (message: string, innererror?: Record<string, unknown>) =>
  errorResponse(400, { code: "BadArgumentError", message, ...(innererror ? { innererror } : {}) });

const bodySchema = z.object({
  query: z.string({ error: "query: a KQL query string is required" }).min(1, { error: "query: the query is empty" }),
  timespan: z
    .string({ error: "timespan: must be an ISO 8601 duration or interval string" })
    .max(100, { error: "timespan: at most 100 characters (an ISO 8601 duration or start/end interval)" })
    .optional(),
  workspaces: z.array(z.string(), { error: "workspaces: must be an array of workspace ids" }).optional(),
});

/**
 * Success body as JSON text: the primary table, its rows spliced in as Postgres rendered them; a result cut at the
 * row limit is a partial error, as Log Analytics reports it.
 */
export function laResultJson(result: LocalQueryResult, rowLimit: number): string {
  const tables = result.tables.map((t) => `{"name":${JSON.stringify(t.name)},"columns":${JSON.stringify(t.columns)},"rows":${t.rowsJson}}`);
  if (!result.truncated) return `{"tables":[${tables.join(",")}]}`;
  const message = `Query result set has exceeded the internal record count limit ${rowLimit} records; the first ${rowLimit} rows are returned`;
  const error = { code: "PartialError", message, details: [{ code: "EngineError", message, innererror: { code: "RecordCountLimitExceeded", message } }] };
  return `{"tables":[${tables.join(",")}],"error":${JSON.stringify(error)}}`;
}

async function readRequest(req: Request): Promise<unknown> {
  if (req.method === "GET") {
    const params = new URL(req.url).searchParams;
    return { query: params.get("query") ?? undefined, timespan: params.get("timespan") ?? undefined };
  }
  return readJsonBody(req, MAX_QUERY_BODY_BYTES);
}

export async function handleLaQuery(req: Request, params: { workspaceId: string }, deps: LaQueryDeps): Promise<Response> {
  const rowLimit = deps.rowLimit ?? DEFAULT_ROW_LIMIT;
  try {
    const check = await checkWorkspaceKey(deps.db, params.workspaceId, req.headers.get("authorization"), "query");
    if (!check.ok) return errorResponse(check.status, { code: check.code, message: check.message });

    const parsed = bodySchema.safeParse(await readRequest(req));
    if (!parsed.success) return badArgument(parsed.error.issues[0]?.message ?? "the request body is not valid");
    const body = parsed.data;
    const others = (body.workspaces ?? []).filter((w) => w.toLowerCase() !== check.workspace.id);
    if (others.length > 0) return badArgument("workspaces: cross-workspace queries are not supported by local workspaces");

    // the instant the question was asked: a query that waited its turn still answers it as of then
    const now = new Date();
    const timespan = body.timespan ? parseTimespan(body.timespan, now) : undefined;
    const budgetMs = waitBudgetMs(req);
    const deadline = Date.now() + budgetMs;
    const release = await deps.gate.acquire(
      { workspaceId: check.workspace.id, tenantId: check.workspace.tenantId },
      { maxWaitMs: budgetMs, signal: req.signal },
    );
    let result: LocalQueryResult;
    try {
      result = await runLocalQuery(deps.pool, {
        workspaceId: check.workspace.id,
        query: body.query,
        now,
        rowLimit,
        // what the queue left of the budget (at least a second: a query that got its turn gets to run)
        timeoutMs: Math.max(1000, deadline - Date.now()),
        ...(timespan ? { timespan } : {}),
      });
    } finally {
      release();
    }
    return new Response(laResultJson(result, rowLimit), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): Response {
  if (e instanceof KqlError) {
    const where = e.position ? { line: e.position.line, pos: e.position.column } : {};
    return badArgument(e.message, {
      code: e.laCode,
      message: e.message,
      ...where,
      ...(e.code ? { innererror: { code: e.code, message: e.message } } : {}),
    });
  }
  if (e instanceof TimespanError) return badArgument(`timespan: ${e.message}`);
  if (e instanceof IngestError) return errorResponse(e.status === 413 ? 413 : 400, { code: e.status === 413 ? "PayloadTooLarge" : "BadArgumentError", message: e.message });
  if (e instanceof QueryTimeoutError) return errorResponse(504, { code: "GatewayTimeout", message: e.message });
  if (e instanceof QueryThrottledError) {
    return Response.json(
      { error: { code: "ThrottledError", message: e.message } },
      { status: 429, headers: { "cache-control": "no-store", "retry-after": String(e.retryAfterSeconds) } },
    );
  }
  console.error("la query failed:", e);
  return errorResponse(500, { code: "InternalServerError", message: "the query could not be run because of a server error" });
}
