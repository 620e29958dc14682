/** The conformance comparison: documented forms normalise to the API's, and a different answer is a wrong one. */
import { describe, expect, it } from "vitest";
import { datetimeTicks, judge, timespanTicks, type Case } from "./case";
import { count, emptyScore, scoreLine } from "./runner";

describe("normalisation", () => {
  it("datetimes: the docs' forms and the API's ISO form are the same instant, to the 100 ns tick", () => {
    const api = datetimeTicks("2017-01-01T10:00:00.5Z");
    expect(datetimeTicks("2017-01-01 10:00:00.5000000")).toBe(api);
    expect(datetimeTicks("2017-01-01T10:00:00.500Z")).toBe(api);
    expect(datetimeTicks("2017-01-01")).toBe(datetimeTicks("2017-01-01T00:00:00Z"));
    expect(datetimeTicks("2017-10-30T23:00:00.1009001Z")! - datetimeTicks("2017-10-30T23:00:00.1008009Z")!).toBe(992n);
    expect(datetimeTicks("yesterday")).toBeUndefined();
  });

  it("timespans: [-][d.]hh:mm:ss[.fffffff] as ticks", () => {
    expect(timespanTicks("1.02:03:04")).toBe((((24n + 2n) * 60n + 3n) * 60n + 4n) * 10_000_000n);
    expect(timespanTicks("00:00:01.5000000")).toBe(timespanTicks("00:00:01.5"));
    expect(timespanTicks("-00:01:00")).toBe(-600_000_000n);
    expect(timespanTicks("14.00:00:00")).toBe(14n * 864_000_000_000n);
  });
});

describe("judge", () => {
  const c: Case = { query: "q", columns: [["t", "datetime"], ["r", "real"], ["d", "dynamic"]], rows: [["2017-01-01", 0.1 + 0.2, { b: 1, a: [1] }]] };
  const answer = (rows: unknown[][], types = ["datetime", "real", "dynamic"]) => ({ columns: ["t", "r", "d"].map((name, i) => ({ name, type: types[i]! })), rows });

  it("passes the same table in the API's forms: reals within 1e-9, dynamic as JSON text with any key order", () => {
    expect(judge(c, answer([["2017-01-01T00:00:00Z", 0.3, '{"a": [1], "b": 1}']]))).toEqual({ outcome: "pass" });
  });

  it("a different cell, type, row count or an error is wrong, with the reason", () => {
    expect(judge(c, answer([["2017-01-02T00:00:00Z", 0.3, '{"a":[1],"b":1}']]))).toMatchObject({ outcome: "wrong", reason: expect.stringMatching(/column t/) as unknown });
    expect(judge(c, answer([["2017-01-01T00:00:00Z", 0.30001, '{"a":[1],"b":1}']]))).toMatchObject({ outcome: "wrong" });
    expect(judge(c, answer([["2017-01-01T00:00:00Z", 0.3, '{"a":[1],"b":1}']], ["datetime", "long", "dynamic"]))).toMatchObject({ outcome: "wrong", reason: expect.stringMatching(/^columns/) as unknown });
    expect(judge(c, answer([]))).toMatchObject({ outcome: "wrong", reason: expect.stringMatching(/expected 1 rows, got 0/) as unknown });
    expect(judge(c, { error: "400 BadArgumentError: nope" })).toMatchObject({ outcome: "wrong" });
  });

  it("rows compare as a multiset unless ordered; make_set columns as sets", () => {
    const rows: Case = { query: "q", columns: [["x", "long"]], rows: [[1], [2]] };
    const got = { columns: [{ name: "x", type: "long" }], rows: [[2], [1]] };
    expect(judge(rows, got)).toEqual({ outcome: "pass" });
    expect(judge({ ...rows, ordered: true }, got)).toMatchObject({ outcome: "wrong" });
    const set: Case = { query: "q", columns: [["s", "dynamic"]], rows: [[[1, 5, 7]]], unorderedArrays: ["s"] };
    expect(judge(set, { columns: [{ name: "s", type: "dynamic" }], rows: [["[7,1,5]"]] })).toEqual({ outcome: "pass" });
    expect(judge({ ...set, unorderedArrays: [] }, { columns: [{ name: "s", type: "dynamic" }], rows: [["[7,1,5]"]] })).toMatchObject({ outcome: "wrong" });
  });

  it("refused cases need a 'not supported' error; an answer or another error is wrong", () => {
    const r: Case = { query: "q", refused: true };
    expect(judge(r, { error: "400 BadArgumentError: the 'sample' operator is not supported by local workspaces" })).toEqual({ outcome: "refused" });
    expect(judge(r, { error: "400 BadArgumentError: Failed to resolve" })).toMatchObject({ outcome: "wrong" });
    expect(judge(r, { columns: [], rows: [] })).toMatchObject({ outcome: "wrong" });
  });
});

describe("microsecond precision (local workspaces store microseconds, Kusto 100 ns ticks)", () => {
  // endofday()'s documented value has a digit below the microsecond that our storage cannot hold
  const end: Case = { query: "q", columns: [["dayEnd", "datetime"], ["t", "timespan"]], rows: [["2017-01-01 23:59:59.9999999", "00:00:00.0000015"]] };
  const ours = (dt: string, ts = "00:00:00.000001") => ({ columns: [{ name: "dayEnd", type: "datetime" }, { name: "t", type: "timespan" }], rows: [[dt, ts]] });

  it("without the marker the missing tick is a wrong answer", () => {
    expect(judge(end, ours("2017-01-01T23:59:59.999999Z"))).toMatchObject({ outcome: "wrong", reason: expect.stringMatching(/column dayEnd/) as unknown });
  });

  it("with the marker it passes, and the pass says it held only at microsecond precision", () => {
    const marked: Case = { ...end, precision: "microsecond" };
    expect(judge(marked, ours("2017-01-01T23:59:59.999999Z"))).toEqual({ outcome: "pass", precision: "microsecond" });
    // a value right to the tick is a plain pass
    expect(judge({ ...marked, rows: [["2017-01-01 23:59:59.999999", "00:00:00.000001"]] }, ours("2017-01-01T23:59:59.999999Z"))).toEqual({ outcome: "pass" });
    // a whole microsecond off is still wrong
    expect(judge(marked, ours("2017-01-01T23:59:59.999998Z"))).toMatchObject({ outcome: "wrong", reason: expect.stringMatching(/^at microsecond precision, row 0, column dayEnd/) as unknown });
    expect(judge(marked, ours("2017-01-01T23:59:59.999999Z", "00:00:00.000002"))).toMatchObject({ outcome: "wrong" });
  });

  it("the score counts such passes apart: N pass (M at microsecond precision)", () => {
    const score = emptyScore();
    count(score, { outcome: "pass" });
    count(score, { outcome: "pass", precision: "microsecond" });
    count(score, { outcome: "refused" });
    expect(scoreLine(score)).toBe("2 pass (1 at microsecond precision), 1 refused, 0 wrong");
    expect(scoreLine(emptyScore())).toBe("0 pass, 0 refused, 0 wrong");
  });
});
