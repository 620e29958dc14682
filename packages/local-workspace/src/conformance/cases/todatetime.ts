import type { DocPage } from "../case";

export default {
  page: "todatetime()",
  url: "https://learn.microsoft.com/kusto/query/todatetime-function",
  cases: [
    // "converts a date and time string into a datetime value"
    { query: 'print todatetime("2015-12-31 23:59:59.9")', columns: [["print_0", "datetime"]], rows: [["2015-12-31T23:59:59.9Z"]] },
    // "compares a converted date string to a datetime value"
    { query: "print todatetime('12-02-2022') == datetime('12-02-2022')", columns: [["print_0", "bool"]], rows: [[true]] },
    // "Else, the result is null"
    { query: 'print todatetime("not a date")', columns: [["print_0", "datetime"]], rows: [[null]] },
  ],
} satisfies DocPage;
