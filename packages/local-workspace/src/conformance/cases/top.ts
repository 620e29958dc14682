import type { DocPage } from "../case";

export default {
  page: "top operator",
  url: "https://learn.microsoft.com/kusto/query/top-operator",
  cases: [
    // "top 5 by ... " is "sort by ... | take 5"; descending by default
    { query: "range x from 1 to 10 step 1 | top 3 by x", ordered: true, columns: [["x", "long"]], rows: [[10], [9], [8]] },
    { query: "range x from 1 to 10 step 1 | top 3 by x asc", ordered: true, columns: [["x", "long"]], rows: [[1], [2], [3]] },
    // nulls last by default when descending; nulls first with asc (sort operator's defaults)
    { query: "datatable(x:long) [5, long(null), 7, 1] | top 4 by x", ordered: true, columns: [["x", "long"]], rows: [[7], [5], [1], [null]] },
    { query: "datatable(x:long) [5, long(null), 7, 1] | top 2 by x asc nulls last", ordered: true, columns: [["x", "long"]], rows: [[1], [5]] },
    // by an expression
    {
      query: "datatable(Name:string, Damage:long) ['a', 10, 'b', 300, 'c', 20] | top 2 by Damage * 2",
      ordered: true,
      columns: [["Name", "string"], ["Damage", "long"]],
      rows: [["b", 300], ["c", 20]],
    },
  ],
} satisfies DocPage;
