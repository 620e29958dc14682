import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/series-stats-function: the page's example
export default {
  page: "series_stats()",
  url: "https://learn.microsoft.com/kusto/query/series-stats-function",
  cases: [
    {
      query: `print x=dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])
| project series_stats(x)`,
      columns: [
        ["series_stats_x_min", "real"],
        ["series_stats_x_min_idx", "long"],
        ["series_stats_x_max", "real"],
        ["series_stats_x_max_idx", "long"],
        ["series_stats_x_avg", "real"],
        ["series_stats_x_stdev", "real"],
        ["series_stats_x_variance", "real"],
      ],
      rows: [[2, 8, 87, 3, 32.8, 28.5036338535483, 812.457142857143]],
    },
  ],
} satisfies DocPage;
