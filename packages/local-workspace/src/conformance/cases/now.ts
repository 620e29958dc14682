import type { DocPage } from "../case";

export default {
  page: "now()",
  url: "https://learn.microsoft.com/kusto/query/now-function",
  cases: [
    // "All occurrences of now() in one query statement give the same value"; now(offset) is now() + offset
    { query: "print r = now() == now(), s = now(-2d) == now() - 2d", columns: [["r", "bool"], ["s", "bool"]], rows: [[true, true]] },
    // documented example shape: how long since an event
    { query: "print r = now() - datetime(2001-01-01) > 365d", columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
