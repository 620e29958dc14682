import type { DocPage } from "../case";

export default {
  page: "project-reorder operator",
  url: "https://learn.microsoft.com/kusto/query/project-reorder-operator",
  cases: [
    // "Reorder with b first"
    { query: "print a='a', b='b', c='c' | project-reorder b", columns: [["b", "string"], ["a", "string"], ["c", "string"]], rows: [["b", "a", "c"]] },
    // "Reorder with a first" (wildcard, asc)
    {
      query: "print b = 'b', a2='a2', a3='a3', a1='a1' | project-reorder a* asc",
      columns: [["a1", "string"], ["a2", "string"], ["a3", "string"], ["b", "string"]],
      rows: [["a1", "a2", "a3", "b"]],
    },
    { query: "print a = 1, b = 2, c = 3 | project-reorder c, a", columns: [["c", "long"], ["a", "long"], ["b", "long"]], rows: [[3, 1, 2]] },
  ],
} satisfies DocPage;
