import type { DocPage } from "../case";

export default {
  page: "project operator",
  url: "https://learn.microsoft.com/kusto/query/project-operator",
  cases: [
    // "Only show specific columns", "Potential manipulations using project": select, rename, compute
    {
      query: "print a = 1, b = 'two', c = 3.5 | project c, a",
      columns: [["c", "real"], ["a", "long"]],
      rows: [[3.5, 1]],
    },
    {
      query: "range x from 1 to 3 step 1 | project y = x * 2, x, z = strcat('n', tostring(x))",
      columns: [["y", "long"], ["x", "long"], ["z", "string"]],
      rows: [[2, 1, "n1"], [4, 2, "n2"], [6, 3, "n3"]],
    },
    // a computed column without a name is named Column1, Column2, ...
    { query: "print a = 1 | project a + 1", columns: [["Column1", "long"]], rows: [[2]] },
    // "Rename": the new name replaces the old one; the original column can be used again
    { query: "print a = 1 | project b = a, a", columns: [["b", "long"], ["a", "long"]], rows: [[1, 1]] },
  ],
} satisfies DocPage;
