import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/take-any-aggregation-function: the page's examples use StormEvents and pick an
// arbitrary row; these cases keep the documented rules that fix the answer: "When the function is provided with a single
// column reference, it will attempt to return a non-null/non-empty value", several expressions (or `*`, "all columns of
// the input ... barring the group-by columns") are "calculated over a single record".
export default {
  page: "take_any()",
  url: "https://learn.microsoft.com/kusto/query/take-any-aggregation-function",
  cases: [
    { query: "datatable(State:string)['', 'TEXAS', ''] | summarize take_any(State)", columns: [["State", "string"]], rows: [["TEXAS"]] },
    { query: "datatable(N:long)[long(null), 7, long(null)] | summarize take_any(N)", columns: [["N", "long"]], rows: [[7]] },
    {
      query: "datatable(State:string, StartTime:datetime, EpisodeId:long, EventType:string)['ATLANTIC SOUTH', datetime(2007-09-29 08:11:00), 11091, 'Waterspout'] | summarize take_any(*)",
      columns: [["State", "string"], ["StartTime", "datetime"], ["EpisodeId", "long"], ["EventType", "string"]],
      rows: [["ATLANTIC SOUTH", "2007-09-29T08:11:00Z", 11091, "Waterspout"]],
    },
    // one record per group: every column of the row comes from the same record
    {
      query: "datatable(State:string, EpisodeId:long, EventType:string)['ALASKA', 1733, 'Flood', 'ARIZONA', 11955, 'Flash Flood', 'ARIZONA', 11955, 'Flash Flood'] | summarize take_any(*) by State",
      columns: [["State", "string"], ["EpisodeId", "long"], ["EventType", "string"]],
      rows: [["ALASKA", 1733, "Flood"], ["ARIZONA", 11955, "Flash Flood"]],
    },
    {
      query: "datatable(K:string, A:long, B:string)['k', 1, 'one', 'k', 1, 'one'] | summarize take_any(A, B), c = count() by K",
      columns: [["K", "string"], ["A", "long"], ["B", "string"], ["c", "long"]],
      rows: [["k", 1, "one", 2]],
    },
  ],
} satisfies DocPage;
