import type { DocPage } from "../case";

export default {
  page: "sort operator",
  url: "https://learn.microsoft.com/kusto/query/sort-operator",
  cases: [
    // "desc" is the default; nulls last by default in desc, first in asc
    { query: "datatable(x:long) [5, long(null), 7, 1] | sort by x", ordered: true, columns: [["x", "long"]], rows: [[7], [5], [1], [null]] },
    { query: "datatable(x:long) [5, long(null), 7, 1] | sort by x asc", ordered: true, columns: [["x", "long"]], rows: [[null], [1], [5], [7]] },
    { query: "datatable(x:long) [5, long(null), 7, 1] | sort by x asc nulls last", ordered: true, columns: [["x", "long"]], rows: [[1], [5], [7], [null]] },
    { query: "datatable(x:long) [5, long(null), 7, 1] | sort by x desc nulls first", ordered: true, columns: [["x", "long"]], rows: [[null], [7], [5], [1]] },
    // order is an alias of sort; several keys
    {
      query: "datatable(a:string, b:long) ['x', 1, 'y', 2, 'x', 3, 'y', 1] | order by a asc, b desc",
      ordered: true,
      columns: [["a", "string"], ["b", "long"]],
      rows: [["x", 3], ["x", 1], ["y", 2], ["y", 1]],
    },
    // strings sort ordinally (case-sensitive): upper case before lower case
    { query: "datatable(s:string) ['b', 'B', 'a', 'A'] | sort by s asc", ordered: true, columns: [["s", "string"]], rows: [["A"], ["B"], ["a"], ["b"]] },
  ],
} satisfies DocPage;
