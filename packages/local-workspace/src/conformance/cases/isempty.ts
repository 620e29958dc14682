import type { DocPage } from "../case";

export default {
  page: "isempty()",
  url: "https://learn.microsoft.com/kusto/query/isempty-function",
  cases: [
    // the page's table of x → isempty(x)
    { query: 'print r = isempty("")', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isempty("x")', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isempty(parse_json(""))', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isempty(parse_json("[]"))', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isempty(parse_json("{}"))', columns: [["r", "bool"]], rows: [[false]] },
    // "true if the argument is an empty string or is null"
    { query: "print r = isempty(long(null))", columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
