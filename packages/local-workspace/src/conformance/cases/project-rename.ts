import type { DocPage } from "../case";

export default {
  page: "project-rename operator",
  url: "https://learn.microsoft.com/kusto/query/project-rename-operator",
  cases: [
    // documented example: renamed columns keep their positions
    {
      query: "print a='a', b='b', c='c' | project-rename new_b=b, new_a=a",
      columns: [["new_a", "string"], ["new_b", "string"], ["c", "string"]],
      rows: [["a", "b", "c"]],
    },
  ],
} satisfies DocPage;
