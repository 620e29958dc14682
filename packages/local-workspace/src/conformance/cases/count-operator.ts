import type { DocPage } from "../case";

export default {
  page: "count operator",
  url: "https://learn.microsoft.com/kusto/query/count-operator",
  cases: [
    // the page counts StormEvents; the column is named Count
    { query: "range x from 1 to 59066 step 1 | count", columns: [["Count", "long"]], rows: [[59066]] },
    { query: "datatable(x:long)[] | count", columns: [["Count", "long"]], rows: [[0]] },
    { query: "range x from 1 to 10 step 1 | where x % 3 == 0 | count", columns: [["Count", "long"]], rows: [[3]] },
  ],
} satisfies DocPage;
