import type { DocPage } from "../case";

export default {
  page: "min_of()",
  url: "https://learn.microsoft.com/kusto/query/min-of-function",
  cases: [
    // documented example
    { query: "print result=min_of(10, 1, -3, 17)", columns: [["result", "long"]], rows: [[-3]] },
    // "Find the minimum value in a data-table. Non-null values take precedence over null values" (column named as
    // the page heads it)
    {
      query: "datatable (A: int, B: int) [5, 2, 10, 1, int(null), 3, 1, int(null), int(null), int(null)] | project result = min_of(A, B)",
      columns: [["result", "int"]],
      rows: [[2], [1], [3], [1], [null]],
    },
  ],
} satisfies DocPage;
