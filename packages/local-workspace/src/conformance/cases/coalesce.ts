import type { DocPage } from "../case";

export default {
  page: "coalesce()",
  url: "https://learn.microsoft.com/kusto/query/coalesce-function",
  cases: [
    // documented example
    { query: 'print result=coalesce(tolong("not a number"), tolong("42"), 33)', columns: [["result", "long"]], rows: [[42]] },
    // "the first non-null (or non-empty for string) expression"
    { query: 'print result=coalesce("", "b", "c")', columns: [["result", "string"]], rows: [["b"]] },
  ],
} satisfies DocPage;
