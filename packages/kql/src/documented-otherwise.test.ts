/**
 * Where Kusto's documentation and the analyser disagree, the documented form is taken, and only that form:
 * make_timespan()'s `second` is a real on its page (make_timespan(1,12,30,55.123) is 1.12:30:55.1230000).
 */
import { describe, expect, it } from "vitest";
import { compileKql, KqlError, type CompileOptions } from "./index";

const options: CompileOptions = { tables: [], tableSql: (t) => `lw_test."${t}"`, ingestionColumn: "__vw_ingested_at", workspaceId: "11111111-2222-4333-8444-555555555555", now: new Date("2024-01-01T00:00:00Z") };
const error = (q: string) => {
  try {
    compileKql(q, options);
    return null;
  } catch (e) {
    if (e instanceof KqlError) return e.message;
    throw e;
  }
};

describe("make_timespan() seconds", () => {
  it("take a real, as the page documents, in the (day, hour, minute, second) and (hour, minute, second) forms", () => {
    expect(error("print ['timespan'] = make_timespan(1,12,30,55.123)")).toBeNull();
    expect(error("print t = make_timespan(12, 30, 0.5)")).toBeNull();
  });

  it("the other arguments are still integers, as the analyser says", () => {
    expect(error("print t = make_timespan(1.5, 30)")).toMatch(/^The expression value must be an integer\./);
    expect(error("print t = make_timespan(1, 2.5, 30, 1)")).toMatch(/^The expression value must be an integer\./);
  });
});
