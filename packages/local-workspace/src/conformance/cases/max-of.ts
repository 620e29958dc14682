import type { DocPage } from "../case";

export default {
  page: "max_of()",
  url: "https://learn.microsoft.com/kusto/query/max-of-function",
  cases: [
    // "Find the largest number"
    { query: "print result = max_of(10, 1, -3, 17)", columns: [["result", "long"]], rows: [[17]] },
    // "Find the maximum value in a data-table": non-null values take precedence over nulls. The page heads the column
    // "result"; the query names it so.
    {
      query: "datatable (A: int, B: int) [1, 6, 8, 1, int(null), 2, 1, int(null), int(null), int(null)] | project result = max_of(A, B)",
      columns: [["result", "int"]],
      rows: [[6], [8], [2], [1], [null]],
    },
  ],
} satisfies DocPage;
