import type { DocPage } from "../case";

export default {
  page: "replace_string()",
  url: "https://learn.microsoft.com/kusto/query/replace-string-function",
  cases: [
    // documented example. The page's output shows "Number is 1.000000" from when range made reals; range x from 1 to 5
    // step 1 makes longs, and tostring() of a long has no fraction (tostring() page), so the strings end in "1".."5".
    {
      query: "range x from 1 to 5 step 1 | extend str=strcat('Number is ', tostring(x)) | extend replaced=replace_string(str, 'is', 'was')",
      columns: [["x", "long"], ["str", "string"], ["replaced", "string"]],
      rows: [1, 2, 3, 4, 5].map((n) => [n, `Number is ${n}`, `Number was ${n}`]),
    },
    // "Matches don't overlap"
    { query: 'print r = replace_string("aaaa", "aa", "b")', columns: [["r", "string"]], rows: [["bb"]] },
  ],
} satisfies DocPage;
