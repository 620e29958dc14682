import type { DocPage } from "../case";

const shapes = `let shapes = datatable (name: string, sideCount: int)
[
    "triangle", 3,
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
`;

export default {
  page: "make_list() (aggregation function)",
  url: "https://learn.microsoft.com/kusto/query/make-list-aggregation-function",
  cases: [
    // "One column" (a datatable keeps its order, so the list follows it)
    {
      query: `${shapes}| summarize mylist = make_list(name)`,
      columns: [["mylist", "dynamic"]],
      rows: [[["triangle", "square", "rectangle", "pentagon", "hexagon", "heptagon", "octagon", "nonagon", "decagon"]]],
    },
    // "Using the 'by' clause"
    {
      query: `${shapes}| summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0`,
      columns: [["isEvenSideCount", "bool"], ["mylist", "dynamic"]],
      rows: [
        [false, ["triangle", "pentagon", "heptagon", "nonagon"]],
        [true, ["square", "rectangle", "hexagon", "octagon", "decagon"]],
      ],
    },
    // "Packing a dynamic object"
    {
      query: `${shapes}| extend d = bag_pack("name", name, "sideCount", sideCount)
| summarize mylist = make_list(d) by isEvenSideCount = sideCount % 2 == 0`,
      columns: [["isEvenSideCount", "bool"], ["mylist", "dynamic"]],
      rows: [
        [false, [{ name: "triangle", sideCount: 3 }, { name: "pentagon", sideCount: 5 }, { name: "heptagon", sideCount: 7 }, { name: "nonagon", sideCount: 9 }]],
        [true, [{ name: "square", sideCount: 4 }, { name: "rectangle", sideCount: 4 }, { name: "hexagon", sideCount: 6 }, { name: "octagon", sideCount: 8 }, { name: "decagon", sideCount: 10 }]],
      ],
    },
    // "ignores null values"; maxSize caps the list
    { query: "datatable(x:long) [1, long(null), 2] | summarize l = make_list(x)", columns: [["l", "dynamic"]], rows: [[[1, 2]]] },
    { query: "range x from 1 to 10 step 1 | summarize l = make_list(x, 3) | project n = array_length(l)", columns: [["n", "long"]], rows: [[3]] },
    // deprecated alias makelist(): documented, refused by local workspaces (the documented output would be [1,2,3])
    { query: "range x from 1 to 3 step 1 | summarize l = makelist(x)", refused: true, note: "deprecated alias; not implemented" },
  ],
} satisfies DocPage;
