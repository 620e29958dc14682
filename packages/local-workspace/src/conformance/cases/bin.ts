import type { DocPage } from "../case";

export default {
  page: "bin()",
  url: "https://learn.microsoft.com/kusto/query/bin-function",
  cases: [
    // "Numeric bin"
    { query: "print bin(4.5, 1)", columns: [["print_0", "real"]], rows: [[4]] },
    // "Timespan bin" (the page prints 14 days as 14:00:00:00; Kusto's timespan form is 14.00:00:00)
    { query: "print bin(time(16d), 7d)", columns: [["print_0", "timespan"]], rows: [["14.00:00:00"]] },
    // "Datetime bin"
    { query: "print bin(datetime(1970-05-11 13:45:07), 1d)", columns: [["print_0", "datetime"]], rows: [["1970-05-11T00:00:00Z"]] },
    // "Null values, a null bin size, or a negative bin size will result in null"
    { query: "print a = bin(long(null), 5), b = bin(7, -1)", columns: [["a", "long"], ["b", "long"]], rows: [[null, null]] },
    // round() page: "bin(2.15, 1) returns 2"
    { query: "print r = bin(2.15, 1)", columns: [["r", "real"]], rows: [[2]] },
    // "Pad a table with null bins": the summarize by bin(StartTime, 1d) step on a datatable
    {
      query:
        "datatable(StartTime:datetime, DamageProperty:long) [datetime(2007-04-08 10:00), 1000, datetime(2007-04-08 23:00), 2000, datetime(2007-04-11 01:00), 1000, datetime(2007-04-12 05:00), 105000] | summarize PropertyDamage=sum(DamageProperty) by bin(StartTime, 1d)",
      columns: [["StartTime", "datetime"], ["PropertyDamage", "long"]],
      rows: [["2007-04-08T00:00:00Z", 3000], ["2007-04-11T00:00:00Z", 1000], ["2007-04-12T00:00:00Z", 105000]],
    },
  ],
} satisfies DocPage;
