import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/percentilesw-aggregation-function: weighted nearest rank ("Treat each value
// of Duration as if it was repeated BucketSize times in the input"), the page's examples with the output it shows.
const latency = `let latencyTable = datatable (ReqCount:long, LatencyBucket:long) 
[ 
    8, 10, 
    6, 20, 
    3, 30, 
    1, 40 
];
latencyTable`;

export default {
  page: "percentilew(), percentilesw(), percentilesw_array()",
  url: "https://learn.microsoft.com/kusto/query/percentilesw-aggregation-function",
  cases: [
    {
      query: `${latency}\n| summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)`,
      columns: [["percentile_LatencyBucket_50", "long"], ["percentile_LatencyBucket_75", "long"], ["percentile_LatencyBucket_99_9", "long"]],
      rows: [[20, 20, 40]],
    },
    // the page's header reads percentile_LatencyBucket; Kusto names an array of percentiles percentiles_<expr>
    // (as percentiles_array's page shows: percentiles_Value)
    {
      query: `${latency}\n| summarize percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9)`,
      columns: [["percentiles_LatencyBucket", "dynamic"]],
      rows: [[[20, 20, 40]]],
    },
    {
      query: `${latency}\n| summarize percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 75, 99.9]))`,
      columns: [["percentiles_LatencyBucket", "dynamic"]],
      rows: [[[20, 20, 40]]],
    },
    // percentilew: one weighted percentile (18 events: rank 9 is the first of the 20-ms bucket)
    { query: `${latency}\n| summarize percentilew(LatencyBucket, ReqCount, 50)`, columns: [["percentile_LatencyBucket_50", "long"]], rows: [[20]] },
  ],
} satisfies DocPage;
