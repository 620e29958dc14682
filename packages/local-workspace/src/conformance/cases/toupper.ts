import type { DocPage } from "../case";

export default {
  page: "toupper()",
  url: "https://learn.microsoft.com/kusto/query/toupper-function",
  cases: [
    // documented example: toupper("hello") == "HELLO"
    { query: 'print toupper("hello")', columns: [["print_0", "string"]], rows: [["HELLO"]] },
    { query: 'print r = toupper("hello") == "HELLO"', columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
