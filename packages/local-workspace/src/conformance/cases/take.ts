import type { DocPage } from "../case";

export default {
  page: "take operator",
  url: "https://learn.microsoft.com/kusto/query/take-operator",
  cases: [
    // "There is no guarantee which records are returned"; the count is exact
    { query: "range x from 1 to 100 step 1 | take 5 | count", columns: [["Count", "long"]], rows: [[5]] },
    // "take and limit are synonyms"
    { query: "range x from 1 to 100 step 1 | limit 5 | count", columns: [["Count", "long"]], rows: [[5]] },
    { query: "range x from 1 to 3 step 1 | take 10", columns: [["x", "long"]], rows: [[1], [2], [3]] },
    // after a sort, take keeps the sorted order
    { query: "range x from 1 to 10 step 1 | sort by x desc | take 3", ordered: true, columns: [["x", "long"]], rows: [[10], [9], [8]] },
  ],
} satisfies DocPage;
