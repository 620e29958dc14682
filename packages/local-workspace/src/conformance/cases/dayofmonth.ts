import type { DocPage } from "../case";

export default {
  page: "dayofmonth()",
  url: "https://learn.microsoft.com/kusto/query/dayofmonth-function",
  cases: [
    // documented example
    { query: "print dayofmonth(datetime(2015-12-14))", columns: [["print_0", "int"]], rows: [[14]] },
  ],
} satisfies DocPage;
