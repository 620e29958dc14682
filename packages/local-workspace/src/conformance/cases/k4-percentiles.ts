import type { DocPage } from "../case";

// The page's examples run over StormEvents / TransformedSensorsData; these cases apply its stated definition instead:
// "P-th percentile (0 < P <= 100) of a list of ordered values ... is the smallest value in the list [such that] P percent
// of the data is less or equal to [it]", "0-th percentile is the smallest member", and "Percentiles 0 and 100 are the
// exact minimum and maximum". Local workspaces compute that nearest-rank value exactly (Kusto estimates it).
const ten = "datatable(x:long)[7, 1, 10, 4, 2, 9, 3, 8, 6, 5]";

export default {
  page: "percentile(), percentiles(), percentiles_array()",
  url: "https://learn.microsoft.com/kusto/query/percentiles-aggregation-function",
  cases: [
    { query: `${ten} | summarize percentile(x, 0), percentile(x, 100)`, columns: [["percentile_x_0", "long"], ["percentile_x_100", "long"]], rows: [[1, 10]] },
    // nearest rank: 50% of 10 values → the 5th; 95% → the 10th (9.5 rounds up); 5% → the 1st; 30% → the 3rd
    {
      query: `${ten} | summarize percentiles(x, 5, 30, 50, 95)`,
      columns: [["percentile_x_5", "long"], ["percentile_x_30", "long"], ["percentile_x_50", "long"], ["percentile_x_95", "long"]],
      rows: [[1, 3, 5, 10]],
    },
    // "P=50 does not conform to the interpolative definition of the median": 4 values give the 2nd, not 2.5
    { query: "datatable(x:real)[1.0, 2.0, 3.0, 4.0] | summarize percentile(x, 50)", columns: [["percentile_x_50", "real"]], rows: [[2]] },
    // several percentiles by a key, next to another aggregate (the page's second example's shape)
    {
      query: "datatable(State:string, D:long)['A', 1, 'A', 2, 'A', 3, 'B', 10] | summarize percentiles(D, 5, 50, 95), count() by State",
      columns: [["State", "string"], ["percentile_D_5", "long"], ["percentile_D_50", "long"], ["percentile_D_95", "long"], ["count_", "long"]],
      rows: [["A", 1, 2, 3, 3], ["B", 10, 10, 10, 1]],
    },
    // "Return percentiles as an array": comma-separated percentiles and a dynamic array give one dynamic column
    { query: `${ten} | summarize percentiles_array(x, 5, 50, 95)`, columns: [["percentiles_x", "dynamic"]], rows: [[[1, 5, 10]]] },
    { query: `${ten} | summarize percentiles_array(x, dynamic([5, 50, 95]))`, columns: [["percentiles_x", "dynamic"]], rows: [[[1, 5, 10]]] },
    // rank ceil(7% × 100) = 7, exactly (not the 8 that 0.07 × 100 in floating point would give)
    { query: "range x from 1 to 100 step 1 | summarize percentile(x, 7), percentile(x, 99.9)", columns: [["percentile_x_7", "long"], ["percentile_x_99_9", "long"]], rows: [[7, 100]] },
    // timespans are ranked too
    { query: "datatable(t:timespan)[1h, 3h, 2h] | summarize percentile(t, 50)", columns: [["percentile_t_50", "timespan"]], rows: [["02:00:00"]] },
  ],
} satisfies DocPage;
