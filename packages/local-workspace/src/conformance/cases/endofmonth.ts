import type { DocPage } from "../case";

// Kusto's end of a month is its last 100 ns tick (…59.9999999); local workspaces hold datetimes to the microsecond and
// answer …59.999999, so the page's values compare at microsecond precision (scored apart, never hidden).
export default {
  page: "endofmonth()",
  url: "https://learn.microsoft.com/kusto/query/endofmonth-function",
  cases: [
    // documented example: offsets of -1, 0 and 1 months
    {
      query: "range offset from -1 to 1 step 1\n| project monthEnd = endofmonth(datetime(2017-01-01 10:10:17), offset)",
      columns: [["monthEnd", "datetime"]],
      rows: [["2016-12-31 23:59:59.9999999"], ["2017-01-31 23:59:59.9999999"], ["2017-02-28 23:59:59.9999999"]],
      ordered: true,
      precision: "microsecond",
    },
  ],
} satisfies DocPage;
