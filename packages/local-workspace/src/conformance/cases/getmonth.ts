import type { DocPage } from "../case";

export default {
  page: "getmonth()",
  url: "https://learn.microsoft.com/kusto/query/getmonth-function",
  cases: [
    // documented example
    { query: "print month = getmonth(datetime(2015-10-12))", columns: [["month", "int"]], rows: [[10]] },
  ],
} satisfies DocPage;
