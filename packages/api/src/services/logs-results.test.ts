import { describe, expect, it } from "vitest";
import { mergeWorkspaceAnswers, splitRender } from "./logs-results";

describe("splitRender", () => {
  it("takes a trailing render off the query and names the chart", () => {
    expect(splitRender("T | summarize count() by bin(TimeGenerated, 1h)\n| render timechart")).toEqual({
      query: "T | summarize count() by bin(TimeGenerated, 1h)",
      render: { kind: "line", name: "timechart" },
    });
    expect(splitRender('T | summarize n = count() by JobStatus_s | render columnchart with (title="Jobs")').render).toEqual({ kind: "bar", name: "columnchart" });
    expect(splitRender("T | render piechart").render?.kind).toBe("pie");
  });

  it("leaves a query without render as it is", () => {
    expect(splitRender("T | where Name == 'render timechart'")).toEqual({ query: "T | where Name == 'render timechart'", render: null });
  });
});

describe("mergeWorkspaceAnswers", () => {
  const answer = (name: string, columns: { name: string; type: "long" | "string" }[], rows: Record<string, unknown>[], truncated = false) => ({
    workspace: { id: name, name },
    result: { columns, rows, truncated },
  });

  it("joins columns by name and labels rows with their workspace", () => {
    const merged = mergeWorkspaceAnswers(
      [answer("a", [{ name: "n", type: "long" }], [{ n: 1 }]), answer("b", [{ name: "n", type: "long" }, { name: "s", type: "string" }], [{ n: 2, s: "x" }])],
      10,
      true,
    );
    expect(merged).toEqual({
      columns: [
        { name: "_Workspace", type: "string" },
        { name: "n", type: "long" },
        { name: "s", type: "string" },
      ],
      rows: [
        ["a", 1, null],
        ["b", 2, "x"],
      ],
      truncated: false,
    });
  });

  it("stops at the row cap and says the result is cut", () => {
    const rows = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const merged = mergeWorkspaceAnswers([answer("a", [{ name: "n", type: "long" }], rows)], 2, false);
    expect(merged.rows).toEqual([[1], [2]]);
    expect(merged.truncated).toBe(true);
  });
});
