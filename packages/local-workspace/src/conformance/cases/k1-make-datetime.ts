import type { DocPage } from "../case";

export default {
  page: "make_datetime()",
  url: "https://learn.microsoft.com/kusto/query/make-datetime-function",
  cases: [
    { query: "print year_month_day = make_datetime(2017,10,01)", columns: [["year_month_day", "datetime"]], rows: [["2017-10-01 00:00:00.0000000"]] },
    { query: "print year_month_day_hour_minute = make_datetime(2017,10,01,12,10)", columns: [["year_month_day_hour_minute", "datetime"]], rows: [["2017-10-01 12:10:00.0000000"]] },
    // "If the creation is unsuccessful, the result is a null value" (there is no February 30th)
    { query: "print r = make_datetime(2017,2,30)", columns: [["r", "datetime"]], rows: [[null]] },
  ],
} satisfies DocPage;
