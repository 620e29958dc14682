import type { DocPage } from "../case";

export default {
  page: "startofweek()",
  url: "https://learn.microsoft.com/kusto/query/startofweek-function",
  cases: [
    // documented example: weeks start on Sunday
    {
      query: "range offset from -1 to 1 step 1 | project weekStart = startofweek(datetime(2017-01-01 10:10:17), offset)",
      columns: [["weekStart", "datetime"]],
      rows: [["2016-12-25T00:00:00Z"], ["2017-01-01T00:00:00Z"], ["2017-01-08T00:00:00Z"]],
    },
    { query: "print r = startofweek(datetime(2017-01-04 10:10:17))", columns: [["r", "datetime"]], rows: [["2017-01-01T00:00:00Z"]] },
  ],
} satisfies DocPage;
