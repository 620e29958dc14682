import type { DocPage } from "../case";

const sales = `datatable(State:string, Source:string, v:long) [
  "A", "x", 1, "A", "y", 5, "A", "x", 2,
  "B", "x", 10,
  "C", "z", 3, "C", "y", 1
]`;

// https://learn.microsoft.com/kusto/query/top-nested-operator: each level keeps the top N values of its expression by
// its aggregation (desc by default), within each value kept by the level above; the aggregation column is named
// aggregated_<expression> unless named; omitting N keeps every value.
export default {
  page: "top-nested operator",
  url: "https://learn.microsoft.com/kusto/query/top-nested-operator",
  cases: [
    {
      query: `${sales} | top-nested 2 of State by sum(v)`,
      columns: [["State", "string"], ["aggregated_State", "long"]],
      rows: [["B", 10], ["A", 8]],
    },
    {
      query: `${sales} | top-nested 2 of State by sum(v), top-nested 1 of Source by total = sum(v)`,
      columns: [["State", "string"], ["aggregated_State", "long"], ["Source", "string"], ["total", "long"]],
      rows: [["B", 10, "x", 10], ["A", 8, "y", 5]],
    },
    {
      query: `${sales} | top-nested 1 of State by sum(v) asc, top-nested of Source by count()`,
      columns: [["State", "string"], ["aggregated_State", "long"], ["Source", "string"], ["aggregated_Source", "long"]],
      rows: [["C", 4, "z", 1], ["C", 4, "y", 1]],
    },
    // "with others": one more row whose value is the constant and whose aggregate is over the rows not in the top
    {
      query: `${sales} | top-nested 1 of State with others = "Other" by sum(v)`,
      columns: [["State", "string"], ["aggregated_State", "long"]],
      rows: [["B", 10], ["Other", 12]],
    },
    {
      query: `${sales} | top-nested 2 of State with others = "Other" by n = count()`,
      columns: [["State", "string"], ["n", "long"]],
      rows: [["A", 3], ["C", 2], ["Other", 1]],
    },
    // with others above a further level: the page does not say what the levels below the others row hold
    { query: `${sales} | top-nested 1 of State with others = "Other" by sum(v), top-nested 1 of Source by sum(v)`, refused: true },
  ],
} satisfies DocPage;
