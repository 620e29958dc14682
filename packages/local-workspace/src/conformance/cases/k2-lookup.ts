import type { DocPage } from "../case";

const fact = `let FactTable=datatable(Row:string,Personal:string,Family:string) [
  "1", "Rowan",   "Murphy",
  "2", "Ellis",   "Turner",
  "3", "Ellis",   "Turner",
  "4", "Maya",  "Robinson",
  "5", "Quinn",    "Campbell"
];
let DimTable=datatable(Personal:string,Family:string,Alias:string) [
  "Rowan",  "Murphy",   "rowanm",
  "Ellis",  "Turner", "ellist",
  "Maya", "Robinson", "mayar",
  "Quinn",   "Campbell",    "quinnc"
];
`;

export default {
  page: "lookup operator",
  url: "https://learn.microsoft.com/kusto/query/lookup-operator",
  cases: [
    // the page's example: the right side's key columns are not repeated
    {
      query: `${fact}FactTable | lookup kind=leftouter DimTable on Personal, Family`,
      columns: [["Row", "string"], ["Personal", "string"], ["Family", "string"], ["Alias", "string"]],
      rows: [
        ["1", "Rowan", "Murphy", "rowanm"],
        ["2", "Ellis", "Turner", "ellist"],
        ["3", "Ellis", "Turner", "ellist"],
        ["4", "Maya", "Robinson", "mayar"],
        ["5", "Quinn", "Campbell", "quinnc"],
      ],
    },
    // leftouter is the default; an unmatched left row keeps its place with empty right columns
    {
      query: 'datatable(k:long, v:string)[1, "a", 2, "b"] | lookup (datatable(k:long, w:string)[1, "x"]) on k',
      columns: [["k", "long"], ["v", "string"], ["w", "string"]],
      rows: [[1, "a", "x"], [2, "b", ""]],
    },
    {
      query: 'datatable(k:long, v:string)[1, "a", 2, "b"] | lookup kind=inner (datatable(k:long, w:string)[1, "x"]) on k',
      columns: [["k", "long"], ["v", "string"], ["w", "string"]],
      rows: [[1, "a", "x"]],
    },
    {
      query: 'datatable(a:long, v:string)[1, "a", 2, "b"] | lookup (datatable(b:long, w:real)[2, 2.5]) on $left.a == $right.b',
      columns: [["a", "long"], ["v", "string"], ["w", "real"]],
      rows: [[1, "a", null], [2, "b", 2.5]],
    },
  ],
} satisfies DocPage;
