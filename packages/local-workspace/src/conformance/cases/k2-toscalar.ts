import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/toscalar-function: the first column of the first row; no rows gives null
export default {
  page: "toscalar()",
  url: "https://learn.microsoft.com/kusto/query/toscalar-function",
  cases: [
    // the page's example: a let computed once, used per row
    {
      query: `let Range10 = range MyValue from 1 to 10 step 1;
let Range10WithoutFirst = range MyValue from 2 to 10 step 1;
let DiffCount = toscalar(Range10 | count) - toscalar(Range10WithoutFirst | count);
print DiffCount`,
      columns: [["print_0", "long"]],
      rows: [[1]],
    },
    {
      query: "let total = toscalar(range x from 1 to 4 step 1 | count); range x from 1 to 4 step 1 | extend pct = 100.0 * x / total",
      columns: [["x", "long"], ["pct", "real"]],
      rows: [[1, 25], [2, 50], [3, 75], [4, 100]],
    },
    { query: "print a = toscalar(range x from 1 to 0 step 1)", columns: [["a", "long"]], rows: [[null]] },
    // the first row of sorted rows
    {
      query: 'print b = toscalar(datatable(s:string, n:long)["q", 1, "r", 2] | sort by n desc)',
      columns: [["b", "string"]],
      rows: [["r"]],
    },
  ],
} satisfies DocPage;
