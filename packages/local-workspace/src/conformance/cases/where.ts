import type { DocPage } from "../case";

export default {
  page: "where operator",
  url: "https://learn.microsoft.com/kusto/query/where-operator",
  cases: [
    // the page filters StormEvents; its rules on a datatable: a row passes when the predicate is true (not null)
    {
      query: "datatable(State:string, Damage:long, Start:datetime) ['TEXAS', 100, datetime(2007-01-01), 'IOWA', long(null), datetime(2007-02-01), 'OHIO', 5000, datetime(2007-03-01)] | where Damage > 50",
      columns: [["State", "string"], ["Damage", "long"], ["Start", "datetime"]],
      rows: [["TEXAS", 100, "2007-01-01T00:00:00Z"], ["OHIO", 5000, "2007-03-01T00:00:00Z"]],
    },
    // "and" binds tighter than "or"
    {
      query: "range x from 1 to 10 step 1 | where x < 3 or x > 5 and x < 8",
      columns: [["x", "long"]],
      rows: [[1], [2], [6], [7]],
    },
    // "Filter by date and time": where Start between a range / comparison on datetimes
    {
      query: "datatable(State:string, Start:datetime) ['TEXAS', datetime(2007-01-01), 'IOWA', datetime(2007-02-01), 'OHIO', datetime(2007-03-01)] | where Start > datetime(2007-01-15) and State != 'OHIO'",
      columns: [["State", "string"], ["Start", "datetime"]],
      rows: [["IOWA", "2007-02-01T00:00:00Z"]],
    },
    // "Compare two columns": where x == y compares columns of the same row
    {
      query: "datatable(a:long, b:long) [1, 1, 2, 3, 4, 4] | where a == b",
      columns: [["a", "long"], ["b", "long"]],
      rows: [[1, 1], [4, 4]],
    },
    // filter is an alias of where
    { query: "range x from 1 to 5 step 1 | filter x >= 4", columns: [["x", "long"]], rows: [[4], [5]] },
    // "Check if column contains string": where * has "cow" keeps the rows where the word appears in any column (a
    // whole term: "Cowboy" does not have it)
    {
      query: "datatable(a:string, b:string) ['Kusto rocks', 'x', 'y', 'cow pasture', 'Cowboy', 'z'] | where * has 'cow'",
      columns: [["a", "string"], ["b", "string"]],
      rows: [["y", "cow pasture"]],
    },
    // any column means every column, in its string form
    {
      query: "datatable(Name:string, Code:long) ['a', 404, 'b', 500] | where * has '404'",
      columns: [["Name", "string"], ["Code", "long"]],
      rows: [["a", 404]],
    },
    {
      query: "datatable(a:string, b:string) ['Kusto rocks', 'x', 'y', 'cow pasture', 'Cowboy', 'z'] | where * contains 'OW'",
      columns: [["a", "string"], ["b", "string"]],
      rows: [["y", "cow pasture"], ["Cowboy", "z"]],
    },
  ],
} satisfies DocPage;
