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
shapes`;

export default {
  page: "make_set(), make_list()",
  url: "https://learn.microsoft.com/kusto/query/make-set-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/make-set-aggregation-function "Set from array column": an array
    // contributes its elements (the page's order is sorted; a set's order is undefined, ours is sorted too)
    {
      query: `datatable (Val: int, Arr1: dynamic)
[
    1, dynamic(['A1', 'A2', 'A3']), 
    5, dynamic(['A2', 'C1']),
    7, dynamic(['C2', 'A3']),
    5, dynamic(['C2', 'A1'])
] 
| summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)`,
      columns: [["Val_set", "dynamic"], ["Arr1_set", "dynamic"]],
      rows: [[[1, 5, 7], ["A1", "A2", "A3", "C1", "C2"]]],
    },
    // https://learn.microsoft.com/kusto/query/make-list-aggregation-function (datatable rows keep their order)
    {
      query: `${shapes}\n| summarize mylist = make_list(name)`,
      columns: [["mylist", "dynamic"]],
      rows: [[["triangle", "square", "rectangle", "pentagon", "hexagon", "heptagon", "octagon", "nonagon", "decagon"]]],
    },
    {
      query: `${shapes}\n| summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0`,
      columns: [["isEvenSideCount", "bool"], ["mylist", "dynamic"]],
      rows: [
        [false, ["triangle", "pentagon", "heptagon", "nonagon"]],
        [true, ["square", "rectangle", "hexagon", "octagon", "decagon"]],
      ],
    },
    {
      query: `${shapes}\n| extend d = bag_pack("name", name, "sideCount", sideCount)\n| summarize mylist = make_list(d) by isEvenSideCount = sideCount % 2 == 0`,
      columns: [["isEvenSideCount", "bool"], ["mylist", "dynamic"]],
      rows: [
        [false, [{ name: "triangle", sideCount: 3 }, { name: "pentagon", sideCount: 5 }, { name: "heptagon", sideCount: 7 }, { name: "nonagon", sideCount: 9 }]],
        [true, [{ name: "square", sideCount: 4 }, { name: "rectangle", sideCount: 4 }, { name: "hexagon", sideCount: 6 }, { name: "octagon", sideCount: 8 }, { name: "decagon", sideCount: 10 }]],
      ],
    },
  ],
} satisfies DocPage;
