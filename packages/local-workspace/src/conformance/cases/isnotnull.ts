import type { DocPage } from "../case";

export default {
  page: "isnotnull()",
  url: "https://learn.microsoft.com/kusto/query/isnotnull-function",
  cases: [
    // isnotnull(x) is the negation of isnull(x) (isnull() page's table)
    { query: 'print r = isnotnull("")', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isnotnull(parse_json(""))', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnotnull(parse_json("[]"))', columns: [["r", "bool"]], rows: [[true]] },
    { query: "print r = isnotnull(long(null)), s = isnotnull(42)", columns: [["r", "bool"], ["s", "bool"]], rows: [[false, true]] },
    // the page's example (StormEvents with a begin location) on a datatable
    {
      query: "datatable(EventId:long, BeginLat:real) [1, 10.5, 2, real(null), 3, 0.0] | where isnotnull(BeginLat) | project EventId",
      columns: [["EventId", "long"]],
      rows: [[1], [3]],
    },
  ],
} satisfies DocPage;
