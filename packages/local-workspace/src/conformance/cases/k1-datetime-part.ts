import type { DocPage } from "../case";

export default {
  page: "datetime_part()",
  url: "https://learn.microsoft.com/kusto/query/datetime-part-function",
  cases: [
    {
      note: "the page's example in full: its nanosecond part is refused, since datetimes are held to the microsecond here (the literal's 7th fraction digit is cut, so 765432000 would look exact where Kusto reads 765432100)",
      query:
        "let dt = datetime(2017-10-30 01:02:03.7654321);\nprint \nyear = datetime_part(\"year\", dt),\nquarter = datetime_part(\"quarter\", dt),\nmonth = datetime_part(\"month\", dt),\nweekOfYear = datetime_part(\"week_of_year\", dt),\nday = datetime_part(\"day\", dt),\ndayOfYear = datetime_part(\"dayOfYear\", dt),\nhour = datetime_part(\"hour\", dt),\nminute = datetime_part(\"minute\", dt),\nsecond = datetime_part(\"second\", dt),\nmillisecond = datetime_part(\"millisecond\", dt),\nmicrosecond = datetime_part(\"microsecond\", dt),\nnanosecond = datetime_part(\"nanosecond\", dt)",
      refused: true,
    },
    {
      note: "the page's example without its refused nanosecond column: every other part as documented",
      query:
        "let dt = datetime(2017-10-30 01:02:03.7654321);\nprint \nyear = datetime_part(\"year\", dt),\nquarter = datetime_part(\"quarter\", dt),\nmonth = datetime_part(\"month\", dt),\nweekOfYear = datetime_part(\"week_of_year\", dt),\nday = datetime_part(\"day\", dt),\ndayOfYear = datetime_part(\"dayOfYear\", dt),\nhour = datetime_part(\"hour\", dt),\nminute = datetime_part(\"minute\", dt),\nsecond = datetime_part(\"second\", dt),\nmillisecond = datetime_part(\"millisecond\", dt),\nmicrosecond = datetime_part(\"microsecond\", dt)",
      columns: [["year", "int"], ["quarter", "int"], ["month", "int"], ["weekOfYear", "int"], ["day", "int"], ["dayOfYear", "int"], ["hour", "int"], ["minute", "int"], ["second", "int"], ["millisecond", "int"], ["microsecond", "int"]],
      rows: [[2017, 4, 10, 44, 30, 303, 1, 2, 3, 765, 765432]],
    },
  ],
} satisfies DocPage;
