import type { DocPage } from "../case";

// serialize and the window functions of serialized rows.
export default {
  page: "serialize operator, row_number(), prev(), next(), row_cumsum()",
  url: "https://learn.microsoft.com/kusto/query/serialize-operator",
  cases: [
    // https://learn.microsoft.com/kusto/query/row-number-function: sorted rows are serialized
    {
      query: "range a from 1 to 10 step 1 | sort by a desc | extend rn=row_number()",
      ordered: true,
      columns: [["a", "long"], ["rn", "long"]],
      rows: [[10, 1], [9, 2], [8, 3], [7, 4], [6, 5], [5, 6], [4, 7], [3, 8], [2, 9], [1, 10]],
    },
    // row_number(StartingIndex)
    {
      query: "range a from 1 to 3 step 1 | serialize rn = row_number(7)",
      ordered: true,
      columns: [["a", "long"], ["rn", "long"]],
      rows: [[1, 7], [2, 8], [3, 9]],
    },
    // https://learn.microsoft.com/kusto/query/row-number-function: restart is not supported here
    {
      query: 'datatable(Salesperson:string, Num:long) ["Aldo", 1, "Aldo", 2, "Bob", 3] | sort by Salesperson asc | extend Rank=row_number(1, prev(Salesperson) != Salesperson)',
      refused: true,
    },
    // https://learn.microsoft.com/kusto/query/row-cumsum-function
    {
      query: "datatable (a:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | serialize b = row_cumsum(a)",
      ordered: true,
      columns: [["a", "long"], ["b", "long"]],
      rows: [[1, 1], [2, 3], [3, 6], [4, 10], [5, 15], [6, 21], [7, 28], [8, 36], [9, 45], [10, 55]],
    },
    { query: "datatable (a:long) [1, 2, 3, 4] | serialize b = row_cumsum(a, a % 2 == 0)", refused: true },
    // https://learn.microsoft.com/kusto/query/prev-function and next-function: offset and default value
    {
      query: "range x from 1 to 4 step 1 | serialize | extend p = prev(x), p2 = prev(x, 2, -1), n = next(x), n2 = next(x, 2)",
      ordered: true,
      columns: [["x", "long"], ["p", "long"], ["p2", "long"], ["n", "long"], ["n2", "long"]],
      rows: [
        [1, null, -1, 2, 3],
        [2, 1, -1, 3, 4],
        [3, 2, 1, 4, null],
        [4, 3, 2, null, null],
      ],
    },
    {
      query: 'datatable(s:string) ["a", "b"] | serialize | extend p = prev(s)',
      ordered: true,
      columns: [["s", "string"], ["p", "string"]],
      rows: [["a", ""], ["b", "a"]],
    },
  ],
} satisfies DocPage;
