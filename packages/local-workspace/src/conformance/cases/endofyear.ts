import type { DocPage } from "../case";

// Kusto's end of a year is its last 100 ns tick (…59.9999999); local workspaces hold datetimes to the microsecond and
// answer …59.999999, so the page's values compare at microsecond precision (scored apart, never hidden).
export default {
  page: "endofyear()",
  url: "https://learn.microsoft.com/kusto/query/endofyear-function",
  cases: [
    // documented example: offsets of -1, 0 and 1 years
    {
      query: "range offset from -1 to 1 step 1\n| project yearEnd = endofyear(datetime(2017-01-01 10:10:17), offset)",
      columns: [["yearEnd", "datetime"]],
      rows: [["2016-12-31 23:59:59.9999999"], ["2017-12-31 23:59:59.9999999"], ["2018-12-31 23:59:59.9999999"]],
      ordered: true,
      precision: "microsecond",
    },
  ],
} satisfies DocPage;
