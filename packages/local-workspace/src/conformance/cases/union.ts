import type { DocPage } from "../case";

export default {
  page: "union operator",
  url: "https://learn.microsoft.com/kusto/query/union-operator",
  cases: [
    // "Using isfuzzy=true": View_3 doesn't exist; union of the two views that do (documented: Count 2)
    {
      query: "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=1 };\nlet OtherView_1 = view () { print x=1 };\nunion isfuzzy=true\n(View_1 | where x > 0), \n(View_2 | where x > 0),\n(View_3 | where x > 0)\n| count",
      columns: [["Count", "long"]],
      rows: [[2]],
    },
    // "Source columns types mismatch": one column per name and type, suffixed with the type
    {
      // documented output: TableName | x_long | x_int = View_1 | 1 | null, View_2 | null | 2
      query: "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=toint(2) };\nunion withsource=TableName View_1, View_2",
      refused: true,
      note: "columns of one name and different types are refused by local workspaces",
    },
    // kind=outer (the default): all columns; cells an input doesn't define are null
    {
      query: "union (print a = 1, b = 'x'), (print a = 2, c = 1.5)",
      columns: [["a", "long"], ["b", "string"], ["c", "real"]],
      rows: [[1, "x", null], [2, "", 1.5]],
    },
    // kind=inner: only the columns common to all inputs
    // (documented output: a = 1, 2) refused by local workspaces
    { query: "union kind=inner (print a = 1, b = 'x'), (print a = 2, c = 1.5)", refused: true, note: "union kind=inner is not implemented" },
    // withsource names each row's source table
    {
      query: "let A = datatable(n:long) [1, 2]; let B = datatable(n:long) [3]; union withsource=Source A, B",
      columns: [["Source", "string"], ["n", "long"]],
      rows: [["A", 1], ["A", 2], ["B", 3]],
    },
    { query: "range x from 1 to 3 step 1 | union (range x from 10 to 11 step 1) | count", columns: [["Count", "long"]], rows: [[5]] },
    // "Using isfuzzy=true and wildcard access": SomeView* matches nothing, which isfuzzy tolerates (documented: 3)
    {
      query: "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=1 };\nlet OtherView_1 = view () { print x=1 };\nunion isfuzzy=true View*, SomeView*, OtherView*\n| count",
      refused: true,
      note: "wildcard table names are refused by local workspaces",
    },
    // "Source columns types mismatch", second example: x from View_1 becomes x_long, which View_3 already has, so x_long1
    {
      // documented output: TableName | x_long1 | x_int | x_long = View_1 | 1 | | , View_2 | | 2 | , View_3 | | | 3
      query: "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=toint(2) };\nlet View_3 = view () { print x_long=3 };\nunion withsource=TableName View_1, View_2, View_3",
      refused: true,
      note: "columns of one name and different types are refused by local workspaces",
    },
    // views (let ... = view () {...}) are union legs
    { query: "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=1 };\nunion View_1, View_2 | count", columns: [["Count", "long"]], rows: [[2]] },
  ],
} satisfies DocPage;
