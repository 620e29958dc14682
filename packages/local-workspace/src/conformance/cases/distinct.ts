import type { DocPage } from "../case";

export default {
  page: "distinct operator",
  url: "https://learn.microsoft.com/kusto/query/distinct-operator",
  cases: [
    // "Produces a table with the distinct combination of the provided columns"
    {
      query: "datatable(State:string, EventType:string) ['TEXAS', 'Flood', 'TEXAS', 'Flood', 'TEXAS', 'Hail', 'IOWA', 'Hail'] | distinct State, EventType",
      columns: [["State", "string"], ["EventType", "string"]],
      rows: [["TEXAS", "Flood"], ["TEXAS", "Hail"], ["IOWA", "Hail"]],
    },
    { query: "datatable(State:string) ['TEXAS', 'TEXAS', 'IOWA', 'texas'] | distinct State", columns: [["State", "string"]], rows: [["TEXAS"], ["IOWA"], ["texas"]] },
    // distinct * : all columns
    { query: "datatable(a:long, b:long) [1, 1, 1, 1, 1, 2] | distinct *", columns: [["a", "long"], ["b", "long"]], rows: [[1, 1], [1, 2]] },
  ],
} satisfies DocPage;
