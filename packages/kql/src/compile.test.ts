/** The compiler without a database: errors, names, parameters, and reuse of compiled templates. */
import { describe, expect, it } from "vitest";
import { compileKql, KqlError, type CompileOptions } from "./index";

const options = (over: Partial<CompileOptions> = {}): CompileOptions => ({
  tables: [
    {
      name: "AzureDiagnostics",
      columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "OperationName", type: "string" },
        { name: "JobStatus_s", type: "string" },
        { name: "JobUniqueId_g", type: "guid" },
      ],
    },
  ],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
  now: new Date("2026-11-24T00:00:00Z"),
  ...over,
});

const fail = (q: string, over?: Partial<CompileOptions>): KqlError => {
  try {
    compileKql(q, options(over));
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error("compiled");
};

describe("compileKql", () => {
  it("names result columns as Kusto does", () => {
    const c = compileKql("AzureDiagnostics | summarize count(), dcount(JobUniqueId_g) by OperationName", options());
    expect(c.columns).toEqual([
      { name: "OperationName", type: "string" },
      { name: "count_", type: "long" },
      { name: "dcount_JobUniqueId_g", type: "long" },
    ]);
  });

  it("keeps literals out of the SQL text", () => {
    const c = compileKql(`AzureDiagnostics | where JobStatus_s == "x'; DROP TABLE t; --"`, options());
    expect(c.sql).not.toContain("DROP");
    expect(c.params).toContain("x'; DROP TABLE t; --");
  });

  it("reuses a compiled template and binds this run's now() and timespan", () => {
    const q = "AzureDiagnostics | where TimeGenerated > ago(1h)";
    const span = { start: new Date("2026-11-23T00:00:00Z"), end: new Date("2026-11-24T00:00:00Z") };
    const a = compileKql(q, options({ timespan: span }));
    const b = compileKql(q, options({ now: new Date("2026-11-25T00:00:00Z"), timespan: span }));
    expect(b.sql).toBe(a.sql);
    expect(a.params).toContain("2026-11-24T00:00:00.000Z");
    expect(b.params).toContain("2026-11-25T00:00:00.000Z");
    expect(b.params).toContain("2026-11-23T00:00:00.000Z");
    // a different option shape is a different statement
    expect(compileKql(q, options()).sql).not.toBe(a.sql);
  });

  it("types a parameter the compiler folded away, so Postgres can plan the statement", () => {
    const c = compileKql('AzureDiagnostics | extend s = columnifexists("OperationName", "") | where s has "Job"', options());
    expect(c.sql).toMatch(/::text/);
  });

  it("reports syntax errors with Kusto's message and position", () => {
    const e = fail("AzureDiagnostics\n| where (JobStatus_s == ");
    expect([e.kind, e.position?.line]).toEqual(["syntax", 2]);
    expect(e.laCode).toBe("SyntaxError");
  });

  it("reports unknown names, type mismatches and unsupported constructs", () => {
    expect(fail("AzureDiagnostics | where Nope == 1").message).toMatch(/Nope/);
    expect(fail("AzureDiagnostics | where JobStatus_s == 1").message).toMatch(/Cannot compare values of types string and long/);
    expect(fail("AzureDiagnostics | where JobStatus_s > 1").kind).toBe("semantic");
    expect(fail("AzureDiagnostics | summarize percentiles(TimeGenerated, 50)").kind).toBe("unsupported");
    expect(fail("AzureDiagnostics | extend x = count()").message).toMatch(/aggregate/);
    expect(fail("AzureDiagnostics | evaluate bag_unpack(x)").kind).not.toBe("syntax");
  });

  it("allows nested loops for a query whose only joins are mv-expand's expansions, and for no other", () => {
    const expand = `AzureDiagnostics | extend parts = split(OperationName, "-") | mv-expand part = parts to typeof(string) | summarize count() by part`;
    expect(compileKql(expand, options()).nestedLoops).toBe(true);
    // a join or lookup beside the expansion: equalities over unindexed columns, a nested loop per row is the risk
    expect(compileKql(`${expand} | join kind=inner (AzureDiagnostics | summarize by part = OperationName) on part`, options()).nestedLoops).toBeUndefined();
    expect(compileKql(`${expand} | lookup (AzureDiagnostics | summarize n = count() by part = OperationName) on part`, options()).nestedLoops).toBeUndefined();
    expect(compileKql(`AzureDiagnostics | summarize count() by OperationName`, options()).nestedLoops).toBeUndefined();
  });
});
