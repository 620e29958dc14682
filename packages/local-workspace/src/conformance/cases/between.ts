import type { DocPage } from "../case";

export default {
  page: "between operator",
  url: "https://learn.microsoft.com/kusto/query/between-operator",
  cases: [
    // documented example: rows filtered by numeric values
    {
      query: "range x from 1 to 100 step 1 | where x between (50 .. 55)",
      columns: [["x", "long"]],
      rows: [[50], [51], [52], [53], [54], [55]],
    },
    // the page's datetime and timespan-range examples count StormEvents; the same rules (inclusive range; a timespan
    // right bound means leftRange + timespan) on a datatable
    {
      query:
        "datatable(StartTime:datetime) [datetime(2007-07-26T23:59:59), datetime(2007-07-27), datetime(2007-07-29T12:00:00), datetime(2007-07-30), datetime(2007-07-30T00:00:01)] | where StartTime between (datetime(2007-07-27) .. datetime(2007-07-30)) | count",
      columns: [["Count", "long"]],
      rows: [[3]],
    },
    {
      query:
        "datatable(StartTime:datetime) [datetime(2007-07-26T23:59:59), datetime(2007-07-27), datetime(2007-07-29T12:00:00), datetime(2007-07-30), datetime(2007-07-30T00:00:01)] | where StartTime between (datetime(2007-07-27) .. 3d) | count",
      columns: [["Count", "long"]],
      rows: [[3]],
    },
    // https://learn.microsoft.com/kusto/query/not-between-operator: documented example
    {
      query: "range x from 1 to 10 step 1 | where x !between (5 .. 9)",
      columns: [["x", "long"]],
      rows: [[1], [2], [3], [4], [10]],
    },
    // "between can operate on any numeric, datetime, or timespan expression"
    { query: "print a = 5.5 between (5.0 .. 6.0), b = 90m between (1h .. 2h), c = 3 between (4 .. 5)", columns: [["a", "bool"], ["b", "bool"], ["c", "bool"]], rows: [[true, true, false]] },
  ],
} satisfies DocPage;
