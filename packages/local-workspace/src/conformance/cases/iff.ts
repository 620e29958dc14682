import type { DocPage } from "../case";

export default {
  page: "iff()",
  url: "https://learn.microsoft.com/kusto/query/iff-function",
  cases: [
    // "Classify data using iff()" on a datatable (the page uses StormEvents)
    {
      query:
        'datatable(EventId:long, EventType:string) [61032, "Waterspout", 60904, "Heavy Rain", 60913, "Tornado", 1, "Flood"] | extend Rain = iff((EventType in ("Heavy Rain", "Flash Flood", "Flood")), "Rain event", "Not rain event")',
      columns: [["EventId", "long"], ["EventType", "string"], ["Rain", "string"]],
      rows: [[61032, "Waterspout", "Not rain event"], [60904, "Heavy Rain", "Rain event"], [60913, "Tornado", "Not rain event"], [1, "Flood", "Rain event"]],
    },
    // "The iff() and iif() functions are equivalent"
    { query: 'print a = iff(1 > 2, "then", "else"), b = iif(2 > 1, "then", "else")', columns: [["a", "string"], ["b", "string"]], rows: [["else", "then"]] },
    // nested iff (the page's severity example) on a datatable
    {
      query:
        'datatable(TotalDamage:long, InjuriesDirect:long, DeathsDirect:long) [0, 0, 0, 2000000, 0, 0, 60000, 1, 0, 10, 0, 1] | extend Severity = iff(TotalDamage > 1000000 or InjuriesDirect > 10 or DeathsDirect > 0, "High", iff(TotalDamage < 50000 and InjuriesDirect == 0 and DeathsDirect == 0, "Low", "Moderate")) | summarize TotalEvents = count() by Severity',
      columns: [["Severity", "string"], ["TotalEvents", "long"]],
      rows: [["Low", 1], ["High", 2], ["Moderate", 1]],
    },
  ],
} satisfies DocPage;
