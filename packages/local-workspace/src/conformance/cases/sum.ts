import type { DocPage } from "../case";

export default {
  page: "sum() (aggregation function)",
  url: "https://learn.microsoft.com/kusto/query/sum-aggregation-function",
  cases: [
    // summarize page: the aggregate sums the non-nulls
    {
      query: "range x from 1 to 4 step 1\n| extend y = iff(x == 1, real(null), real(5))\n| summarize sum(y), avg(y)",
      columns: [["sum_y", "real"], ["avg_y", "real"]],
      rows: [[15, 5]],
    },
    // the page's example (sum of damages per state) on a datatable
    {
      query: "datatable(State:string, DamageCrops:long) ['TEXAS', 10, 'TEXAS', 5, 'IOWA', 7] | summarize EventCount=count(), TotalDamagesCrops = sum(DamageCrops) by State",
      columns: [["State", "string"], ["EventCount", "long"], ["TotalDamagesCrops", "long"]],
      rows: [["TEXAS", 2, 15], ["IOWA", 1, 7]],
    },
    // summarize page "Default values of aggregations" (current page: count(), countif(), dcount(), dcountif(),
    // count_distinct(), sum(), sumif(), variance(), varianceif(), stdev(), stdevif() → 0): sum of nothing is 0
    { query: "datatable(x:long)[] | summarize sum(x)", columns: [["sum_x", "long"]], rows: [[0]] },
  ],
} satisfies DocPage;
