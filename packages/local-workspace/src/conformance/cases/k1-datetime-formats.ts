import type { DocPage } from "../case";

// "Supported formats" of todatetime() and datetime literals: ISO 8601, RFC 822 and RFC 850 (GMT is UTC)
export default {
  page: "The datetime data type (supported formats)",
  url: "https://learn.microsoft.com/kusto/query/scalar-data-types/datetime",
  cases: [
    { query: 'print todatetime("2014-05-25T08:20:03.123456Z")', columns: [["print_0", "datetime"]], rows: [["2014-05-25T08:20:03.123456Z"]] },
    { query: 'print todatetime("2014-05-25T08:20:03.123456")', columns: [["print_0", "datetime"]], rows: [["2014-05-25T08:20:03.123456Z"]] },
    { query: 'print todatetime("2014-05-25T08:20")', columns: [["print_0", "datetime"]], rows: [["2014-05-25T08:20:00Z"]] },
    { query: 'print todatetime("2014-11-08 15:55:55.123456Z")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:55:55.123456Z"]] },
    { query: 'print todatetime("2014-11-08 15:55:55")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:55:55Z"]] },
    { query: 'print todatetime("2014-11-08 15:55")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:55:00Z"]] },
    { query: 'print todatetime("2014-11-08")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T00:00:00Z"]] },
    // RFC 822
    { query: 'print todatetime("Sat, 8 Nov 14 15:05:02 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("Sat, 8 Nov 14 15:05:02")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("Sat, 8 Nov 14 15:05")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("Sat, 8 Nov 14 15:05 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("8 Nov 14 15:05:02 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("8 Nov 14 15:05:02")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("8 Nov 14 15:05")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("8 Nov 14 15:05 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    // RFC 850
    { query: 'print todatetime("Saturday, 08-Nov-14 15:05:02 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("Saturday, 08-Nov-14 15:05:02")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("Saturday, 08-Nov-14 15:05 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("Saturday, 08-Nov-14 15:05")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("08-Nov-14 15:05:02 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("08-Nov-14 15:05:02")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:02Z"]] },
    { query: 'print todatetime("08-Nov-14 15:05 GMT")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
    { query: 'print todatetime("08-Nov-14 15:05")', columns: [["print_0", "datetime"]], rows: [["2014-11-08T15:05:00Z"]] },
  ],
} satisfies DocPage;
