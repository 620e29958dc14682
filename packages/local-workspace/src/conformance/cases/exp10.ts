import type { DocPage } from "../case";

export default {
  page: "exp10()",
  url: "https://learn.microsoft.com/kusto/query/exp10-function",
  cases: [
    // documented example
    { query: "print result = exp10(2)", columns: [["result", "real"]], rows: [[100]] },
  ],
} satisfies DocPage;
