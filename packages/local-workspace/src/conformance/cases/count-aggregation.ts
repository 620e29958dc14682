import type { DocPage } from "../case";

export default {
  page: "count() (aggregation function)",
  url: "https://learn.microsoft.com/kusto/query/count-aggregation-function",
  cases: [
    // the page counts StormEvents by State; on a datatable
    {
      query: "datatable(State:string) ['TEXAS', 'TEXAS', 'KANSAS', 'TEXAS'] | summarize Count=count() by State",
      columns: [["State", "string"], ["Count", "long"]],
      rows: [["TEXAS", 3], ["KANSAS", 1]],
    },
    // summarize page: "The regular count will count nulls" (count_y = 2). The analyser here knows only count() and
    // count(predicate), so count(y) of a real is refused; the count() form below gives the page's 2
    {
      query: "range x from 1 to 2 step 1\n| extend y = iff(x == 1, real(null), real(5))\n| summarize count(y)",
      refused: true,
    },
    { query: "range x from 1 to 2 step 1 | extend y = iff(x == 1, real(null), real(5)) | summarize count()", columns: [["count_", "long"]], rows: [[2]] },
  ],
} satisfies DocPage;
