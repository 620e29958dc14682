import { describe, expect, it } from "vitest";
import { QueryFailure } from "@vaultwatch/evaluator";
import { kqlString } from "./kql-literals";
import { mapLimited } from "@vaultwatch/schemas";
import { isMissingSchema, runOnWorkspaces } from "./run";
import { z } from "zod";

describe("isMissingSchema: a workspace without the schema is 'no data yet'", () => {
  it("Azure's answers for a table or column the workspace never received", () => {
    // as packages/azure's runner words Azure's 400 (code, then message): Log Analytics query API error shapes
    expect(isMissingSchema(new QueryFailure("Azure Log Analytics (HTTP 400): BadArgumentError: The request had some invalid properties"))).toBe(true);
    expect(isMissingSchema(new QueryFailure("Azure Log Analytics (HTTP 400): SemanticError: A semantic error occurred."))).toBe(true);
    expect(isMissingSchema(new QueryFailure("Azure Log Analytics (HTTP 400): SEM0100: 'where' operator: Failed to resolve table or column expression named 'AddonAzureBackupJobs'"))).toBe(true);
  });
  it("the local engine's (Kusto.Language's) unknown name", () => {
    expect(isMissingSchema(new QueryFailure("The name 'AddonAzureBackupJobs' does not refer to any known table, tabular variable or function. (line 1, column 1)"))).toBe(true);
    expect(isMissingSchema(new QueryFailure("The name 'JobStatus_s' does not refer to any known column, table, variable or function."))).toBe(true);
  });
  it("anything else is an error", () => {
    expect(isMissingSchema(new QueryFailure("Azure Log Analytics (HTTP 403): InsufficientAccessError: no access"))).toBe(false);
    expect(isMissingSchema(new QueryFailure("the query ran longer than 20000 ms"))).toBe(false);
    expect(isMissingSchema("BadArgumentError")).toBe(false);
  });
});

describe("kqlString", () => {
  it("escapes backslashes and quotes (Kusto's string literal escapes)", () => {
    expect(kqlString(`a\\b"c`)).toBe(`"a\\\\b\\"c"`);
    expect(kqlString("eastus;123;windows;srv;f:\\archive1")).toBe(`"eastus;123;windows;srv;f:\\\\archive1"`);
  });
  it("refuses control characters", () => {
    expect(() => kqlString("a\nb")).toThrow(/control characters/);
  });
});

describe("mapLimited", () => {
  it("never runs more than the limit at once and keeps the order", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimited([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });
});

describe("runOnWorkspaces: a time budget", () => {
  it("starts no query after the budget: the workspaces not reached are skipped and say so; the rest answer", async () => {
    const workspaces = Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, tenantId: "t", kind: "local" as const, name: `law-${i}`, armId: null }));
    const runner = {
      run: async () => {
        await new Promise((r) => setTimeout(r, 40));
        return { columns: [], rows: [{ n: 1 }], truncated: false };
      },
    } as never;
    const answers = await runOnWorkspaces({ runner, workspaces, window: { start: new Date(0), end: new Date(1) }, concurrency: 2, budgetMs: 60 }, () => "print n = 1", z.object({ n: z.number() }));
    const statuses = answers.map((a) => a.outcome.status);
    // two queries at a time, 40 ms each, two per workspace: the first workspaces answer, the last ones are skipped
    expect(statuses[0]).toBe("ok");
    expect(statuses[5]).toBe("skipped");
    expect(statuses.indexOf("skipped")).toBeGreaterThan(0);
    expect(statuses.slice(statuses.indexOf("skipped")).every((s) => s === "skipped")).toBe(true);
    const skipped = answers.find((a) => a.outcome.status === "skipped")!;
    expect(skipped.outcome).toMatchObject({ error: expect.stringMatching(/time .* ran out/) });
    expect(skipped.rows).toEqual([]);
  });
});
