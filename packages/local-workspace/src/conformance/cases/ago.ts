import type { DocPage } from "../case";

export default {
  page: "ago()",
  url: "https://learn.microsoft.com/kusto/query/ago-function",
  cases: [
    // "ago(a_timespan) ... equivalent to now() - a_timespan"
    { query: "print r = ago(1h) == now() - 1h, s = ago(-1d) == now() + 1d", columns: [["r", "bool"], ["s", "bool"]], rows: [[true, true]] },
    // the page's filter shape ("| where Timestamp > ago(1h)") on a datatable
    {
      query: "datatable(Name:string, Timestamp:datetime) ['old', datetime(2001-01-01), 'future', datetime(2999-01-01)] | where Timestamp > ago(1h) | project Name",
      columns: [["Name", "string"]],
      rows: [["future"]],
    },
  ],
} satisfies DocPage;
