import type { DocPage } from "../case";

export default {
  page: "The timespan data type (literals)",
  url: "https://learn.microsoft.com/kusto/query/scalar-data-types/timespan",
  cases: [
    {
      query: "print a = 2d, b = 1.5h, c = 30m, d = 10s, e = 0.1s, f = 100ms, g = 10microsecond",
      columns: [["a", "timespan"], ["b", "timespan"], ["c", "timespan"], ["d", "timespan"], ["e", "timespan"], ["f", "timespan"], ["g", "timespan"]],
      rows: [["2.00:00:00", "01:30:00", "00:30:00", "00:00:10", "00:00:00.1", "00:00:00.1", "00:00:00.00001"]],
      note: "the table's 1tick (100 ns) is left out: timespans are held to the microsecond here",
    },
    { query: "print time(0.12:34:56.7)", columns: [["print_0", "timespan"]], rows: [["12:34:56.7"]] },
    { query: "print time(2)", columns: [["print_0", "timespan"]], rows: [["2.00:00:00"]] },
    { query: "print time(15 seconds)", columns: [["print_0", "timespan"]], rows: [["00:00:15"]] },
  ],
} satisfies DocPage;
