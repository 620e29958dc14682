/**
 * Aggregates over stored columns of every type: what Postgres lacks is refused by name (never a Postgres error), what
 * the analyser rejects stays Kusto's semantic error, and the documented rules that the conformance cases (which use
 * datatable) cannot reach on stored tables: take_any's non-empty pick, arg_max's null rule, exact dcount.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLocalQuery } from "./run";
import { dropWorkspaces, pool, rowsOf, workspaceWith } from "./test/pool";

const A = {
  types: { K: "string", N: "long", V: "real", When: "datetime", Span: "timespan", Ok: "bool", Id: "guid", Bag: "dynamic", S: "string" },
  rows: [
    { K: "a", N: 1, V: 1.5, When: "2026-01-01T00:00:00Z", Span: "01:00:00", Ok: true, Id: "10000000-0000-4000-8000-000000000001", Bag: { x: 1 }, S: "" },
    { K: "a", N: 3, V: 2.5, When: "2026-01-02T00:00:00Z", Span: "03:00:00", Ok: false, Id: "10000000-0000-4000-8000-000000000002", Bag: { y: 2 }, S: "one" },
    { K: "a", N: null, V: null, When: null, Span: null, Ok: null, Id: null, Bag: null, S: "" },
    { K: "b", N: null, V: null, When: null, Span: null, Ok: null, Id: null, Bag: [1], S: "" },
  ],
} as const;

let ws: string;
beforeAll(async () => {
  ws = await workspaceWith({ A: { types: { ...A.types }, rows: A.rows.map((r) => ({ ...r })) } });
  // the compile pool's first answer (threads starting, Kusto's analyser loading) belongs to setup, not to a test
  await rowsOf(ws, "A | take 1");
}, 120_000);
afterAll(dropWorkspaces);

const error = async (query: string) => {
  try {
    await runLocalQuery(pool, { workspaceId: ws, query });
  } catch (e) {
    return e as { kind?: string; message: string };
  }
  throw new Error(`ran: ${query}`);
};

describe("aggregates on types Postgres has no aggregate for", () => {
  it.each([
    ["A | summarize sum(When)", "sum() of a datetime value"],
    ["A | summarize avg(When)", "avg() of a datetime value"],
    ["A | summarize stdev(Span)", "stdev() of a timespan value"],
    ["A | summarize variancep(Span)", "variancep() of a timespan value"],
    ["A | summarize percentile(S, 50)", "percentile() of a string value"],
    ["A | summarize percentiles(S, 5, 50), count()", "percentiles() of a string value"],
  ])("%s is refused by name", async (query, what) => {
    const e = await error(query);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toContain(`${what} is not supported by local workspaces`);
  });

  // Kusto itself rejects these (its analyser's message), so they stay semantic errors rather than refusals
  it.each(["A | summarize min(Id)", "A | summarize maxif(Id, Ok)", "A | summarize arg_max(Bag, K)", "A | summarize arg_max(Bag, K), count()"])(
    "%s is Kusto's semantic error",
    async (query) => {
      expect((await error(query)).kind).toBe("semantic");
    },
  );

  it("sum of a bool is Kusto's semantic error (the argument must be summable)", async () => {
    const e = await error("A | summarize sum(Ok)");
    expect(e.kind).toBe("semantic");
    expect(e.message).toMatch(/summable/);
  });

  it("a percentile outside 0..100 is a semantic error naming the function", async () => {
    const e = await error("A | summarize percentile(N, 120)");
    expect(e.kind).toBe("semantic");
    expect(e.message).toContain("percentile(): a percentile must be between 0 and 100");
  });

  it("min/max of bool and timespan, sum/avg of timespan work", async () => {
    const rows = await rowsOf(ws, "A | where K == 'a' | summarize min(Ok), max(Ok), min(Span), sum(Span), avg(Span)");
    expect(rows).toEqual([{ min_Ok: false, max_Ok: true, min_Span: "01:00:00", sum_Span: "04:00:00", avg_Span: "02:00:00" }]);
  });
});

describe("documented rules on stored rows", () => {
  // https://learn.microsoft.com/kusto/query/take-any-aggregation-function: one column → a non-null/non-empty value if any
  it("take_any of one column prefers a value that is not null or empty", async () => {
    expect(await rowsOf(ws, "A | where K == 'a' | summarize take_any(S), take_any(N)")).toEqual([{ S: "one", N: expect.any(Number) }]);
  });

  // https://learn.microsoft.com/kusto/query/arg-min-aggregation-function "Null handling": an all-null group still gives a row
  it("arg_max keeps a group whose values are all null, and ignores nulls elsewhere", async () => {
    const rows = await rowsOf(ws, "A | summarize arg_max(N, S) by K | order by K asc");
    expect(rows).toEqual([{ K: "a", N: 3, S: "one" }, { K: "b", N: null, S: "" }]);
  });

  it("percentiles ignore nulls; dcount counts exactly (empty string is a value, null is not)", async () => {
    expect(await rowsOf(ws, "A | summarize percentile(N, 50), dcount(S), dcount(N)")).toEqual([{ percentile_N_50: 1, dcount_S: 2, dcount_N: 2 }]);
  });

  it("make_list and percentiles_array render datetimes as Kusto does in dynamic values", async () => {
    const rows = await rowsOf(ws, "A | where K == 'a' | summarize make_list(When), percentiles_array(When, 0, 100)");
    expect(rows.map((r): unknown[] => [JSON.parse(r.list_When as string), JSON.parse(r.percentiles_When as string)])).toEqual([
      [["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"], ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]],
    ]);
  });

  it("make_bag merges the bags of the group and skips other values", async () => {
    const rows = await rowsOf(ws, "A | summarize make_bag(Bag) by K | order by K asc");
    expect(rows.map((r): unknown[] => [r.K, JSON.parse(r.bag_Bag as string)])).toEqual([["a", { x: 1, y: 2 }], ["b", {}]]);
  });
});
