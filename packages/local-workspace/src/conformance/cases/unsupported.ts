import type { DocPage } from "../case";

// Documented operators and plugins that local workspaces do not run: each must be refused with a "not supported"
// error naming the construct (never a wrong answer). Each query is the page's own example, or its shape over a
// range/datatable where the page reads StormEvents.
export default {
  page: "Documented, not supported by local workspaces",
  url: "https://learn.microsoft.com/kusto/query/tabular-expression-statements",
  cases: [
    // https://learn.microsoft.com/kusto/query/sample-operator
    { query: "let _data = range x from 1 to 100 step 1;\nlet _sample = _data | sample 1;\nunion (_sample), (_sample)", refused: true },
    // https://learn.microsoft.com/kusto/query/sample-distinct-operator
    { query: "range x from 1 to 100 step 1 | sample-distinct 10 of x", refused: true },
    // https://learn.microsoft.com/kusto/query/bag-unpack-plugin
    {
      query: 'datatable(d:dynamic)\n[\n    dynamic({"Name": "John", "Age":20}),\n    dynamic({"Name": "Dave", "Age":40}),\n    dynamic({"Name": "Jasmine", "Age":30}),\n]\n| evaluate bag_unpack(d)',
      refused: true,
    },
    // https://learn.microsoft.com/kusto/query/pivot-plugin
    { query: "datatable(State:string, EventType:string, Damage:long) ['TEXAS', 'Flood', 1, 'TEXAS', 'Hail', 2] | evaluate pivot(EventType, sum(Damage))", refused: true },
    // https://learn.microsoft.com/kusto/query/narrow-plugin
    { query: "datatable(a:long, b:long) [1, 2] | evaluate narrow()", refused: true },
    // https://learn.microsoft.com/kusto/query/scan-operator ("Cumulative sum")
    { query: "range x from 1 to 5 step 1\n| scan declare (cumulative_x:long=0) with \n(\n    step s1: true => cumulative_x = x + s1.cumulative_x;\n)", refused: true },
    // https://learn.microsoft.com/kusto/query/partition-operator
    { query: "range x from 1 to 10 step 1 | extend p = x % 2 | partition hint.strategy=native by p (top 1 by x)", refused: true },
    // https://learn.microsoft.com/kusto/query/top-hitters-operator
    { query: "range x from 1 to 3 step 1 | top-hitters 2 of x", refused: true },
    // https://learn.microsoft.com/kusto/query/fork-operator
    { query: "range x from 1 to 3 step 1 | fork (count) (take 1)", refused: true },
    // https://learn.microsoft.com/kusto/query/facet-operator
    { query: "datatable(State:string, EventType:string) ['TEXAS', 'Flood'] | facet by State, EventType", refused: true },
    // https://learn.microsoft.com/kusto/query/externaldata-operator: local workspaces read no external storage
    { query: "externaldata (x:string) [@'https://example.com/a.csv'] with (format='csv')", refused: true },
  ],
} satisfies DocPage;
