import type { DocPage } from "../case";

export default {
  page: "stdevif() / varianceif() / count_distinctif()",
  url: "https://learn.microsoft.com/kusto/query/stdevif-aggregation-function",
  cases: [
    // the page's example: the even numbers of 1..100
    { query: "range x from 1 to 100 step 1\n| summarize stdevif(x, x % 2 == 0)", columns: [["stdevif_x", "real"]], rows: [[29.1547594742265]] },
    // https://learn.microsoft.com/kusto/query/varianceif-aggregation-function
    { query: "range x from 1 to 100 step 1\n| summarize varianceif(x, x % 2 == 0)", columns: [["varianceif_x", "real"]], rows: [[850]] },
    // https://learn.microsoft.com/kusto/query/count-distinctif-aggregation-function: distinct values where the predicate holds
    { query: "datatable(x:long)[1, 2, 2, 3, 3, 3]\n| summarize count_distinctif(x, x > 1)", columns: [["count_distinctif_x", "long"]], rows: [[2]] },
  ],
} satisfies DocPage;
