import type { DocPage } from "../case";

export default {
  page: "datetime_add()",
  url: "https://learn.microsoft.com/kusto/query/datetime-add-function",
  cases: [
    // "Period"
    {
      query: `print  year = datetime_add('year',1,make_datetime(2017,1,1)),
quarter = datetime_add('quarter',1,make_datetime(2017,1,1)),
month = datetime_add('month',1,make_datetime(2017,1,1)),
week = datetime_add('week',1,make_datetime(2017,1,1)),
day = datetime_add('day',1,make_datetime(2017,1,1)),
hour = datetime_add('hour',1,make_datetime(2017,1,1)),
minute = datetime_add('minute',1,make_datetime(2017,1,1)),
second = datetime_add('second',1,make_datetime(2017,1,1))`,
      columns: [["year", "datetime"], ["quarter", "datetime"], ["month", "datetime"], ["week", "datetime"], ["day", "datetime"], ["hour", "datetime"], ["minute", "datetime"], ["second", "datetime"]],
      rows: [["2018-01-01 00:00:00.0000000", "2017-04-01 00:00:00.0000000", "2017-02-01 00:00:00.0000000", "2017-01-08 00:00:00.0000000", "2017-01-02 00:00:00.0000000", "2017-01-01 01:00:00.0000000", "2017-01-01 00:01:00.0000000", "2017-01-01 00:00:01.0000000"]],
    },
    // "Amount"
    {
      query: `print  year = datetime_add('year',-5,make_datetime(2017,1,1)),
quarter = datetime_add('quarter',12,make_datetime(2017,1,1)),
month = datetime_add('month',-15,make_datetime(2017,1,1)),
week = datetime_add('week',100,make_datetime(2017,1,1))`,
      columns: [["year", "datetime"], ["quarter", "datetime"], ["month", "datetime"], ["week", "datetime"]],
      rows: [["2012-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "2015-10-01T00:00:00Z", "2018-12-02T00:00:00Z"]],
    },
    // the same periods on a datetime literal (make_datetime() aside)
    { query: "print r = datetime_add('month', 1, datetime(2017-01-31))", columns: [["r", "datetime"]], rows: [["2017-02-28T00:00:00Z"]] },
    // the two examples with make_datetime(2017,1,1) written as the datetime literal it makes
    {
      query: `print  year = datetime_add('year',1,datetime(2017-01-01)),
quarter = datetime_add('quarter',1,datetime(2017-01-01)),
month = datetime_add('month',1,datetime(2017-01-01)),
week = datetime_add('week',1,datetime(2017-01-01)),
day = datetime_add('day',1,datetime(2017-01-01)),
hour = datetime_add('hour',1,datetime(2017-01-01)),
minute = datetime_add('minute',1,datetime(2017-01-01)),
second = datetime_add('second',1,datetime(2017-01-01))`,
      columns: [["year", "datetime"], ["quarter", "datetime"], ["month", "datetime"], ["week", "datetime"], ["day", "datetime"], ["hour", "datetime"], ["minute", "datetime"], ["second", "datetime"]],
      rows: [["2018-01-01 00:00:00.0000000", "2017-04-01 00:00:00.0000000", "2017-02-01 00:00:00.0000000", "2017-01-08 00:00:00.0000000", "2017-01-02 00:00:00.0000000", "2017-01-01 01:00:00.0000000", "2017-01-01 00:01:00.0000000", "2017-01-01 00:00:01.0000000"]],
    },
    {
      query: `print  year = datetime_add('year',-5,datetime(2017-01-01)),
quarter = datetime_add('quarter',12,datetime(2017-01-01)),
month = datetime_add('month',-15,datetime(2017-01-01)),
week = datetime_add('week',100,datetime(2017-01-01))`,
      columns: [["year", "datetime"], ["quarter", "datetime"], ["month", "datetime"], ["week", "datetime"]],
      rows: [["2012-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "2015-10-01T00:00:00Z", "2018-12-02T00:00:00Z"]],
    },
  ],
} satisfies DocPage;
