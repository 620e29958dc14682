import type { DocPage } from "../case";

export default {
  page: "pow()",
  url: "https://learn.microsoft.com/kusto/query/pow-function",
  cases: [
    // documented example
    { query: "print result=pow(2, 3)", columns: [["result", "real"]], rows: [[8]] },
    { query: "print result=pow(4, 0.5)", columns: [["result", "real"]], rows: [[2]] },
  ],
} satisfies DocPage;
