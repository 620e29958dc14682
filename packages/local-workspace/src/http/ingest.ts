/**
 * The ingest REST API as fetch-style handlers (the Next routes are thin wrappers; tests serve them over node:http):
 *   POST /api/ingest/{workspaceId}/records          body {"records": [...]} (resource-log shape)
 *   POST /api/ingest/{workspaceId}/tables/{table}   body [row, ...]
 * Authorization: Bearer <the workspace's ingest key>. Bodies may be gzip-compressed. A batch is all or nothing.
 * Errors are `{"error": {code, message, details?: [{index, field, message}]}}`; nothing internal ever leaks.
 */
import type { Db } from "@vaultwatch/db";
import type pg from "pg";
import { IngestError } from "../ingest/errors";
import { readJsonBody } from "../ingest/read-body";
import { ingestRecords, type IngestResult, type IngestScope } from "../ingest/records";
import { assertIngestibleTable, ingestTableJson } from "../ingest/tables";
import { StoreInputError, type InputProblem } from "../store/errors";
import { checkWorkspaceKey } from "./keys";

export type IngestDeps = {
  db: Db;
  /** the ingest pool: never the one queries use, so no number of slow queries can make an ingest wait for a connection */
  pool: pg.Pool;
  /**
   * Told after a batch with new activity events commits, so activity rules judge them at once. A failure here
   * does not fail the request (the batch is stored): the worker's sweep judges events left waiting.
   */
  onActivityEvents?: (workspaceId: string) => Promise<void>;
};

const NO_STORE = { "cache-control": "no-store" };

function errorResponse(status: number, code: string, message: string, details?: InputProblem[]): Response {
  const error = details?.length ? { code, message, details } : { code, message };
  return Response.json({ error }, { status, headers: NO_STORE });
}

function successResponse(result: IngestResult): Response {
  return Response.json(
    {
      ingestedAt: result.ingestedAt.toISOString(),
      tables: result.tables,
      activityEvents: { new: result.activityEvents.new.length, duplicates: result.activityEvents.duplicates },
    },
    { status: 200, headers: NO_STORE },
  );
}

function failureResponse(e: unknown): Response {
  if (e instanceof IngestError) return errorResponse(e.status, e.code, e.message, e.details);
  if (e instanceof StoreInputError)
    return errorResponse(400, "InvalidInput", `${e.message}; nothing was ingested`, e.details);
  // Unexpected: log it here, answer without internals.
  console.error("ingest failed:", e);
  return errorResponse(
    500,
    "InternalError",
    "the batch could not be ingested because of a server error; nothing was ingested",
  );
}

async function authorise(req: Request, workspaceId: string, deps: IngestDeps): Promise<IngestScope | Response> {
  const check = await checkWorkspaceKey(deps.db, workspaceId, req.headers.get("authorization"), "ingest");
  if (!check.ok) return errorResponse(check.status, check.code, check.message);
  return { tenantId: check.workspace.tenantId, workspaceId: check.workspace.id, registered: true };
}

export async function handleIngestRecords(
  req: Request,
  params: { workspaceId: string },
  deps: IngestDeps,
): Promise<Response> {
  try {
    const scope = await authorise(req, params.workspaceId, deps);
    if (scope instanceof Response) return scope;
    const body = await readJsonBody(req);
    const records = (body as { records?: unknown } | null)?.records;
    if (typeof body !== "object" || body === null || !Array.isArray(records)) {
      throw new IngestError(400, "InvalidInput", 'the body must be a JSON object {"records": [...]}');
    }
    const result = await ingestRecords(deps.pool, scope, records);
    if (result.activityEvents.new.length && deps.onActivityEvents) {
      await deps.onActivityEvents(scope.workspaceId).catch((e: unknown) => console.error("activity evaluation request failed (the sweep will pick it up):", (e as Error).message));
    }
    return successResponse(result);
  } catch (e) {
    return failureResponse(e);
  }
}

export async function handleIngestTable(
  req: Request,
  params: { workspaceId: string; table: string },
  deps: IngestDeps,
): Promise<Response> {
  try {
    const scope = await authorise(req, params.workspaceId, deps);
    if (scope instanceof Response) return scope;
    assertIngestibleTable(params.table);
    const body = await readJsonBody(req);
    return successResponse(await ingestTableJson(deps.pool, scope, params.table, body));
  } catch (e) {
    return failureResponse(e);
  }
}
