import type { DocPage } from "../case";

// the join pages' two tables, X and Y
const XY = `let X = datatable(Key:string, Value1:long) ['a',1, 'b',2, 'b',3, 'c',4];
let Y = datatable(Key:string, Value2:long) ['b',10, 'c',20, 'c',30, 'd',40];
`;
const XYcols: [string, "string" | "long"][] = [["Key", "string"], ["Value1", "long"], ["Key1", "string"], ["Value2", "long"]];

export default {
  page: "join operator",
  url: "https://learn.microsoft.com/kusto/query/join-operator",
  cases: [
    // https://learn.microsoft.com/kusto/query/join-innerunique: the default join dedups the left side by key, keeping the first row
    { query: `${XY}X | join Y on Key`, columns: XYcols, rows: [["b", 2, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]] },
    { query: `${XY}X | join kind=innerunique Y on Key`, columns: XYcols, rows: [["b", 2, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]] },
    // https://learn.microsoft.com/kusto/query/join-inner (the page's X also has 'k',5 and Y 'k',50)
    {
      query:
        "let X = datatable(Key:string, Value1:long) ['a',1, 'b',2, 'b',3, 'k',5, 'c',4]; let Y = datatable(Key:string, Value2:long) ['b',10, 'c',20, 'c',30, 'd',40, 'k',50]; X | join kind=inner Y on Key",
      columns: XYcols,
      rows: [["b", 3, "b", 10], ["b", 2, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30], ["k", 5, "k", 50]],
    },
    // https://learn.microsoft.com/kusto/query/join-leftouter: unmatched right cells are empty (strings) / null
    { query: `${XY}X | join kind=leftouter Y on Key`, columns: XYcols, rows: [["a", 1, "", null], ["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]] },
    // https://learn.microsoft.com/kusto/query/join-rightouter
    { query: `${XY}X | join kind=rightouter Y on Key`, columns: XYcols, rows: [["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30], ["", null, "d", 40]] },
    // https://learn.microsoft.com/kusto/query/join-fullouter
    {
      query: `${XY}X | join kind=fullouter Y on Key`,
      columns: XYcols,
      rows: [["a", 1, "", null], ["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30], ["", null, "d", 40]],
    },
    // https://learn.microsoft.com/kusto/query/join-leftanti
    { query: `${XY}X | join kind=leftanti Y on Key`, columns: [["Key", "string"], ["Value1", "long"]], rows: [["a", 1]] },
    // https://learn.microsoft.com/kusto/query/join-rightanti
    { query: `${XY}X | join kind=rightanti Y on Key`, columns: [["Key", "string"], ["Value2", "long"]], rows: [["d", 40]] },
    // https://learn.microsoft.com/kusto/query/join-leftsemi
    { query: `${XY}X | join kind=leftsemi Y on Key`, columns: [["Key", "string"], ["Value1", "long"]], rows: [["b", 2], ["b", 3], ["c", 4]] },
    // https://learn.microsoft.com/kusto/query/join-rightsemi
    { query: `${XY}X | join kind=rightsemi Y on Key`, columns: [["Key", "string"], ["Value2", "long"]], rows: [["b", 10], ["c", 20], ["c", 30]] },
    // equality by value: $left.Column == $right.Column
    { query: `${XY}X | join kind=inner Y on $left.Key == $right.Key | project Key, Value1, Value2`, columns: [["Key", "string"], ["Value1", "long"], ["Value2", "long"]], rows: [["b", 2, 10], ["b", 3, 10], ["c", 4, 20], ["c", 4, 30]] },
    // join hints change the execution plan only (the page's hint.strategy=broadcast / shuffle)
    { query: `${XY}X | join hint.strategy=broadcast Y on Key`, columns: XYcols, rows: [["b", 2, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]] },
  ],
} satisfies DocPage;
