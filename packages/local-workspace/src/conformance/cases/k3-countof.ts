import type { DocPage } from "../case";

export default {
  page: "countof()",
  url: "https://learn.microsoft.com/kusto/query/countof-function",
  cases: [
    // the documented table of calls: plain matches may overlap, regex matches don't
    { query: 'print r = countof("aaa", "a")', columns: [["r", "long"]], rows: [[3]] },
    { query: 'print r = countof("aaaa", "aa")', columns: [["r", "long"]], rows: [[3]] },
    { query: 'print r = countof("ababa", "ab", "normal")', columns: [["r", "long"]], rows: [[2]] },
    { query: 'print r = countof("ababa", "aba")', columns: [["r", "long"]], rows: [[2]] },
    { query: 'print r = countof("ababa", "aba", "regex")', columns: [["r", "long"]], rows: [[1]] },
    { query: 'print r = countof("abcabc", "a.c", "regex")', columns: [["r", "long"]], rows: [[2]] },
  ],
} satisfies DocPage;
