/**
 * The Log Analytics query API, read by Azure's own `LogsQueryClient` (@azure/monitor-query-logs) over real HTTP:
 * the seed's queries come back with the right rows and typed cells; errors, keys and partial results in Azure's shapes.
 */
import { type PipelinePolicy } from "@azure/core-rest-pipeline";
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, db, makeLocalWorkspace, pool, type TestWorkspace } from "../../test/db";
import { serve, type Served } from "../../test/serve";
import { ingestTableRows } from "../store/transaction";
import { diagnosticsTypes } from "../query/test/pool";
import { jobIds, seedExpected, seedQueries, seedRows } from "../query/test/seed-estate";
import { handleLaQuery } from "./la-query";
import { QueryGate } from "./query-gate";

const ROUTE = /^\/api\/la\/v1\/workspaces\/([^/]+)\/query$/;
let server: Served;
let ws: TestWorkspace;
let sibling: TestWorkspace;
let stranger: TestWorkspace;
const gate = new QueryGate();

beforeAll(async () => {
  server = await serve(async (req) => {
    const m = ROUTE.exec(new URL(req.url).pathname);
    if (!m) return Response.json({ error: { code: "PathNotFoundError", message: "not found" } }, { status: 404 });
    return handleLaQuery(req, { workspaceId: decodeURIComponent(m[1]!) }, { db, pool, gate, rowLimit: 6 });
  });
  ws = await makeLocalWorkspace();
  sibling = await makeLocalWorkspace(ws.tenantId);
  stranger = await makeLocalWorkspace();
  await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", seedRows, { columnType: diagnosticsTypes(seedRows) });
  await ingestTableRows(pool, sibling.workspaceId, "AzureDiagnostics", seedRows.slice(0, 3), { columnType: diagnosticsTypes(seedRows) });
});
afterAll(async () => {
  await server.close();
  await closeTestConnections();
});

