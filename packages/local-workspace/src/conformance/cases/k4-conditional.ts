import type { DocPage } from "../case";

// The "-if" aggregates: the pages' self-contained examples (the names table), and, where a page only shows
// StormEvents, a small table worked by its definition ("... in records for which predicate evaluates to true").
const names = `datatable(name:string, day_of_birth:long)
[
   "John", 9,
   "Paul", 18,
   "George", 25,
   "Ringo", 7
]`;

export default {
  page: "countif(), sumif(), avgif(), minif(), maxif(), dcountif(), take_anyif()",
  url: "https://learn.microsoft.com/kusto/query/countif-aggregation-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/countif-aggregation-function "Count based on string length"
    { query: `let T = ${names};\nT\n| summarize countif(strlen(name) > 4)`, columns: [["countif_", "long"]], rows: [[2]] },
    // https://learn.microsoft.com/kusto/query/sumif-aggregation-function "Example showing the sum of birth dates"
    { query: `let T = ${names};\nT\n| summarize sumif(day_of_birth, strlen(name) > 4)`, columns: [["sumif_day_of_birth", "long"]], rows: [[32]] },
    // https://learn.microsoft.com/kusto/query/avgif-aggregation-function: the average of the records passing the predicate
    { query: `${names} | summarize avgif(day_of_birth, strlen(name) > 4)`, columns: [["avgif_day_of_birth", "real"]], rows: [[16]] },
    // https://learn.microsoft.com/kusto/query/minif-aggregation-function and maxif
    {
      query: `${names} | summarize minif(day_of_birth, strlen(name) == 4), maxif(day_of_birth, strlen(name) == 4)`,
      columns: [["minif_day_of_birth", "long"], ["maxif_day_of_birth", "long"]],
      rows: [[9, 18]],
    },
    // https://learn.microsoft.com/kusto/query/dcountif-aggregation-function: distinct values among the passing rows
    {
      query: "datatable(State:string, EventType:string, Deaths:long)['TX','Flood',1, 'TX','Flood',2, 'TX','Hail',0, 'TX','Heat',3, 'OK','Hail',0] | summarize DifferentFatalEvents=dcountif(EventType, Deaths > 0) by State",
      columns: [["State", "string"], ["DifferentFatalEvents", "long"]],
      rows: [["TX", 2], ["OK", 0]],
    },
    // https://learn.microsoft.com/kusto/query/take-anyif-aggregation-function: only records passing the predicate
    // may be picked; "If the predicate doesn't return 'true', a null value is produced"
    {
      query: "datatable(EventType:string, EventNarrative:string)['Hail', 'large hail', 'Strong Wind', 'a strong wind blew', 'Flood', 'water'] | summarize take_anyif(EventType, EventNarrative has 'strong wind')",
      columns: [["EventType", "string"]],
      rows: [["Strong Wind"]],
    },
    {
      query: "datatable(N:long, K:string)[1, 'a', 2, 'b'] | summarize take_anyif(N, K == 'z')",
      columns: [["N", "long"]],
      rows: [[null]],
    },
  ],
} satisfies DocPage;
