import type { DocPage } from "../case";

export default {
  page: "extend operator",
  url: "https://learn.microsoft.com/kusto/query/extend-operator",
  cases: [
    // the page's example computes Duration = EndTime - StartTime; on a datatable
    {
      query: "datatable(StartTime:datetime, EndTime:datetime) [datetime(2007-01-01 10:00), datetime(2007-01-01 12:30)] | extend Duration = EndTime - StartTime",
      columns: [["StartTime", "datetime"], ["EndTime", "datetime"], ["Duration", "timespan"]],
      rows: [["2007-01-01T10:00:00Z", "2007-01-01T12:30:00Z", "02:30:00"]],
    },
    // "If the column already exists, its values are replaced" (in place)
    { query: "print a = 1, b = 2 | extend a = a + 10", columns: [["a", "long"], ["b", "long"]], rows: [[11, 2]] },
    // several columns at once; a later one may not use an earlier one from the same extend... but separate extends may
    { query: "print a = 1 | extend b = a * 2 | extend c = b + a", columns: [["a", "long"], ["b", "long"], ["c", "long"]], rows: [[1, 2, 3]] },
    // an unnamed expression gets Column1
    { query: "print a = 1 | extend a * 3", columns: [["a", "long"], ["Column1", "long"]], rows: [[1, 3]] },
  ],
} satisfies DocPage;
