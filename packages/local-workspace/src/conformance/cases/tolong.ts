import type { DocPage } from "../case";

export default {
  page: "tolong()",
  url: "https://learn.microsoft.com/kusto/query/tolong-function",
  cases: [
    // documented example: tolong("123") == 123
    { query: 'print r = tolong("123") == 123, v = tolong("123")', columns: [["r", "bool"], ["v", "long"]], rows: [[true, 123]] },
    // "If conversion isn't successful, the result is null"
    { query: 'print v = tolong("not a number")', columns: [["v", "long"]], rows: [[null]] },
  ],
} satisfies DocPage;
