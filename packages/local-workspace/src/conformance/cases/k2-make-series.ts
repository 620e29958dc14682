import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/make-series-operator
export default {
  page: "make-series operator",
  url: "https://learn.microsoft.com/kusto/query/make-series-operator",
  cases: [
    // the page's example: average per day; an empty bin gets the default 0, rows outside [from, to) are ignored
    {
      query: `let data=datatable(timestamp:datetime, metric: real)
[
  datetime(2016-12-31T06:00), 50,
  datetime(2017-01-01), 4,
  datetime(2017-01-02), 3,
  datetime(2017-01-03), 4,
  datetime(2017-01-03T03:00), 6,
  datetime(2017-01-05), 8,
  datetime(2017-01-05T13:40), 13,
  datetime(2017-01-06), 4,
  datetime(2017-01-07), 3,
  datetime(2017-01-08), 8,
  datetime(2017-01-08T21:00), 8,
  datetime(2017-01-09), 2,
  datetime(2017-01-09T12:00), 11,
  datetime(2017-01-10T05:00), 5,
];
let interval = 1d;
let stime = datetime(2017-01-01);
let etime = datetime(2017-01-10);
data
| make-series avg(metric) on timestamp from stime to etime step interval`,
      columns: [["avg_metric", "dynamic"], ["timestamp", "dynamic"]],
      rows: [
        [
          [4.0, 3.0, 5.0, 0.0, 10.5, 4.0, 3.0, 8.0, 6.5],
          [
            "2017-01-01T00:00:00.0000000Z",
            "2017-01-02T00:00:00.0000000Z",
            "2017-01-03T00:00:00.0000000Z",
            "2017-01-04T00:00:00.0000000Z",
            "2017-01-05T00:00:00.0000000Z",
            "2017-01-06T00:00:00.0000000Z",
            "2017-01-07T00:00:00.0000000Z",
            "2017-01-08T00:00:00.0000000Z",
            "2017-01-09T00:00:00.0000000Z",
          ],
        ],
      ],
    },
    // by groups and an explicit default
    {
      query: `datatable(t:long, s:string, v:long) [1, "a", 1, 2, "a", 2, 5, "a", 5, 3, "b", 7]
| make-series n = count(), total = sum(v) default = -1 on t from 0 to 6 step 2 by s`,
      columns: [["s", "string"], ["n", "dynamic"], ["total", "dynamic"], ["t", "dynamic"]],
      rows: [
        ["a", [1, 1, 1], [1, 2, 5], [0, 2, 4]],
        ["b", [0, 1, 0], [-1, 7, -1], [0, 2, 4]],
      ],
    },
    // bounds taken from the data: the page says "the first bin that has data in each series" without saying whether
    // series share one range or how that bin is aligned, so local workspaces ask for from/to
    { query: "range x from 1 to 5 step 1 | make-series count() on x step 1", refused: true },
  ],
} satisfies DocPage;
