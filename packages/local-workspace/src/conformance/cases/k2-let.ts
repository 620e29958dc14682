import type { DocPage } from "../case";

// let statements and user-defined functions (scalar and tabular, defaults, named arguments), invoke, materialize(), as.
export default {
  page: "let statement, user-defined functions, invoke, materialize(), as",
  url: "https://learn.microsoft.com/kusto/query/let-statement",
  cases: [
    // https://learn.microsoft.com/kusto/query/let-statement: a scalar let, a tabular let, a let depending on another
    { query: "let n = 10; let m = n * 2; print result = m", columns: [["result", "long"]], rows: [[20]] },
    { query: "let T = range x from 1 to 3 step 1; T | where x > 1", columns: [["x", "long"]], rows: [[2], [3]] },
    // https://learn.microsoft.com/kusto/query/functions/user-defined-functions: default values and named arguments
    {
      query: `let f = (a:long, b:string = "b.default", c:long = 0) { strcat(a, "-", b, "-", c) };
union
  (print x=f(1, "B", 2)),
  (print x=f(1, "B")),
  (print x=f(1)),
  (print x=f(a=1, c=2, b="B")),
  (print x=f(c=2, a=1))`,
      columns: [["x", "string"]],
      rows: [["1-B-2"], ["1-B-0"], ["1-b.default-0"], ["1-B-2"], ["1-b.default-2"]],
    },
    // https://learn.microsoft.com/kusto/query/functions/user-defined-functions: a tabular function with a table parameter
    {
      query: "let MyFilter = (T:(x:long), v:long) { T | where x >= v }; MyFilter((range x from 1 to 10 step 1), 9)",
      columns: [["x", "long"]],
      rows: [[9], [10]],
    },
    // a function body may hold its own lets
    { query: "let f = (x:long) { let y = x * 2; y + 1 }; print r = f(20)", columns: [["r", "long"]], rows: [[41]] },
    {
      query: "let addOne = (x:long) { x + 1 }; range i from 1 to 3 step 1 | extend j = addOne(i)",
      columns: [["i", "long"], ["j", "long"]],
      rows: [[1, 2], [2, 3], [3, 4]],
    },
    // a parameterless tabular function
    { query: "let Numbers = () { range n from 1 to 2 step 1 }; Numbers() | count", columns: [["Count", "long"]], rows: [[2]] },
    // https://learn.microsoft.com/kusto/query/invoke-operator: the piped table is the function's first argument
    {
      query: "let MyFilter = (T:(x:long), v:long) { T | where x >= v }; range x from 1 to 10 step 1 | invoke MyFilter(8)",
      columns: [["x", "long"]],
      rows: [[8], [9], [10]],
    },
    // https://learn.microsoft.com/kusto/query/materialize-function: the same rows as the expression itself
    {
      query: "let T = materialize(range x from 1 to 3 step 1); T | summarize s = sum(x)",
      columns: [["s", "long"]],
      rows: [[6]],
    },
    // https://learn.microsoft.com/kusto/query/as-operator: the name binds the operator's input for the rest of the query
    {
      query: "range x from 1 to 3 step 1 | as T1 | join kind=inner (T1 | project x, y = x * 10) on x | project x, y",
      columns: [["x", "long"], ["y", "long"]],
      rows: [[1, 10], [2, 20], [3, 30]],
    },
  ],
} satisfies DocPage;
