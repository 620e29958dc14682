import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/series-fill-linear-function: the page's example. Interpolated reals are
// written as the line between the neighbours (the page prints them to three decimals: 32.667, 24.333).
const third = (from: number, to: number, k: number) => from + ((to - from) * k) / 3;
const reals = [111.0, 111.0, 73.5, 36.0, 41.0, third(41, 16, 1), third(41, 16, 2), 16.0, 61.0, 33.0, 33.0, 33.0];
const ints = [111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33];
const withoutEdges = <T>(a: T[]) => [null, ...a.slice(1, 10), null, null];
const zeros = [0.0, 0.0, 0.0, 0.0];

export default {
  page: "series_fill_linear()",
  url: "https://learn.microsoft.com/kusto/query/series-fill-linear-function",
  cases: [
    {
      query: `let data = datatable(arr: dynamic)
    [
    dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]), // Array of double
    dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]), // Similar array of int
    dynamic([null, null, null, null])                                                   // Array with missing values only
];
data
| project
    arr,
    without_args = series_fill_linear(arr),
    with_edges = series_fill_linear(arr, double(null), true),
    wo_edges = series_fill_linear(arr, double(null), false)`,
      columns: [["arr", "dynamic"], ["without_args", "dynamic"], ["with_edges", "dynamic"], ["wo_edges", "dynamic"]],
      rows: [
        [[null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null], reals, reals, withoutEdges(reals)],
        [[null, 111, null, 36, 41, null, null, 16, 61, 33, null, null], ints, ints, withoutEdges(ints)],
        [[null, null, null, null], zeros, zeros, zeros],
      ],
      note: "the page's with_const column is left out of this query: for the int array it shows [111,111,74,38,41,...], which changes the present value 36 and contradicts the page's own rule; its all-missing row is the next case",
    },
    // the page's with_const for the array with missing values only
    {
      query: "print with_const = series_fill_linear(dynamic([null, null, null, null]), double(null), true, 3.14159)",
      columns: [["with_const", "dynamic"]],
      rows: [[[3.14159, 3.14159, 3.14159, 3.14159]]],
    },
  ],
} satisfies DocPage;
