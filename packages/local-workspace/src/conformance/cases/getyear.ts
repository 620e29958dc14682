import type { DocPage } from "../case";

export default {
  page: "getyear()",
  url: "https://learn.microsoft.com/kusto/query/getyear-function",
  cases: [
    // documented example
    { query: "print year = getyear(datetime(2015-10-12))", columns: [["year", "int"]], rows: [[2015]] },
  ],
} satisfies DocPage;
