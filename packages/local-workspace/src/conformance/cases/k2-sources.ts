import type { DocPage } from "../case";

// print, range and datatable: the table-less sources. One page per operator would repeat the same few cases; the
// print/range/datatable pages' examples are all here, each with its page's URL.
export default {
  page: "print, range, datatable operators",
  url: "https://learn.microsoft.com/kusto/query/print-operator",
  cases: [
    // https://learn.microsoft.com/kusto/query/print-operator: unnamed items are print_0, print_1, ...
    { query: 'print 0 + 1 + 2 + 3 + 4 + 5, x = "Wow!"', columns: [["print_0", "long"], ["x", "string"]], rows: [[15, "Wow!"]] },
    { query: 'print banner=strcat("Hello", ", ", "World!")', columns: [["banner", "string"]], rows: [["Hello, World!"]] },
    // https://learn.microsoft.com/kusto/query/range-operator: "values from one to eight incremented by three"
    { query: "range Steps from 1 to 8 step 3", ordered: true, columns: [["Steps", "long"]], rows: [[1], [4], [7]] },
    // the stop is inclusive; a step pointing away from stop gives no rows
    { query: "range x from 5 to 1 step -2", ordered: true, columns: [["x", "long"]], rows: [[5], [3], [1]] },
    { query: "range x from 1 to 5 step -1", columns: [["x", "long"]], rows: [] },
    { query: "range x from 0.5 to 2.0 step 0.5", ordered: true, columns: [["x", "real"]], rows: [[0.5], [1], [1.5], [2]] },
    {
      query: "range LastWeek from datetime(2015-12-05 09:10:04.627) to datetime(2015-12-12 09:10:04.627) step 1d | count",
      columns: [["Count", "long"]],
      rows: [[8]],
    },
    {
      query: "range t from 1h to 3h step 30m",
      ordered: true,
      columns: [["t", "timespan"]],
      rows: [["01:00:00"], ["01:30:00"], ["02:00:00"], ["02:30:00"], ["03:00:00"]],
    },
    // https://learn.microsoft.com/kusto/query/range-operator: the example with let parameters (toUnixTime, bin), here
    // over a fixed month start instead of now()
    {
      query: `let toUnixTime = (dt:datetime) { (dt - datetime(1970-01-01)) / 1s };
let MyMonthStart = datetime(2023-02-01);
let StepBy = 4.534h;
let nn = 3;
let MyTimeline = range MyMonthHour from MyMonthStart to datetime(2023-02-02) step StepBy
| extend MyMonthHourinUnixTime = toUnixTime(MyMonthHour), DateOnly = bin(MyMonthHour,1d), TimeOnly = MyMonthHour - bin(MyMonthHour,1d);
MyTimeline | order by MyMonthHour asc | take nn`,
      ordered: true,
      columns: [["MyMonthHour", "datetime"], ["MyMonthHourinUnixTime", "real"], ["DateOnly", "datetime"], ["TimeOnly", "timespan"]],
      rows: [
        ["2023-02-01T00:00:00Z", 1675209600, "2023-02-01T00:00:00Z", "00:00:00"],
        ["2023-02-01T04:32:02.4Z", 1675225922.4, "2023-02-01T00:00:00Z", "04:32:02.4000000"],
        ["2023-02-01T09:04:04.8Z", 1675242244.8, "2023-02-01T00:00:00Z", "09:04:04.8000000"],
      ],
    },
    // https://learn.microsoft.com/kusto/query/datatable-operator
    {
      query: `datatable(Date:datetime, Event:string, MoreData:dynamic) [
    datetime(1910-06-11), "Born", dynamic({"key1":"value1", "key2":"value2"}),
    datetime(1930-01-01), "Enters Ecole Navale", dynamic({"key1":"value3", "key2":"value4"}),
    datetime(1953-01-01), "Published first book", dynamic({"key1":"value5", "key2":"value6"}),
    datetime(1997-06-25), "Died", dynamic({"key1":"value7", "key2":"value8"}),
]
| where strlen(Event) > 4
| extend key2 = MoreData.key2`,
      columns: [["Date", "datetime"], ["Event", "string"], ["MoreData", "dynamic"], ["key2", "dynamic"]],
      rows: [
        ["1930-01-01T00:00:00Z", "Enters Ecole Navale", { key1: "value3", key2: "value4" }, "value4"],
        ["1953-01-01T00:00:00Z", "Published first book", { key1: "value5", key2: "value6" }, "value6"],
      ],
    },
    {
      query: 'datatable(a:long, b:string, c:real, d:bool) [1, "x", 1.5, true, 2, "y", 2, false]',
      ordered: true,
      columns: [["a", "long"], ["b", "string"], ["c", "real"], ["d", "bool"]],
      rows: [[1, "x", 1.5, true], [2, "y", 2, false]],
    },
    { query: "datatable(a:long) [] | count", columns: [["Count", "long"]], rows: [[0]] },
  ],
} satisfies DocPage;
