import type { DocPage } from "../case";

export default {
  page: "hourofday()",
  url: "https://learn.microsoft.com/kusto/query/hourofday-function",
  cases: [
    // documented example
    { query: "print hour=hourofday(datetime(2015-12-14 18:54:00))", columns: [["hour", "int"]], rows: [[18]] },
  ],
} satisfies DocPage;
