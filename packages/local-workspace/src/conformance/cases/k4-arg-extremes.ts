import type { DocPage } from "../case";

const fruit = `datatable(Fruit: string, Color: string, Version: int) [
    "Apple", "Red", 1,
    "Apple", "Green", int(null),
    "Banana", "Yellow", int(null),
    "Banana", "Green", int(null),
    "Pear", "Brown", 1,
    "Pear", "Green", 2,
]`;

export default {
  page: "arg_max(), arg_min()",
  url: "https://learn.microsoft.com/kusto/query/arg-max-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/arg-max-aggregation-function "demonstrates null handling"
    {
      query: `${fruit}\n| summarize arg_max(Version, *) by Fruit`,
      columns: [["Fruit", "string"], ["Version", "int"], ["Color", "string"]],
      rows: [["Apple", 1, "Red"], ["Banana", null, "Yellow"], ["Pear", 2, "Green"]],
    },
    // https://learn.microsoft.com/kusto/query/arg-min-aggregation-function "demonstrates null handling"
    {
      query: `${fruit}\n| summarize arg_min(Version, *) by Fruit`,
      columns: [["Fruit", "string"], ["Version", "int"], ["Color", "string"]],
      rows: [["Apple", 1, "Red"], ["Banana", null, "Yellow"], ["Pear", 1, "Brown"]],
    },
    // the pages' first example's shape: arg_max(X, one column) by key
    {
      query: "datatable(State:string, BeginLat:real, BeginLocation:string)['MS', 34.97, 'BARTON', 'MS', 30.1, 'GULFPORT', 'VT', 45.0, 'NORTH TROY'] | summarize arg_max(BeginLat, BeginLocation) by State",
      columns: [["State", "string"], ["BeginLat", "real"], ["BeginLocation", "string"]],
      rows: [["MS", 34.97, "BARTON"], ["VT", 45, "NORTH TROY"]],
    },
    // several returned columns, next to other aggregates in the same summarize
    {
      query: "datatable(K:string, T:long, A:string, B:long)['x', 1, 'a1', 10, 'x', 3, 'a3', 30, 'x', 2, 'a2', 20, 'y', 5, 'b5', 50] | summarize arg_max(T, A, B), n = count(), arg_min(T, A) by K",
      columns: [["K", "string"], ["T", "long"], ["A", "string"], ["B", "long"], ["n", "long"], ["T1", "long"], ["A1", "string"]],
      rows: [["x", 3, "a3", 30, 3, 1, "a1"], ["y", 5, "b5", 50, 1, 5, "b5"]],
    },
    // without a by clause: the one row of the whole input
    {
      query: `${fruit}\n| summarize arg_max(Version, Fruit, Color)`,
      columns: [["Version", "int"], ["Fruit", "string"], ["Color", "string"]],
      rows: [[2, "Pear", "Green"]],
    },
  ],
} satisfies DocPage;
