/** top-nested `with others`, compiled without a database: the forms refused and the mistakes reported. */
import { describe, expect, it } from "vitest";
import { compileKql, KqlError } from "../index";

const options = { tables: [], tableSql: (t: string) => `lw_test."${t}"`, ingestionColumn: "__vw_ingested_at", workspaceId: "w", now: new Date("2026-11-24T00:00:00Z") };
const sales = 'datatable(State:string, Source:string, v:long) ["A", "x", 1, "B", "y", 10]';

const fail = (q: string): KqlError => {
  try {
    compileKql(q, options);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`compiled: ${q}`);
};

describe("top-nested with others", () => {
  it("compiles on a single level", () => {
    expect(compileKql(`${sales} | top-nested 1 of State with others = "Other" by sum(v)`, options).params).toContain("Other");
  });

  it("is refused above a further level", () => {
    const e = fail(`${sales} | top-nested 1 of State with others = "Other" by sum(v), top-nested 1 of Source by sum(v)`);
    expect([e.kind, e.message]).toEqual(["unsupported", expect.stringContaining("more than one level")]);
  });

  it("reports an others value of another type than the level's values", () => {
    const e = fail(`${sales} | top-nested 1 of v with others = "Other" by count()`);
    expect([e.kind, e.message]).toEqual(["semantic", expect.stringContaining("the others value is string")]);
  });
});
