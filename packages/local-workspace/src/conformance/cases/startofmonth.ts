import type { DocPage } from "../case";

export default {
  page: "startofmonth()",
  url: "https://learn.microsoft.com/kusto/query/startofmonth-function",
  cases: [
    // documented example
    {
      query: "range offset from -1 to 1 step 1 | project monthStart = startofmonth(datetime(2017-01-01 10:10:17), offset)",
      columns: [["monthStart", "datetime"]],
      rows: [["2016-12-01T00:00:00Z"], ["2017-01-01T00:00:00Z"], ["2017-02-01T00:00:00Z"]],
    },
    { query: "print r = startofmonth(datetime(2017-01-19 10:10:17))", columns: [["r", "datetime"]], rows: [["2017-01-01T00:00:00Z"]] },
  ],
} satisfies DocPage;
