import type { DocPage } from "../case";

export default {
  page: "sqrt()",
  url: "https://learn.microsoft.com/kusto/query/sqrt-function",
  cases: [
    // Returns: "a positive number such that sqrt(x) * sqrt(x) == x"; "null if the argument is negative"
    { query: "print a = sqrt(16), b = sqrt(2.25)", columns: [["a", "real"], ["b", "real"]], rows: [[4, 1.5]] },
    { query: "print a = sqrt(-1)", columns: [["a", "real"]], rows: [[null]] },
  ],
} satisfies DocPage;
