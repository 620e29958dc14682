import type { DocPage } from "../case";

export default {
  page: "tolower()",
  url: "https://learn.microsoft.com/kusto/query/tolower-function",
  cases: [
    // documented example: tolower("Hello") == "hello"
    { query: 'print tolower("Hello")', columns: [["print_0", "string"]], rows: [["hello"]] },
    { query: 'print r = tolower("Hello") == "hello"', columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
