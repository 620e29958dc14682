import type { DocPage } from "../case";

export default {
  page: "startofyear()",
  url: "https://learn.microsoft.com/kusto/query/startofyear-function",
  cases: [
    // documented example
    {
      query: "range offset from -1 to 1 step 1 | project yearStart = startofyear(datetime(2017-01-01 10:10:17), offset)",
      columns: [["yearStart", "datetime"]],
      rows: [["2016-01-01T00:00:00Z"], ["2017-01-01T00:00:00Z"], ["2018-01-01T00:00:00Z"]],
    },
    { query: "print r = startofyear(datetime(2017-06-19 10:10:17))", columns: [["r", "datetime"]], rows: [["2017-01-01T00:00:00Z"]] },
  ],
} satisfies DocPage;
