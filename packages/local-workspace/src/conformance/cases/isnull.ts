import type { DocPage } from "../case";

export default {
  page: "isnull()",
  url: "https://learn.microsoft.com/kusto/query/isnull-function",
  cases: [
    // the page's table of x → isnull(x); strings are never null
    { query: 'print r = isnull("")', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnull("x")', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnull(parse_json(""))', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = isnull(parse_json("[]"))', columns: [["r", "bool"]], rows: [[false]] },
    { query: 'print r = isnull(parse_json("{}"))', columns: [["r", "bool"]], rows: [[false]] },
    // the page's example (no begin location) on a datatable: numbers can be null
    {
      query: "datatable(EventId:long, BeginLat:real, BeginLon:real) [1, 10.5, 20.5, 2, real(null), real(null), 3, 11.0, real(null)] | where isnull(BeginLat) and isnull(BeginLon) | project EventId",
      columns: [["EventId", "long"]],
      rows: [[2]],
    },
  ],
} satisfies DocPage;
