/** Bad queries fail with Kusto's message and a position; workspaces never see each other's rows; limits hold. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KqlError } from "@vaultwatch/kql";
import { runLocalQuery } from "./run";
import { dropWorkspaces, pool, rowsOf, workspaceWith } from "./test/pool";

const types = { TimeGenerated: "datetime", Name: "string", N: "long" } as const;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

let a: string;
let b: string;
beforeAll(async () => {
  a = await workspaceWith({ Events: { types, rows: [{ TimeGenerated: hoursAgo(1), Name: "a-1", N: 1 }, { TimeGenerated: hoursAgo(30), Name: "a-2", N: 2 }] } });
  b = await workspaceWith({ Events: { types: { ...types, Extra_s: "string" }, rows: [{ TimeGenerated: hoursAgo(2), Name: "b-1", N: 10, Extra_s: "only in b" }] } });
});
afterAll(dropWorkspaces);

async function failure(workspaceId: string, query: string): Promise<KqlError> {
  try {
    await runLocalQuery(pool, { workspaceId, query });
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error("the query did not fail");
}

describe("errors", () => {
  it("a syntax error carries Kusto's message, line and column", async () => {
    const e = await failure(a, "Events\n| where (N == ");
    expect(e.kind).toBe("syntax");
    expect(e.position).toMatchObject({ line: 2, column: 14 });
    expect(e.message).toMatch(/Missing expression/);
  });

  it("an unknown column is a semantic error at its position", async () => {
    const e = await failure(a, "Events\n| where Nope == 1");
    expect(e.kind).toBe("semantic");
    expect(e.position).toMatchObject({ line: 2, column: 9 });
    expect(e.message).toMatch(/'Nope' does not refer to any known column/);
  });

  it("a column is known per workspace: Extra_s exists in b only, columnifexists covers a", async () => {
    expect((await failure(a, "Events | project Extra_s")).message).toMatch(/Extra_s/);
    expect(await rowsOf(b, "Events | project Extra_s")).toEqual([{ Extra_s: "only in b" }]);
    expect(await rowsOf(a, 'Events | extend x = columnifexists("Extra_s", "none") | distinct x')).toEqual([{ x: "none" }]);
  });

  it("an unknown table, a type mismatch, an unsupported operator and function", async () => {
    expect((await failure(a, "Nope | take 1")).message).toMatch(/Nope/);
    const mismatch = await failure(a, 'Events | where N == "1"');
    expect(mismatch.message).toMatch(/Cannot compare values of types long and string/);
    const op = await failure(a, "Events | sample-distinct 2 of Name");
    expect(op.kind).toBe("unsupported");
    expect(op.message).toMatch(/'sample-distinct' operator is not supported by local workspaces/);
    expect((await failure(a, "Events | extend u = parse_url(Name)")).message).toMatch(/parse_url\(\) is not supported by local workspaces/);
    expect((await failure(a, "Events | sample 1")).kind).toBe("unsupported");
  });

  it("an empty or oversized query is refused before it reaches the parser", async () => {
    expect((await failure(a, "  ")).message).toMatch(/empty/);
    expect((await failure(a, `Events | where Name == "${"x".repeat(100_001)}"`)).message).toMatch(/longer than/);
  });
});

describe("isolation and limits", () => {
  it("each workspace sees only its own rows, even with the same table name", async () => {
    expect((await rowsOf(a, "Events | project Name | order by Name asc")).map((r) => r.Name)).toEqual(["a-1", "a-2"]);
    expect((await rowsOf(b, "Events | project Name")).map((r) => r.Name)).toEqual(["b-1"]);
    expect(await rowsOf(a, "Events | distinct TenantId")).toEqual([{ TenantId: a }]);
  });

  it("a workspace with no rows has no tables", async () => {
    const empty = await workspaceWith({});
    expect((await failure(empty, "Events | count")).message).toMatch(/Events/);
  });

  it("timespan restricts TimeGenerated of every table; absent means all data", async () => {
    const day = { start: new Date(Date.now() - 86_400_000), end: new Date() };
    expect(await rowsOf(a, "Events | count", { timespan: day })).toEqual([{ Count: 1 }]);
    expect(await rowsOf(a, "Events | count")).toEqual([{ Count: 2 }]);
    expect(await rowsOf(a, "Events | union Events | count", { timespan: day })).toEqual([{ Count: 2 }]);
  });

  it("the ingestion window restricts rows by when they landed", async () => {
    const future = new Date(Date.now() + 60_000);
    expect(await rowsOf(a, "Events | count", { ingested: { after: future } })).toEqual([{ Count: 0 }]);
    expect(await rowsOf(a, "Events | count", { ingested: { upTo: future } })).toEqual([{ Count: 2 }]);
  });

  it("a result over the row limit is cut and flagged", async () => {
    const r = await runLocalQuery(pool, { workspaceId: a, query: "Events", rowLimit: 1 });
    expect(r.tables[0]!.rows).toHaveLength(1);
    expect(r.truncated).toBe(true);
    const all = await runLocalQuery(pool, { workspaceId: a, query: "Events", rowLimit: 2 });
    expect(all.truncated).toBe(false);
  });

  it("a query that runs too long is stopped", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ K: i % 4, N: i }));
    const big = await workspaceWith({ Big: { types: { K: "long", N: "long" }, rows } });
    // 20,000 × 5,000 matching pairs: far more than 50 ms of work
    await expect(
      runLocalQuery(pool, { workspaceId: big, query: "Big | join kind=inner (Big) on K | count", timeoutMs: 50 }),
    ).rejects.toThrow(/ran longer than 50 ms/);
  });

  it("runs read-only: the compiled SQL cannot write", async () => {
    // a hostile column name cannot escape its quotes
    const evil = await workspaceWith({ T: { types: { 'x"; DROP TABLE y; --': "string" }, rows: [{ 'x"; DROP TABLE y; --': "v" }] } });
    expect(await rowsOf(evil, "T | project ['x\"; DROP TABLE y; --']")).toEqual([{ 'x"; DROP TABLE y; --': "v" }]);
  });
});
