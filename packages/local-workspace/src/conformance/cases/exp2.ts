import type { DocPage } from "../case";

export default {
  page: "exp2()",
  url: "https://learn.microsoft.com/kusto/query/exp2-function",
  cases: [
    // documented example
    { query: "print result = exp2(3)", columns: [["result", "real"]], rows: [[8]] },
  ],
} satisfies DocPage;
