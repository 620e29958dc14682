import type { DocPage } from "../case";

export default {
  page: "format_timespan()",
  url: "https://learn.microsoft.com/kusto/query/format-timespan-function",
  cases: [
    // the page's example
    {
      query: "let t = time(29.09:00:05.12345);\nprint \nv1=format_timespan(t, 'dd.hh:mm:ss:FF'),\nv2=format_timespan(t, 'ddd.h:mm:ss [fffffff]')",
      columns: [["v1", "string"], ["v2", "string"]],
      rows: [["29.09:00:05:12", "029.9:00:05 [1234500]"]],
    },
  ],
} satisfies DocPage;
