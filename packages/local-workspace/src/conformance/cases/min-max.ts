import type { DocPage } from "../case";

export default {
  page: "min(), max() (aggregation functions)",
  url: "https://learn.microsoft.com/kusto/query/min-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/min-aggregation-function and max-aggregation-function: nulls ignored
    {
      query: "datatable(x:long, t:datetime, s:string) [3, datetime(2007-01-01), 'b', long(null), datetime(null), 'a', 9, datetime(2007-12-31), 'c'] | summarize min(x), max(x), min(t), max(t), min(s), max(s)",
      columns: [["min_x", "long"], ["max_x", "long"], ["min_t", "datetime"], ["max_t", "datetime"], ["min_s", "string"], ["max_s", "string"]],
      rows: [[3, 9, "2007-01-01T00:00:00Z", "2007-12-31T00:00:00Z", "a", "c"]],
    },
    // "Find the earliest/latest event per state" shape on a datatable
    {
      query: "datatable(State:string, StartTime:datetime) ['TEXAS', datetime(2007-03-01), 'TEXAS', datetime(2007-01-05), 'IOWA', datetime(2007-02-02)] | summarize FirstEvent=min(StartTime), LastEvent=max(StartTime) by State",
      columns: [["State", "string"], ["FirstEvent", "datetime"], ["LastEvent", "datetime"]],
      rows: [["TEXAS", "2007-01-05T00:00:00Z", "2007-03-01T00:00:00Z"], ["IOWA", "2007-02-02T00:00:00Z", "2007-02-02T00:00:00Z"]],
    },
  ],
} satisfies DocPage;
