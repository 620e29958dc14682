/**
 * The Log Analytics query API over a local workspace, in Azure's own request, response and error shapes, so the
 * real `@azure/monitor-query-logs` client (or any other Log Analytics client) can read it:
 *   POST /api/la/v1/workspaces/{workspaceId}/query   body {"query": "...", "timespan"?: "PT12H" | "start/end"}
 *   GET  /api/la/v1/workspaces/{workspaceId}/query?query=...&timespan=...
 * Authorization: Bearer <the workspace's query key>. `Prefer: wait=N` sets the server timeout (seconds, ≤ 600).
 */
import type { Db } from "@vaultwatch/db";
import { KqlError } from "@vaultwatch/kql";
import type pg from "pg";
import { z } from "zod";
import { IngestError } from "../ingest/errors";
import { readJsonBody } from "../ingest/read-body";
import { DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryTimeoutError, runLocalQuery, type LocalQueryResult } from "../query/run";
import { parseTimespan, TimespanError } from "../query/timespan";
import { checkWorkspaceKey } from "./keys";

export type LaQueryDeps = { db: Db; pool: pg.Pool; rowLimit?: number };

const MAX_QUERY_BODY_BYTES = 1024 * 1024;
const MAX_WAIT_SECONDS = 600;

type LaError = { code: string; message: string; details?: unknown[]; innererror?: Record<string, unknown> };

function errorResponse(status: number, error: LaError): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

const badArgument = (message: string, innererror?: Record<string, unknown>) =>
  errorResponse(400, { code: "BadArgumentError", message, ...(innererror ? { innererror } : {}) });

const bodySchema = z.object({
  query: z.string({ error: "query: a KQL query string is required" }).min(1, { error: "query: the query is empty" }),
  timespan: z.string({ error: "timespan: must be an ISO 8601 duration or interval string" }).optional(),
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

function timeoutFrom(req: Request): number {
  const wait = /(?:^|[,;\s])wait=(\d+)/i.exec(req.headers.get("prefer") ?? "");
  if (!wait) return DEFAULT_TIMEOUT_MS;
  return Math.min(Number(wait[1]), MAX_WAIT_SECONDS) * 1000 || DEFAULT_TIMEOUT_MS;
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

    const now = new Date();
    const timespan = body.timespan ? parseTimespan(body.timespan, now) : undefined;
    const result = await runLocalQuery(deps.pool, {
      workspaceId: check.workspace.id,
      query: body.query,
      now,
      rowLimit,
      timeoutMs: timeoutFrom(req),
      ...(timespan ? { timespan } : {}),
    });
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
  console.error("la query failed:", e);
  return errorResponse(500, { code: "InternalServerError", message: "the query could not be run because of a server error" });
}
