import type { DocPage } from "../case";

const names = `datatable(name:string, day_of_birth:long)
[
   "John", 9,
   "Paul", 18,
   "George", 25,
   "Ringo", 7
]`;

export default {
  page: "make_list_if(), make_set_if(), make_list_with_nulls(), make_bag(), make_bag_if()",
  url: "https://learn.microsoft.com/kusto/query/make-list-if-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/make-list-if-aggregation-function
    { query: `let T = ${names};\nT\n| summarize make_list_if(name, strlen(name) > 4)`, columns: [["list_name", "dynamic"]], rows: [[["George", "Ringo"]]] },
    // https://learn.microsoft.com/kusto/query/make-set-if-aggregation-function
    { query: `let T = ${names};\nT\n| summarize make_set_if(name, strlen(name) > 4)`, columns: [["set_name", "dynamic"]], rows: [[["George", "Ringo"]]] },
    // https://learn.microsoft.com/kusto/query/make-list-with-nulls-aggregation-function
    {
      query: `let shapes = datatable (name:string , sideCount: int)
[
    "triangle", int(null),
    "square", 4,
    "rectangle", 4,
    "pentagon", 5,
    "hexagon", 6,
    "heptagon", 7,
    "octagon", 8,
    "nonagon", 9,
    "decagon", 10
];
shapes
| summarize mylist = make_list_with_nulls(sideCount)`,
      columns: [["mylist", "dynamic"]],
      rows: [[[null, 4, 4, 5, 6, 7, 8, 9, 10]]],
    },
    // https://learn.microsoft.com/kusto/query/make-bag-aggregation-function
    {
      query: `let T = datatable(prop:string, value:string)
[
    "prop01", "val_a",
    "prop02", "val_b",
    "prop03", "val_c",
];
T
| extend p = bag_pack(prop, value)
| summarize dict=make_bag(p)`,
      columns: [["dict", "dynamic"]],
      rows: [[{ prop01: "val_a", prop02: "val_b", prop03: "val_c" }]],
    },
    {
      query: `let T = datatable(prop:string, value:string)
[
    "prop01", "val_a",
    "prop02", "val_b",
    "prop03", "val_c",
];
T
| extend p = bag_pack(prop, value)
| summarize bag=make_bag(p)
| evaluate bag_unpack(bag)`,
      refused: true,
      note: "evaluate plugins are not supported by local workspaces",
    },
    // https://learn.microsoft.com/kusto/query/make-bag-if-aggregation-function
    {
      query: `let T = datatable(prop:string, value:string, predicate:bool)
[
    "prop01", "val_a", true,
    "prop02", "val_b", false,
    "prop03", "val_c", true
];
T
| extend p = bag_pack(prop, value)
| summarize dict=make_bag_if(p, predicate)`,
      columns: [["dict", "dynamic"]],
      rows: [[{ prop01: "val_a", prop03: "val_c" }]],
    },
    // make_bag: "Nondictionary values are skipped"
    {
      query: 'datatable(d:dynamic)[dynamic({"a":1}), dynamic([1,2]), dynamic(5), dynamic({"b":2})] | summarize make_bag(d)',
      columns: [["bag_d", "dynamic"]],
      rows: [[{ a: 1, b: 2 }]],
    },
  ],
} satisfies DocPage;
