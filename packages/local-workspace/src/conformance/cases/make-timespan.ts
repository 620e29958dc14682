import type { DocPage } from "../case";

export default {
  page: "make_timespan()",
  url: "https://learn.microsoft.com/kusto/query/make-timespan-function",
  cases: [
    // documented example: (day, hour, minute, second)
    {
      query: "print ['timespan'] = make_timespan(1,12,30,55.123)",
      columns: [["timespan", "timespan"]],
      rows: [["1.12:30:55.1230000"]],
    },
  ],
} satisfies DocPage;
