import type { DocPage } from "../case";

export default {
  page: "dayofyear() / monthofyear()",
  url: "https://learn.microsoft.com/kusto/query/dayofyear-function",
  cases: [
    { query: "print dayofyear(datetime(2015-12-14))", columns: [["print_0", "int"]], rows: [[348]] },
    // https://learn.microsoft.com/kusto/query/monthofyear-function
    { query: "print monthofyear(datetime(2015-12-14))", columns: [["print_0", "int"]], rows: [[12]] },
  ],
} satisfies DocPage;
