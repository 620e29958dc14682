import type { DocPage } from "../case";

export default {
  page: "tostring()",
  url: "https://learn.microsoft.com/kusto/query/tostring-function",
  cases: [
    // documented example
    { query: "print tostring(123)", columns: [["print_0", "string"]], rows: [["123"]] },
    // "If value is null, the result is an empty string"
    { query: "print s = tostring(long(null))", columns: [["s", "string"]], rows: [[""]] },
  ],
} satisfies DocPage;
