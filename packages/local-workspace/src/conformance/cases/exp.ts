import type { DocPage } from "../case";

export default {
  page: "exp()",
  url: "https://learn.microsoft.com/kusto/query/exp-function",
  cases: [
    // documented example; the page prints e² to six decimals (7.389056), written here in full
    { query: "print result = exp(2)", columns: [["result", "real"]], rows: [[7.38905609893065]] },
  ],
} satisfies DocPage;
