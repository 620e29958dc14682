import type { DocPage } from "../case";

export default {
  page: "floor()",
  url: "https://learn.microsoft.com/kusto/query/floor-function",
  cases: [
    // "The bin() and floor() functions are equivalent" (bin() page examples through floor)
    { query: "print floor(4.5, 1)", columns: [["print_0", "real"]], rows: [[4]] },
    { query: "print floor(time(16d), 7d)", columns: [["print_0", "timespan"]], rows: [["14.00:00:00"]] },
    { query: "print floor(datetime(1970-05-11 13:45:07), 1d)", columns: [["print_0", "datetime"]], rows: [["1970-05-11T00:00:00Z"]] },
    // rounds down: negative values go away from zero
    { query: "print r = floor(-3, 2)", columns: [["r", "long"]], rows: [[-4]] },
  ],
} satisfies DocPage;
