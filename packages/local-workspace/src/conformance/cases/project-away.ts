import type { DocPage } from "../case";

export default {
  page: "project-away operator",
  url: "https://learn.microsoft.com/kusto/query/project-away-operator",
  cases: [
    // "Project-away specific columns"
    { query: "print a='a', b='b', c='c' | project-away a", columns: [["b", "string"], ["c", "string"]], rows: [["b", "c"]] },
    // "Removing columns starting with 'session'" (wildcard)
    {
      query: "print sessionid='s1', session_title='t', ConferenceName='c', participants=3 | project-away session*",
      columns: [["ConferenceName", "string"], ["participants", "long"]],
      rows: [["c", 3]],
    },
    { query: "range x from 1 to 2 step 1 | extend y = x * 10, z = x * 100 | project-away x, z", columns: [["y", "long"]], rows: [[10], [20]] },
  ],
} satisfies DocPage;
