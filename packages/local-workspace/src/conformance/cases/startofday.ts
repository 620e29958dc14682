import type { DocPage } from "../case";

export default {
  page: "startofday()",
  url: "https://learn.microsoft.com/kusto/query/startofday-function",
  cases: [
    // documented example: offsets -1, 0, 1 days
    {
      query: "range offset from -1 to 1 step 1 | project dayStart = startofday(datetime(2017-01-01 10:10:17), offset)",
      columns: [["dayStart", "datetime"]],
      rows: [["2016-12-31T00:00:00Z"], ["2017-01-01T00:00:00Z"], ["2017-01-02T00:00:00Z"]],
    },
    { query: "print r = startofday(datetime(2017-01-01 10:10:17))", columns: [["r", "datetime"]], rows: [["2017-01-01T00:00:00Z"]] },
  ],
} satisfies DocPage;
