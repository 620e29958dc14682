import type { DocPage } from "../case";

export default {
  page: "summarize operator",
  url: "https://learn.microsoft.com/kusto/query/summarize-operator",
  cases: [
    // "Aggregates default values": on an empty input, count/countif/dcount/dcountif are 0 (0, 0, 0, 0). count(x) of
    // a long is refused here (the analyser knows count() and count(predicate)); the same defaults without it:
    { query: "datatable(x:long)[] | summarize count(x), countif(x > 0), dcount(x), dcountif(x, x > 0)", refused: true },
    {
      query: "datatable(x:long)[] | summarize count(), countif(x > 0), dcount(x), dcountif(x, x > 0), sum(x), stdev(x)",
      columns: [["count_", "long"], ["countif_", "long"], ["dcount_x", "long"], ["dcountif_x", "long"], ["sum_x", "long"], ["stdev_x", "real"]],
      rows: [[0, 0, 0, 0, 0, 0]],
    },
    // ... and make_set/make_list are empty arrays
    { query: "datatable(x:long)[] | summarize make_set(x), make_list(x)", columns: [["set_x", "dynamic"], ["list_x", "dynamic"]], rows: [[[], []]] },
    // with a by clause, an empty input gives no rows
    { query: "datatable(x:long, k:string)[] | summarize count() by k", columns: [["k", "string"], ["count_", "long"]], rows: [] },
    // "Unique combination": summarize by with no aggregation lists the distinct combinations
    {
      query: "datatable(State:string, EventType:string) ['TEXAS', 'Flood', 'TEXAS', 'Flood', 'TEXAS', 'Hail', 'IOWA', 'Hail'] | summarize by State, EventType",
      columns: [["State", "string"], ["EventType", "string"]],
      rows: [["TEXAS", "Flood"], ["TEXAS", "Hail"], ["IOWA", "Hail"]],
    },
    // "Minimum and maximum timestamp"
    {
      query: "datatable(StartTime:datetime, EndTime:datetime) [datetime(2007-01-01), datetime(2007-01-02), datetime(2007-12-31), datetime(2008-01-01)] | summarize Min = min(StartTime), Max = max(EndTime)",
      columns: [["Min", "datetime"], ["Max", "datetime"]],
      rows: [["2007-01-01T00:00:00Z", "2008-01-01T00:00:00Z"]],
    },
    // "Distinct count" by group, with default column names
    {
      query: "datatable(State:string, EventType:string) ['TEXAS', 'Flood', 'TEXAS', 'Flood', 'TEXAS', 'Hail', 'IOWA', 'Hail'] | summarize TypesOfStorms = dcount(EventType), count() by State",
      columns: [["State", "string"], ["TypesOfStorms", "long"], ["count_", "long"]],
      rows: [["TEXAS", 2, 3], ["IOWA", 1, 1]],
    },
    // "Histogram": summarize by bin()
    {
      query: "range x from 1 to 10 step 1 | summarize event_count = count() by bin(x, 5)",
      columns: [["x", "long"], ["event_count", "long"]],
      rows: [[0, 4], [5, 5], [10, 1]],
    },
    // a by expression gets the default name of its column, or the name given
    {
      query: "range x from 1 to 6 step 1 | summarize n = count(), total = sum(x) by isEven = x % 2 == 0",
      columns: [["isEven", "bool"], ["n", "long"], ["total", "long"]],
      rows: [[false, 3, 9], [true, 3, 12]],
    },
    // default aggregate column names: count_, sum_x, avg_x, min_x, max_x
    {
      query: "range x from 1 to 4 step 1 | summarize count(), sum(x), avg(x), min(x), max(x)",
      columns: [["count_", "long"], ["sum_x", "long"], ["avg_x", "real"], ["min_x", "long"], ["max_x", "long"]],
      rows: [[4, 10, 2.5, 1, 4]],
    },
    // "summarize by" a datetime bin: the summarize page's "by bin(Timestamp, 1h)" pattern
    {
      query: "datatable(Timestamp:datetime) [datetime(2023-01-01 10:05), datetime(2023-01-01 10:55), datetime(2023-01-01 12:00)] | summarize c = count() by bin(Timestamp, 1h)",
      columns: [["Timestamp", "datetime"], ["c", "long"]],
      rows: [["2023-01-01T10:00:00Z", 2], ["2023-01-01T12:00:00Z", 1]],
    },
  ],
} satisfies DocPage;
