import type { DocPage } from "../case";

export default {
  page: "isnotempty()",
  url: "https://learn.microsoft.com/kusto/query/isnotempty-function",
  cases: [
    // the page's table of x → isnotempty(x) (the negation of isempty)
    { query: 'print r = isnotempty("")', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnotempty("x")', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isnotempty(parse_json(""))', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnotempty(parse_json("[]"))', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isnotempty(parse_json("{}"))', columns: [["r", "bool"]], rows: [[true]] },
    // "isnotempty(x) is the same as !isempty(x)"; 1 is not empty
    { query: "print r = isnotempty(1)", columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
