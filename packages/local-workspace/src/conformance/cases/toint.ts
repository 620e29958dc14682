import type { DocPage } from "../case";

export default {
  page: "toint()",
  url: "https://learn.microsoft.com/kusto/query/toint-function",
  cases: [
    // "Convert string to integer"
    { query: 'print toint("123") == 123 | project Integer = print_0', columns: [["Integer", "bool"]], rows: [[true]] },
    // "Truncated integer"
    { query: "print toint(2.3) | project Integer = print_0", columns: [["Integer", "int"]], rows: [[2]] },
    // "Otherwise, the result is null"
    { query: 'print toint("abc")', columns: [["print_0", "int"]], rows: [[null]] },
  ],
} satisfies DocPage;
