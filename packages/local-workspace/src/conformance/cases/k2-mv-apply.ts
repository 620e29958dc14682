import type { DocPage } from "../case";

const data = `let _data =
    range x from 1 to 8 step 1
    | summarize l=make_list(x) by xMod2 = x % 2;
`;

// https://learn.microsoft.com/kusto/query/mv-apply-operator: the page's examples
export default {
  page: "mv-apply operator",
  url: "https://learn.microsoft.com/kusto/query/mv-apply-operator",
  cases: [
    // getting the largest element from the array
    {
      query: `${data}_data
| mv-apply element=l to typeof(long) on
    (
    top 1 by element
    )`,
      columns: [["xMod2", "long"], ["l", "dynamic"], ["element", "long"]],
      rows: [[1, [1, 3, 5, 7], 7], [0, [2, 4, 6, 8], 8]],
    },
    // (the page's "sum of the largest two elements" example is left out: the page shows the input column l in the
    // output, while Kusto's analyser, which names our result columns, drops it when the expanded name is l itself)
    // selecting elements in arrays
    {
      query: `datatable (Val:int, Arr1:dynamic, Arr2:dynamic)
[ 1, dynamic(['A1', 'A2', 'A3']),       dynamic([10, 30, 7]),
  7, dynamic(['B1', 'B2', 'B5']),       dynamic([15, 11, 50]),
  3, dynamic(['C1', 'C2', 'C3', 'C4']), dynamic([6, 40, 20, 8])
]
| mv-apply NewArr1=Arr1, NewArr2=Arr2 to typeof(long) on (
 top 2 by NewArr2
 | summarize NewArr1=make_list(NewArr1), NewArr2=make_list(NewArr2)
)`,
      columns: [["Val", "int"], ["Arr1", "dynamic"], ["Arr2", "dynamic"], ["NewArr1", "dynamic"], ["NewArr2", "dynamic"]],
      rows: [
        [1, ["A1", "A2", "A3"], [10, 30, 7], ["A2", "A1"], [30, 10]],
        [7, ["B1", "B2", "B5"], [15, 11, 50], ["B5", "B1"], [50, 15]],
        [3, ["C1", "C2", "C3", "C4"], [6, 40, 20, 8], ["C2", "C3"], [40, 20]],
      ],
    },
  ],
} satisfies DocPage;
