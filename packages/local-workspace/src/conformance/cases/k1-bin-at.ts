import type { DocPage } from "../case";

export default {
  page: "bin_at()",
  url: "https://learn.microsoft.com/kusto/query/bin-at-function",
  cases: [
    { query: "print bin_at(6.5, 2.5, 7)", columns: [["print_0", "real"]], rows: [[4.5]] },
    { query: "print bin_at(time(1h), 1d, 12h)", columns: [["print_0", "timespan"]], rows: [["-12:00:00"]] },
    { query: "print bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))", columns: [["print_0", "datetime"]], rows: [["2017-05-14T12:00:00Z"]] },
    { query: "print bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0))", columns: [["print_0", "datetime"]], rows: [["2017-05-14T00:00:00Z"]] },
    {
      query:
        "datatable(Date:datetime, Num:int)[\ndatetime(2018-02-24T15:14),3,\ndatetime(2018-02-23T16:14),4,\ndatetime(2018-02-26T15:14),5]\n| summarize sum(Num) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000))",
      columns: [["Date", "datetime"], ["sum_Num", "long"]],
      rows: [
        ["2018-02-23T15:14:00Z", 4],
        ["2018-02-24T15:14:00Z", 3],
        ["2018-02-26T15:14:00Z", 5],
      ],
    },
  ],
} satisfies DocPage;
