import type { DocPage } from "../case";

export default {
  page: "strcat()",
  url: "https://learn.microsoft.com/kusto/query/strcat-function",
  cases: [
    // "Concatenated string"
    { query: 'print str = strcat("hello", " ", "world")', columns: [["str", "string"]], rows: [["hello world"]] },
    // "Concatenated multi-line string"
    { query: 'print MultiLineString = strcat("Line 1\\n", "Line 2\\n", "Line 3")', columns: [["MultiLineString", "string"]], rows: [["Line 1\nLine 2\nLine 3"]] },
    // Note: arguments that aren't strings are converted to strings
    { query: 'print s = strcat("n=", 5, ",", true)', columns: [["s", "string"]], rows: [["n=5,true"]] },
  ],
} satisfies DocPage;
