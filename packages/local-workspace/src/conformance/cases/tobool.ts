import type { DocPage } from "../case";

export default {
  page: "tobool()",
  url: "https://learn.microsoft.com/kusto/query/tobool-function",
  cases: [
    // documented examples
    {
      query: 'print a = tobool("true") == true, b = tobool("false") == false, c = tobool(1) == true, d = tobool(123) == true',
      columns: [["a", "bool"], ["b", "bool"], ["c", "bool"], ["d", "bool"]],
      rows: [[true, true, true, true]],
    },
    { query: 'print a = tobool("true"), b = tobool("false"), c = toboolean(1)', columns: [["a", "bool"], ["b", "bool"], ["c", "bool"]], rows: [[true, false, true]] },
    // "If conversion isn't successful, result will be null"
    { query: 'print v = tobool("maybe")', columns: [["v", "bool"]], rows: [[null]] },
  ],
} satisfies DocPage;
