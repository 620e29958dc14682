import type { DocPage } from "../case";

export default {
  page: "strlen()",
  url: "https://learn.microsoft.com/kusto/query/strlen-function",
  cases: [
    // "String of letters"
    { query: 'print length = strlen("hello")', columns: [["length", "long"]], rows: [[5]] },
    // "String of letters and symbols"
    { query: 'print length = strlen("⒦⒰⒮⒯⒪")', columns: [["length", "long"]], rows: [[5]] },
    // "String with grapheme": the first character is C + U+0327 (two code points); strlen counts code points.
    // (The page titles the column "length"; an unnamed print column is print_0.)
    { query: "print strlen('C\u0327edilla')", columns: [["print_0", "long"]], rows: [[8]] },
  ],
} satisfies DocPage;
