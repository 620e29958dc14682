import type { DocPage } from "../case";

export default {
  page: "totimespan()",
  url: "https://learn.microsoft.com/kusto/query/totimespan-function",
  cases: [
    // documented example: totimespan("0.00:01:00") == time(1min)
    { query: 'print r = totimespan("0.00:01:00") == time(1min), v = totimespan("0.00:01:00")', columns: [["r", "bool"], ["v", "timespan"]], rows: [[true, "00:01:00"]] },
    // "Else, result will be null"
    { query: 'print v = totimespan("soon")', columns: [["v", "timespan"]], rows: [[null]] },
  ],
} satisfies DocPage;
