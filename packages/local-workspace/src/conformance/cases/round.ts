import type { DocPage } from "../case";

export default {
  page: "round()",
  url: "https://learn.microsoft.com/kusto/query/round-function",
  cases: [
    // documented examples
    { query: "print r = round(2.98765, 3)", columns: [["r", "real"]], rows: [[2.988]] },
    { query: "print r = round(2.15, 1)", columns: [["r", "real"]], rows: [[2.2]] },
    { query: "print r = round(2.15)", columns: [["r", "real"]], rows: [[2]] },
    { query: "print r = round(-50.55, -2)", columns: [["r", "real"]], rows: [[-100]] },
    { query: "print r = round(21.5, -1)", columns: [["r", "real"]], rows: [[20]] },
  ],
} satisfies DocPage;
