import type { DocPage } from "../case";

export default {
  page: "strcat()",
  url: "https://learn.microsoft.com/kusto/query/strcat-function",
  cases: [
    // "Concatenated string": print str = strcat("hello", " ", "world")
    { query: 'print str = strcat("hello", " ", "world")', columns: [["str", "string"]], rows: [["hello world"]] },
  ],
} satisfies DocPage;
