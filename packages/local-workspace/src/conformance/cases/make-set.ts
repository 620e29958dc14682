import type { DocPage } from "../case";

export default {
  page: "make_set() (aggregation function)",
  url: "https://learn.microsoft.com/kusto/query/make-set-aggregation-function",
  cases: [
    // "Set from array column": array elements are set members (the array's order is undefined)
    {
      query: "datatable (Val: int, Arr1: dynamic)\n[\n    1, dynamic(['A1', 'A2', 'A3']), \n    5, dynamic(['A2', 'C1']),\n    7, dynamic(['C2', 'A3']),\n    5, dynamic(['C2', 'A1'])\n] \n| summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)",
      columns: [["Val_set", "dynamic"], ["Arr1_set", "dynamic"]],
      unorderedArrays: ["Val_set", "Arr1_set"],
      rows: [[[1, 5, 7], ["A1", "A2", "A3", "C1", "C2"]]],
    },
    // "Set from a scalar column", by group (the page groups StormEvents by DamageCrops)
    {
      query: "datatable(State:string, DamageCrops:long) ['TEXAS', 0, 'IOWA', 0, 'TEXAS', 0, 'TEXAS', 30000, 'IOWA', 30000] | summarize states=make_set(State) by DamageCrops",
      columns: [["DamageCrops", "long"], ["states", "dynamic"]],
      unorderedArrays: ["states"],
      rows: [[0, ["TEXAS", "IOWA"]], [30000, ["TEXAS", "IOWA"]]],
    },
    // summarize page: nulls are ignored; the same aggregate twice gets a de-duplicated name
    {
      query: "range x from 1 to 2 step 1\n| extend y = iff(x == 1, real(null), real(5))\n| summarize make_set(y), make_set(y)",
      columns: [["set_y", "dynamic"], ["set_y1", "dynamic"]],
      rows: [[[5], [5]]],
    },
    // deprecated alias makeset(): documented, refused by local workspaces (the documented output would be [1])
    { query: "datatable(x:long) [1, 1, 1] | summarize s = makeset(x)", refused: true, note: "deprecated alias; not implemented" },
  ],
} satisfies DocPage;
