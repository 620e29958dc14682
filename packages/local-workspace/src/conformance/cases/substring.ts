import type { DocPage } from "../case";

export default {
  page: "substring()",
  url: "https://learn.microsoft.com/kusto/query/substring-function",
  cases: [
    // documented examples
    { query: 'print r = substring("123456", 1)', columns: [["r", "string"]], rows: [["23456"]] },
    { query: 'print r = substring("123456", 2, 2)', columns: [["r", "string"]], rows: [["34"]] },
    { query: 'print r = substring("ABCD", 0, 2)', columns: [["r", "string"]], rows: [["AB"]] },
    // a negative startingIndex counts from the end of the string
    { query: 'print r = substring("123456", -2, 2)', columns: [["r", "string"]], rows: [["56"]] },
  ],
} satisfies DocPage;
