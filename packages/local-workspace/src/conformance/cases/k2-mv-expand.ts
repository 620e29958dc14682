import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/mv-expand-operator: the page's examples
export default {
  page: "mv-expand operator",
  url: "https://learn.microsoft.com/kusto/query/mv-expand-operator",
  cases: [
    // single column: array expansion
    {
      query: `datatable (a: int, b: dynamic)
[
    1, dynamic([10, 20]),
    2, dynamic(['a', 'b'])
]
| mv-expand b`,
      columns: [["a", "int"], ["b", "dynamic"]],
      rows: [[1, 10], [1, 20], [2, "a"], [2, "b"]],
    },
    // single column: bag expansion (single-entry bags)
    {
      query: `datatable (a: int, b: dynamic)
[
    1, dynamic({"prop1": "a1", "prop2": "b1"}),
    2, dynamic({"prop1": "a2", "prop2": "b2"})
]
| mv-expand b`,
      columns: [["a", "int"], ["b", "dynamic"]],
      rows: [[1, { prop1: "a1" }], [1, { prop2: "b1" }], [2, { prop1: "a2" }], [2, { prop2: "b2" }]],
    },
    // bag expansion to key-value pairs
    {
      query: `datatable (a: int, b: dynamic)
[
    1, dynamic({"prop1": "a1", "prop2": "b1"}),
    2, dynamic({"prop1": "a2", "prop2": "b2"})
]
| mv-expand kind=array b
| extend key = b[0], val=b[1]`,
      columns: [["a", "int"], ["b", "dynamic"], ["key", "dynamic"], ["val", "dynamic"]],
      rows: [
        [1, ["prop1", "a1"], "prop1", "a1"],
        [1, ["prop2", "b1"], "prop2", "b1"],
        [2, ["prop1", "a2"], "prop1", "a2"],
        [2, ["prop2", "b2"], "prop2", "b2"],
      ],
    },
    // zipped two columns: the shorter one reads null
    {
      query: `datatable (a: int, b: dynamic, c: dynamic)[
    1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])
]
| mv-expand b, c`,
      columns: [["a", "int"], ["b", "dynamic"], ["c", "dynamic"]],
      rows: [[1, { prop1: "a" }, 5], [1, { prop2: "b" }, 4], [1, null, 3]],
    },
    // Cartesian product of two columns: expand one, then the other
    {
      query: `datatable (a: int, b: dynamic, c: dynamic)
[
    1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 6])
]
| mv-expand b
| mv-expand c`,
      columns: [["a", "int"], ["b", "dynamic"], ["c", "dynamic"]],
      rows: [[1, { prop1: "a" }, 5], [1, { prop1: "a" }, 6], [1, { prop2: "b" }, 5], [1, { prop2: "b" }, 6]],
    },
    // convert output: to typeof(int)
    {
      query: `datatable (a: string, b: dynamic, c: dynamic)["Constant", dynamic([1, 2, 3, 4]), dynamic([6, 7, 8, 9])]
| mv-expand b, c to typeof(int)
| getschema`,
      ordered: true,
      columns: [["ColumnName", "string"], ["ColumnOrdinal", "long"], ["DataType", "string"], ["ColumnType", "string"]],
      rows: [["a", 0, "System.String", "string"], ["b", 1, "System.Object", "dynamic"], ["c", 2, "System.Int32", "int"]],
    },
    {
      query: `datatable (a: string, b: dynamic, c: dynamic)["Constant", dynamic([1, 2, 3, 4]), dynamic([6, 7, 8, 9])]
| mv-expand b, c to typeof(int)`,
      columns: [["a", "string"], ["b", "dynamic"], ["c", "int"]],
      rows: [["Constant", 1, 6], ["Constant", 2, 7], ["Constant", 3, 8], ["Constant", 4, 9]],
    },
    // with_itemindex: the element's 0-based position
    {
      query: `range x from 1 to 4 step 1
| summarize x = make_list(x)
| mv-expand with_itemindex=Index x`,
      columns: [["x", "dynamic"], ["Index", "long"]],
      rows: [[1, 0], [2, 1], [3, 2], [4, 3]],
    },
    // limit: at most that many rows per input row
    { query: "print x = dynamic([1, 2, 3, 4]) | mv-expand x limit 2", columns: [["x", "dynamic"]], rows: [[1], [2]] },
    // a null value gives one row; an empty array gives none
    { query: "print x = dynamic(null), y = 1 | mv-expand x", columns: [["x", "dynamic"], ["y", "long"]], rows: [[null, 1]] },
    { query: "print x = dynamic([]), y = 1 | mv-expand x", columns: [["x", "dynamic"], ["y", "long"]], rows: [] },
    // an expression with a name
    {
      query: 'print s = "a,b" | mv-expand part = split(s, ",") to typeof(string)',
      columns: [["s", "string"], ["part", "string"]],
      rows: [["a,b", "a"], ["a,b", "b"]],
    },
  ],
} satisfies DocPage;
