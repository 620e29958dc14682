import type { DocPage } from "../case";

export default {
  page: "avg() (aggregation function)",
  url: "https://learn.microsoft.com/kusto/query/avg-aggregation-function",
  cases: [
    // "Returns the average value of expr ... Records with null values are ignored"
    { query: "datatable(x:long) [1, 2, long(null), 6] | summarize avg(x)", columns: [["avg_x", "real"]], rows: [[3]] },
    // the page's example (average damage by state) on a datatable
    {
      query: "datatable(State:string, DamageCrops:long) ['TEXAS', 10, 'TEXAS', 5, 'IOWA', 7] | summarize AvgDamageToCrops = avg(DamageCrops) by State",
      columns: [["State", "string"], ["AvgDamageToCrops", "real"]],
      rows: [["TEXAS", 7.5], ["IOWA", 7]],
    },
  ],
} satisfies DocPage;
