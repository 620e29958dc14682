/**
 * No query reaches a server error: what Postgres would refuse (an overflow, a timespan or datetime past its range, a
 * conversion too large) answers the Log Analytics error shape with HTTP 400, in the query's terms and without SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, db, makeLocalWorkspace, pool, type TestWorkspace } from "../../test/db";
import { serve, type Served } from "../../test/serve";
import { ingestTableRows } from "../store/transaction";
import { queryErrorFromPg } from "../query/pg-errors";
import { handleLaQuery } from "./la-query";
import { QueryGate } from "./query-gate";

const ROUTE = /^\/api\/la\/v1\/workspaces\/([^/]+)\/query$/;
let server: Served;
let ws: TestWorkspace;

beforeAll(async () => {
  server = await serve(async (req) => {
    const m = ROUTE.exec(new URL(req.url).pathname);
    if (!m) return Response.json({ error: { code: "PathNotFoundError", message: "not found" } }, { status: 404 });
    return handleLaQuery(req, { workspaceId: decodeURIComponent(m[1]!) }, { db, pool, gate: new QueryGate(), rowLimit: 100 });
  });
  ws = await makeLocalWorkspace();
  await ingestTableRows(pool, ws.workspaceId, "T", [{ N: 9223372036854775000, K: 2147483000, S: "01:00:00", When: "2026-01-01T00:00:00Z", Name: "x" }], {
    columnType: { N: "long", K: "int", S: "timespan", When: "datetime", Name: "string" },
  });
  // the compile pool's first query starts its threads: pay it here, under the hook's timeout
  await post("T | take 1");
});
afterAll(async () => {
  await server.close();
  await closeTestConnections();
});

type Body = { tables?: { rows: unknown[][] }[]; error?: { code: string; message: string; innererror?: { code?: string } } };
const post = async (query: string) => {
  const res = await fetch(`${server.url}/api/la/v1/workspaces/${ws.workspaceId}/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${ws.queryKey}`, "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as Body };
};

describe("errors Postgres would raise are 400s in Kusto's terms", () => {
  const cases: [string, RegExp][] = [
    // a long that overflows: Kusto wraps it around; local workspaces refuse rather than answer differently
    ["T | extend x = N + N", /value outside its type's range .* not supported by local workspaces/],
    ["T | extend x = K * 1000000000000", /value outside its type's range/],
    ["T | extend x = S * 1e12", /timespan outside the range/],
    ["T | extend x = K * N", /value outside its type's range/],
    ['T | extend x = datetime_add("year", N, When)', /datetime or timespan outside the range/],
    ['T | extend x = todouble("1e999")', /value outside its type's range/],
  ];
  it.each(cases)("%s", async (query, message) => {
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.error!.code).toBe("BadArgumentError");
    expect(body.error!.message).toMatch(message);
    // never the generated SQL nor Postgres' type names
    expect(body.error!.message).not.toMatch(/select|::|bigint|double precision|interval|timestamptz/i);
  });

  it("conversions that do not fit give null, as a failed conversion does (https://learn.microsoft.com/kusto/query/toint-function)", async () => {
    const { status, body } = await post('T | project a = toint("99999999999"), b = toint(N), c = tostring(tolong("9223372036854775807")), d = toint(K)');
    expect(status).toBe(200);
    expect(body.tables![0]!.rows).toEqual([[null, null, "9223372036854775807", 2147483000]]);
  });
});

describe("queryErrorFromPg", () => {
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
  it("names a missing operator or function in Kusto's types", () => {
    expect(queryErrorFromPg(pgError("42883", "operator does not exist: boolean + integer"))!.message).toBe(
      "the operator '+' on bool and int is not supported by local workspaces",
    );
    expect(queryErrorFromPg(pgError("42883", "function min(uuid) does not exist"))!.message).toBe("min() of guid is not supported by local workspaces");
  });
  it("leaves the server's own failures to be server errors", () => {
    expect(queryErrorFromPg(pgError("08006", "connection failure"))).toBeUndefined();
    expect(queryErrorFromPg(pgError("57P01", "terminating connection due to administrator command"))).toBeUndefined();
    expect(queryErrorFromPg(new Error("not from Postgres"))).toBeUndefined();
  });
  it("refuses anything else the query caused", () => {
    expect(queryErrorFromPg(pgError("42804", "CASE types integer and text cannot be matched"))!.kind).toBe("unsupported");
    expect(queryErrorFromPg(pgError("22000", "data exception"))!.message).toMatch(/not supported by local workspaces/);
  });
});
