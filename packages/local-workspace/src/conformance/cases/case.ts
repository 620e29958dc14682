import type { DocPage } from "../case";

export default {
  page: "case()",
  url: "https://learn.microsoft.com/kusto/query/case-function",
  cases: [
    // documented example
    {
      query: 'range Size from 1 to 15 step 2 | extend bucket = case(Size <= 3, "Small", Size <= 10, "Medium", "Large")',
      columns: [["Size", "long"], ["bucket", "string"]],
      rows: [[1, "Small"], [3, "Small"], [5, "Medium"], [7, "Medium"], [9, "Medium"], [11, "Large"], [13, "Large"], [15, "Large"]],
    },
  ],
} satisfies DocPage;
