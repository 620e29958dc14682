import type { DocPage } from "../case";

// The page's example reads StormEvents, which a local workspace does not have: the same call over a datatable with
// its first two State values. columnifexists() is the page's deprecated alias.
export default {
  page: "column_ifexists()",
  url: "https://learn.microsoft.com/kusto/query/column-ifexists-function",
  cases: [
    // documented example: no column 'Capital', so the default (the State column) is returned. The page's query leaves
    // the column unnamed and its output calls it State, but Kusto's analyser names an unnamed call Column1: the
    // column is named State here so the comparison is about the values
    {
      query: 'datatable(State:string)["ATLANTIC SOUTH", "FLORIDA"]\n| project State = column_ifexists("Capital", State)',
      columns: [["State", "string"]],
      rows: [["ATLANTIC SOUTH"], ["FLORIDA"]],
    },
    // the deprecated alias
    {
      query: 'datatable(State:string)["ATLANTIC SOUTH", "FLORIDA"]\n| project State = columnifexists("Capital", State)',
      columns: [["State", "string"]],
      rows: [["ATLANTIC SOUTH"], ["FLORIDA"]],
    },
    // "If columnName exists, then returns the column"
    {
      query: 'datatable(State:string, Capital:string)["FLORIDA", "Tallahassee"]\n| project c = columnifexists("Capital", State)',
      columns: [["c", "string"]],
      rows: [["Tallahassee"]],
    },
  ],
} satisfies DocPage;
