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
  ],
} satisfies DocPage;
