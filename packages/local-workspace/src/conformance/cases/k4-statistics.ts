import type { DocPage } from "../case";

// stdev/stdevp/variance/variancep: each page's one example (range 1..5), with the output the page shows.
export default {
  page: "stdev(), stdevp(), variance(), variancep()",
  url: "https://learn.microsoft.com/kusto/query/stdev-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/stdev-aggregation-function (sample: Bessel's correction)
    {
      query: "range x from 1 to 5 step 1 | summarize make_list(x), stdev(x)",
      columns: [["list_x", "dynamic"], ["stdev_x", "real"]],
      rows: [[[1, 2, 3, 4, 5], 1.58113883008419]],
    },
    // https://learn.microsoft.com/kusto/query/stdevp-aggregation-function (population)
    {
      query: "range x from 1 to 5 step 1 | summarize make_list(x), stdevp(x)",
      columns: [["list_x", "dynamic"], ["stdevp_x", "real"]],
      rows: [[[1, 2, 3, 4, 5], 1.4142135623731]],
    },
    // https://learn.microsoft.com/kusto/query/variance-aggregation-function (sample)
    {
      query: "range x from 1 to 5 step 1 | summarize make_list(x), variance(x)",
      columns: [["list_x", "dynamic"], ["variance_x", "real"]],
      rows: [[[1, 2, 3, 4, 5], 2.5]],
    },
    // https://learn.microsoft.com/kusto/query/variancep-aggregation-function (population). The page's header reads
    // variance_x; the column is named after the function, variancep_x, as for every other aggregate.
    {
      query: "range x from 1 to 5 step 1 | summarize make_list(x), variancep(x)",
      columns: [["list_x", "dynamic"], ["variancep_x", "real"]],
      rows: [[[1, 2, 3, 4, 5], 2]],
    },
    // https://learn.microsoft.com/kusto/query/stdevif-aggregation-function
    { query: "range x from 1 to 100 step 1\n| summarize stdevif(x, x % 2 == 0)", columns: [["stdevif_x", "real"]], rows: [[29.1547594742265]] },
    // https://learn.microsoft.com/kusto/query/varianceif-aggregation-function
    { query: "range x from 1 to 100 step 1\n| summarize varianceif(x, x%2 == 0)", columns: [["varianceif_x", "real"]], rows: [[850]] },
    // https://learn.microsoft.com/kusto/query/avg-aggregation-function: avg returns real, also over integers
    { query: "range x from 1 to 4 step 1 | summarize avg(x)", columns: [["avg_x", "real"]], rows: [[2.5]] },
  ],
} satisfies DocPage;