/** Azure's client as a customer would configure it, pointed at our endpoint with a workspace query key. */
function clientWith(key: string | null) {
  const client = new LogsQueryClient(
    { getToken: () => Promise.resolve({ token: key ?? "", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    { endpoint: `${server.url}/api/la/v1`, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
  );
  // the SDK refuses bearer tokens over http; a local test server is http, so set the header ourselves
  client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  const auth: PipelinePolicy = {
    name: "workspaceKey",
    sendRequest: (request, next) => {
      if (key) request.headers.set("authorization", `Bearer ${key}`);
      return next(request);
    },
  };
  client.pipeline.addPolicy(auth);
  return client;
}

const rowsAsObjects = (t: LogsTable) => t.rows.map((r) => Object.fromEntries(t.columnDescriptors.map((c, i) => [c.name, r[i]])));

describe("LogsQueryClient against the local workspace", () => {
  it.each(Object.keys(seedQueries) as (keyof typeof seedQueries)[])("seed query '%s' returns the right rows", async (name) => {
    const result = await clientWith(ws.queryKey).queryWorkspace(ws.workspaceId, seedQueries[name], { duration: "P3650D" }, { serverTimeoutInSeconds: 60 });
    const tables = result.status === LogsQueryResultStatus.Success ? result.tables : result.partialTables;
    const ids = rowsAsObjects(tables[0]!).map((r) => r.JobUniqueId_g as string).sort();
    expect(ids).toEqual(jobIds(seedExpected[name]));
  });

  it("types cells as Log Analytics does: datetime → Date, long → number, dynamic → parsed JSON", async () => {
    const result = await clientWith(ws.queryKey).queryWorkspace(
      ws.workspaceId,
      'AzureDiagnostics | where OperationName == "Job" | summarize n = count(), earliest = min(TimeGenerated), ids = make_set(JobStatus_s) | extend d = todouble(n) / 4',
      { duration: "P3650D" },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const t = result.tables[0]!;
    expect(t.columnDescriptors.map((c) => `${c.name}:${c.type}`)).toEqual(["n:long", "earliest:datetime", "ids:dynamic", "d:real"]);
    const [n, earliest, ids, d] = t.rows[0]!;
    expect(n).toBe(12);
    expect(earliest).toBeInstanceOf(Date);
    expect((earliest as Date).toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect((ids as string[]).sort()).toEqual(["Completed", "CompletedWithWarnings", "Failed", "completed"]);
    expect(d).toBe(3);
  });

  it("a result past the row limit is a partial failure with the first rows", async () => {
    const result = await clientWith(ws.queryKey).queryWorkspace(ws.workspaceId, "AzureDiagnostics", { duration: "P3650D" });
    expect(result.status).toBe(LogsQueryResultStatus.PartialFailure);
    if (result.status !== LogsQueryResultStatus.PartialFailure) return;
    expect(result.partialTables[0]!.rows).toHaveLength(6);
    expect(result.partialError.message).toMatch(/record count limit/);
  });

  it("a syntax error is a 400 BadArgumentError naming line and column", async () => {
    await expect(clientWith(ws.queryKey).queryWorkspace(ws.workspaceId, "AzureDiagnostics\n| where (", { duration: "PT1H" })).rejects.toMatchObject({
      statusCode: 400,
      code: "BadArgumentError",
      message: expect.stringMatching(/line 2, column/) as unknown,
    });
  });

  it("keys: none or wrong → 401; another workspace's key, even the same tenant's → 403", async () => {
    await expect(clientWith(null).queryWorkspace(ws.workspaceId, "AzureDiagnostics | count", { duration: "PT1H" })).rejects.toMatchObject({ statusCode: 401 });
    await expect(clientWith("vwq_wrong").queryWorkspace(ws.workspaceId, "AzureDiagnostics | count", { duration: "PT1H" })).rejects.toMatchObject({ statusCode: 401 });
    await expect(clientWith(ws.ingestKey).queryWorkspace(ws.workspaceId, "AzureDiagnostics | count", { duration: "PT1H" })).rejects.toMatchObject({ statusCode: 401 });
    await expect(clientWith(sibling.queryKey).queryWorkspace(ws.workspaceId, "AzureDiagnostics | count", { duration: "PT1H" })).rejects.toMatchObject({
      statusCode: 403,
      code: "InsufficientAccessError",
    });
    await expect(clientWith(stranger.queryKey).queryWorkspace(ws.workspaceId, "AzureDiagnostics | count", { duration: "PT1H" })).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe("raw requests", () => {
  const post = async (body: unknown, key = ws.queryKey, raw?: string) => {
    const res = await fetch(`${server.url}/api/la/v1/workspaces/${ws.workspaceId}/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { tables?: { rows: unknown[][] }[]; error?: { code: string; message: string; innererror?: Record<string, unknown> } } };
  };

  it("no timespan means all data; a timespan restricts TimeGenerated", async () => {
    expect((await post({ query: "AzureDiagnostics | count" })).body.tables![0]!.rows).toEqual([[seedRows.length]]);
    expect((await post({ query: "AzureDiagnostics | count", timespan: "PT1H" })).body.tables![0]!.rows).toEqual([[0]]);
    expect((await post({ query: "AzureDiagnostics | count", timespan: "2026-11-19T00:00:00Z/2026-11-20T00:00:00Z" })).body.tables![0]!.rows).toEqual([[1]]);
  });

  it("bad input names the field and changes nothing", async () => {
    const malformed = await post(null, ws.queryKey, "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error!.message).toMatch(/not valid JSON/);
    expect((await post({})).body.error!.message).toMatch(/^query:/);
    expect((await post({ query: "AzureDiagnostics", timespan: "yesterday" })).body.error!.message).toMatch(/^timespan:/);
    for (const timespan of ["P99999999999D", "0000-01-01T00:00:00Z/P1D", "x".repeat(5000)]) {
      const absurd = await post({ query: "AzureDiagnostics | count", timespan });
      expect(absurd.status).toBe(400);
      expect(absurd.body.error).toMatchObject({ code: "BadArgumentError", message: expect.stringMatching(/^timespan:/) as unknown });
    }
    expect((await post({ query: "AzureDiagnostics", workspaces: [stranger.workspaceId] })).body.error!.message).toMatch(/^workspaces:/);
    const semantic = await post({ query: "AzureDiagnostics | where Nope == 1" });
    expect(semantic.status).toBe(400);
    expect(semantic.body.error!.innererror).toMatchObject({ code: "SemanticError", line: 1, pos: 26 });
    const unsupported = await post({ query: "AzureDiagnostics | sample 5" });
    expect(unsupported.body.error!.message).toMatch(/not supported by local workspaces/);
  });

  it("GET with query parameters works too", async () => {
    const res = await fetch(`${server.url}/api/la/v1/workspaces/${ws.workspaceId}/query?query=${encodeURIComponent("AzureDiagnostics | count")}`, {
      headers: { authorization: `Bearer ${ws.queryKey}` },
    });
    expect(res.status).toBe(200);
  });
});
