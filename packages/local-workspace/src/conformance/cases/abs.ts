import type { DocPage } from "../case";

export default {
  page: "abs()",
  url: "https://learn.microsoft.com/kusto/query/abs-function",
  cases: [
    // documented example: abs(-5) → 5
    { query: "print abs(-5)", columns: [["print_0", "long"]], rows: [[5]] },
    // x may be int, real or timespan
    { query: "print a = abs(-2.5), b = abs(-1h)", columns: [["a", "real"], ["b", "timespan"]], rows: [[2.5, "01:00:00"]] },
  ],
} satisfies DocPage;
