import { describe, expect, it } from "vitest";
import { chartOf } from "./chart-data";

const t1 = "2026-12-01T00:00:00.0000000Z";
const t2 = "2026-12-01T01:00:00.0000000Z";

describe("chartOf", () => {
  it("draws a datetime and a numeric column as a line over time", () => {
    const chart = chartOf(
      [{ name: "TimeGenerated", type: "datetime" }, { name: "Jobs", type: "long" }],
      [[t2, 3], [t1, 5]],
      null,
    );
    expect(chart).toEqual({ kind: "line", axis: "time", series: ["Jobs"], points: [{ x: Date.parse(t1), Jobs: 5 }, { x: Date.parse(t2), Jobs: 3 }] });
  });

  it("splits one measure by a string column into one series per value", () => {
    const chart = chartOf(
      [{ name: "TimeGenerated", type: "datetime" }, { name: "JobStatus_s", type: "string" }, { name: "count_", type: "long" }],
      [[t1, "Failed", 2], [t1, "Completed", 7], [t2, "Failed", 1]],
      { kind: "bar" },
    );
    expect(chart?.kind).toBe("bar");
    expect(chart?.series).toEqual(["Failed", "Completed"]);
    expect(chart?.points).toEqual([{ x: Date.parse(t1), Failed: 2, Completed: 7 }, { x: Date.parse(t2), Failed: 1 }]);
  });

  it("draws categories only when a render asks for it", () => {
    const cols = [{ name: "JobFailureCode_s", type: "string" as const }, { name: "n", type: "long" as const }];
    expect(chartOf(cols, [["UserErrorVmNotFound", 4]], null)).toBeNull();
    expect(chartOf(cols, [["UserErrorVmNotFound", 4]], { kind: "pie" })).toEqual({ kind: "pie", axis: "category", series: ["n"], points: [{ x: "UserErrorVmNotFound", n: 4 }] });
  });

  it("draws nothing without a numeric column", () => {
    expect(chartOf([{ name: "TimeGenerated", type: "datetime" }, { name: "Resource", type: "string" }], [[t1, "vm"]], null)).toBeNull();
  });
});
