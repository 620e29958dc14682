import type { DocPage } from "../case";

export default {
  page: "dayofweek()",
  url: "https://learn.microsoft.com/kusto/query/dayofweek-function",
  cases: [
    // documented examples: the integer number of days since the preceding Sunday, as a timespan
    { query: "print r = dayofweek(datetime(1947-11-30 10:00:05))", columns: [["r", "timespan"]], rows: [["00:00:00"]] },
    { query: "print r = dayofweek(datetime(1970-05-11))", columns: [["r", "timespan"]], rows: [["1.00:00:00"]] },
  ],
} satisfies DocPage;
