import type { DocPage } from "../case";

export default {
  page: "format_datetime()",
  url: "https://learn.microsoft.com/kusto/query/format-datetime-function",
  cases: [
    // the three documented examples
    { query: "let dt = datetime(2017-01-29 09:00:05);\nprint \nv1=format_datetime(dt,'yy-MM-dd [HH:mm:ss]')", columns: [["v1", "string"]], rows: [["17-01-29 [09:00:05]"]] },
    { query: "let dt = datetime(2017-01-29 09:00:05);\nprint \nv2=format_datetime(dt, 'yyyy-M-dd [H:mm:ss]')", columns: [["v2", "string"]], rows: [["2017-1-29 [9:00:05]"]] },
    { query: "let dt = datetime(2017-01-29 09:00:05);\nprint \nv3=format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]')", columns: [["v3", "string"]], rows: [["17-01-29 [09:00:05 AM]"]] },
    // rows of the "Supported format elements" table
    { query: "print r = format_datetime(datetime(2009-06-15T13:45:30.6170000), 'fff')", columns: [["r", "string"]], rows: [["617"]] },
    { query: "print r = format_datetime(datetime(2009-06-15T13:45:30), 'h hh H HH m mm M MM s ss d dd')", columns: [["r", "string"]], rows: [["1 01 13 13 45 45 6 06 30 30 15 15"]] },
    { query: "print r = format_datetime(datetime(2009-06-15T13:45:09), 'tt')", columns: [["r", "string"]], rows: [["PM"]] },
    // more rows of the "Supported format elements" table, one column each
    {
      query:
        "print d = format_datetime(datetime(2009-06-01T13:45:30), 'd'), dd = format_datetime(datetime(2009-06-01T13:45:30), 'dd'), f = format_datetime(datetime(2009-06-15T13:45:30.6170000), 'f'), ff = format_datetime(datetime(2009-06-15T13:45:30.6170000), 'ff'), ffff = format_datetime(datetime(2009-06-15T13:45:30.0000500), 'ffff'), FFFF = format_datetime(datetime(2009-06-15T13:45:30.5275000), 'FFFF'), h = format_datetime(datetime(2009-06-15T01:45:30), 'h'), m = format_datetime(datetime(2009-06-15T01:09:30), 'm'), y = format_datetime(datetime(2009-06-15T13:45:30), 'y'), yy = format_datetime(datetime(2019-06-15T13:45:30), 'yy'), yyyy = format_datetime(datetime(2009-06-15T13:45:30), 'yyyy')",
      columns: [["d", "string"], ["dd", "string"], ["f", "string"], ["ff", "string"], ["ffff", "string"], ["FFFF", "string"], ["h", "string"], ["m", "string"], ["y", "string"], ["yy", "string"], ["yyyy", "string"]],
      rows: [["1", "01", "6", "61", "0000", "5275", "1", "9", "9", "19", "2009"]],
    },
    // delimiters: "/" "," "." "_" between elements
    { query: "print r = format_datetime(datetime(2009-06-15T13:45:09), 'MM/dd/yyyy, HH.mm_ss')", columns: [["r", "string"]], rows: [["06/15/2009, 13.45_09"]] },
  ],
} satisfies DocPage;
