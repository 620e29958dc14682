/**
 * Series functions beyond the pages' examples (those are conformance cases: series-fill-linear.ts, series-stats.ts).
 *
 * series_fill_linear() with a placeholder for missing values (https://learn.microsoft.com/kusto/query/series-fill-linear-function):
 * "does linear interpolation for all instances of missing_value_placeholder"; with fill_edges=false the placeholders
 * at the start and end "will be preserved".
 * series_stats() (https://learn.microsoft.com/kusto/query/series-stats-function): non-finite values make every
 * statistic null unless ignore_nonfinite is true; named columns take the statistics in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropWorkspaces, rowsOf, workspaceWith } from "./test/pool";

let ws: string;
beforeAll(async () => {
  ws = await workspaceWith({});
});
afterAll(dropWorkspaces);

const filled = async (call: string) => JSON.parse((await rowsOf(ws, `print s = ${call}`))[0]!.s as string) as unknown;

describe("series_fill_linear with a placeholder", () => {
  it("interpolates the placeholder's elements and fills the edges with the nearest value", async () => {
    expect(await filled("series_fill_linear(dynamic([0, 2, 0, 0, 8, 0]), 0)")).toEqual([2, 2, 4, 6, 8, 8]);
  });

  it("keeps the placeholders at the edges with fill_edges=false", async () => {
    expect(await filled("series_fill_linear(dynamic([0, 2, 0, 0, 8, 0]), 0, false)")).toEqual([0, 2, 4, 6, 8, 0]);
  });

  it("reals stay reals; an all-placeholder series takes the constant", async () => {
    expect(await filled("series_fill_linear(dynamic([1.0, -1.0, 2.0]), -1.0)")).toEqual([1.0, 1.5, 2.0]);
    expect(await filled("series_fill_linear(dynamic([-1, -1]), -1, true, 7)")).toEqual([7, 7]);
  });
});

describe("series_stats", () => {
  it("a null element makes every statistic null, unless ignore_nonfinite leaves it out", async () => {
    const q = (ignore: string) => `print x = dynamic([1, null, 3]) | extend series_stats(x${ignore}) | project-away x`;
    expect(await rowsOf(ws, q(""))).toEqual([
      { series_stats_x_min: null, series_stats_x_min_idx: null, series_stats_x_max: null, series_stats_x_max_idx: null, series_stats_x_avg: null, series_stats_x_stdev: null, series_stats_x_variance: null },
    ]);
    // 1 and 3: mean 2, sample variance ((1-2)^2 + (3-2)^2) / (2-1) = 2; positions count the null
    expect(await rowsOf(ws, q(", true"))).toEqual([
      { series_stats_x_min: 1, series_stats_x_min_idx: 0, series_stats_x_max: 3, series_stats_x_max_idx: 2, series_stats_x_avg: 2, series_stats_x_stdev: Math.sqrt(2), series_stats_x_variance: 2 },
    ]);
  });

  it("(a, b) = series_stats(x) names the first statistics; an index is the first position of its value", async () => {
    expect(await rowsOf(ws, "print x = dynamic([5, 1, 1, 5]) | extend (lo, at) = series_stats(x) | project lo, at, series_stats_x_max_idx")).toEqual([
      { lo: 1, at: 1, series_stats_x_max_idx: 0 },
    ]);
  });
});
