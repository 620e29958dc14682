import type { DocPage } from "../case";

// series_fill_const / series_fill_forward / series_fill_backward: the pages' examples. series_fill_linear and series_stats have pages of their own.
export default {
  page: "series_fill_const(), series_fill_forward(), series_fill_backward()",
  url: "https://learn.microsoft.com/kusto/query/series-fill-const-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/series-fill-const-function
    {
      query: `let data = datatable(arr: dynamic)
[
    dynamic([111, null, 36, 41, 23, null, 16, 61, 33, null, null])
];
data
| project
    arr,
    fill_const1 = series_fill_const(arr, 0.0),
    fill_const2 = series_fill_const(arr, -1)`,
      columns: [["arr", "dynamic"], ["fill_const1", "dynamic"], ["fill_const2", "dynamic"]],
      rows: [
        [
          [111, null, 36, 41, 23, null, 16, 61, 33, null, null],
          [111, 0.0, 36, 41, 23, 0.0, 16, 61, 33, 0.0, 0.0],
          [111, -1, 36, 41, 23, -1, 16, 61, 33, -1, -1],
        ],
      ],
    },
    // https://learn.microsoft.com/kusto/query/series-fill-forward-function: leading missing values stay
    {
      query: `let data = datatable(arr: dynamic)
[
    dynamic([null, null, 36, 41, null, null, 16, 61, 33, null, null])
];
data
| project
    arr,
    fill_forward = series_fill_forward(arr)`,
      columns: [["arr", "dynamic"], ["fill_forward", "dynamic"]],
      rows: [[[null, null, 36, 41, null, null, 16, 61, 33, null, null], [null, null, 36, 41, 41, 41, 16, 61, 33, 33, 33]]],
    },
    // https://learn.microsoft.com/kusto/query/series-fill-backward-function: trailing missing values stay
    {
      query: `let data = datatable(arr: dynamic)
[
    dynamic([111, null, 36, 41, null, null, 16, 61, 33, null, null])
];
data
| project
    arr,
    fill_backward = series_fill_backward(arr)`,
      columns: [["arr", "dynamic"], ["fill_backward", "dynamic"]],
      rows: [[[111, null, 36, 41, null, null, 16, 61, 33, null, null], [111, 36, 36, 41, 16, 16, 16, 61, 33, null, null]]],
    },
    // a placeholder marks the missing values
    {
      query: "print s = series_fill_forward(dynamic([1, 0, 0, 2, 0]), 0)",
      columns: [["s", "dynamic"]],
      rows: [[[1, 1, 1, 2, 2]]],
    },
    // make-series then fill: absent bins are null with default=double(null)
    {
      query: `datatable(t:long, v:real) [0, 1.5, 3, 2.5]
| make-series s = avg(v) default = double(null) on t from 0 to 4 step 1
| project filled = series_fill_forward(s)`,
      columns: [["filled", "dynamic"]],
      rows: [[[1.5, 1.5, 1.5, 2.5]]],
    },
    // series_fill_linear: see series-fill-linear.ts
    // series_stats: see series-stats.ts
  ],
} satisfies DocPage;
