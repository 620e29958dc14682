import type { DocPage } from "../case";

// count_distinct and dcount: the pages' examples use StormEvents; this table is worked by their definitions
// ("Counts unique values specified by the scalar expression per summary group"). Local workspaces count exactly, which
// dcount's estimate admits at every accuracy level.
const events = "datatable(State:string, EventType:string)['TEXAS','Hail', 'TEXAS','Flood', 'TEXAS','Hail', 'IOWA','Hail']";

export default {
  page: "count_distinct(), dcount()",
  url: "https://learn.microsoft.com/kusto/query/count-distinct-aggregation-function",
  cases: [
    { query: `${events} | summarize UniqueEvents=count_distinct(EventType) by State`, columns: [["State", "string"], ["UniqueEvents", "long"]], rows: [["TEXAS", 2], ["IOWA", 1]] },
    // https://learn.microsoft.com/kusto/query/dcount-aggregation-function
    { query: `${events} | summarize dcount(EventType) by State`, columns: [["State", "string"], ["dcount_EventType", "long"]], rows: [["TEXAS", 2], ["IOWA", 1]] },
    { query: `${events} | summarize dcount(EventType, 4)`, columns: [["dcount_EventType", "long"]], rows: [[2]] },
  ],
} satisfies DocPage;
