import type { DocPage } from "../case";

export default {
  page: "toguid()",
  url: "https://learn.microsoft.com/kusto/query/toguid-function",
  cases: [
    // documented example
    {
      query:
        'datatable(str: string) ["0123456789abcdef0123456789abcdef", "0123456789ab-cdef-0123-456789abcdef", "a string that is not a guid"] | extend guid = toguid(str)',
      columns: [["str", "string"], ["guid", "guid"]],
      rows: [
        ["0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdef"],
        ["0123456789ab-cdef-0123-456789abcdef", "01234567-89ab-cdef-0123-456789abcdef"],
        ["a string that is not a guid", null],
      ],
    },
  ],
} satisfies DocPage;
