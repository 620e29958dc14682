import type { DocPage } from "../case";

// Kusto regular expressions are RE2: https://learn.microsoft.com/kusto/query/re2
export default {
  page: "matches regex, replace_regex(), RE2 syntax",
  url: "https://learn.microsoft.com/kusto/query/re2",
  cases: [
    // matches regex: https://learn.microsoft.com/kusto/query/datatypes-string-operators
    { query: 'print r = "abc123" matches regex @"^[a-z]+\\d+$"', columns: [["r", "bool"]], rows: [[true]] },
    { query: 'print r = "abc" matches regex @"\\d"', columns: [["r", "bool"]], rows: [[false]] },
    // RE2: `.` does not match a newline unless the s flag is set
    { query: 'print a = "a\\nb" matches regex "a.b", b = "a\\nb" matches regex "(?s)a.b"', columns: [["a", "bool"], ["b", "bool"]], rows: [[false, true]] },
    // RE2: \b is a word boundary (an ASCII one: "é" is no word character)
    { query: 'print a = "a cat sat" matches regex @"\\bcat\\b", b = "concatenate" matches regex @"\\bcat\\b", c = "écat" matches regex @"\\bcat"', columns: [["a", "bool"], ["b", "bool"], ["c", "bool"]], rows: [[true, false, true]] },
    // RE2 flags: (?i) case-insensitive
    { query: 'print r = "HELLO" matches regex "(?i)hello"', columns: [["r", "bool"]], rows: [[true]] },
    // RE2: \z is the end of the text
    { query: 'print r = "abc" matches regex @"c\\z"', columns: [["r", "bool"]], rows: [[true]] },
    // replace_regex(): https://learn.microsoft.com/kusto/query/replace-regex-function (documented example)
    {
      query: "range x from 1 to 5 step 1\n| extend str=strcat('Number is ', tostring(x))\n| extend replaced=replace_regex(str, @'is (\\d+)', @'was: \\1')",
      columns: [["x", "long"], ["str", "string"], ["replaced", "string"]],
      rows: [
        [1, "Number is 1", "Number was: 1"],
        [2, "Number is 2", "Number was: 2"],
        [3, "Number is 3", "Number was: 3"],
        [4, "Number is 4", "Number was: 4"],
        [5, "Number is 5", "Number was: 5"],
      ],
    },
    // constructs with no faithful Postgres translation are refused
    { query: 'print r = extract(@"(\\p{Greek}+)", 1, "abc")', refused: true, note: "Unicode classes are not translated to Postgres" },
    // leftmost-first (RE2) and leftmost-longest (Postgres) alternation would extract different text: refused
    { query: 'print r = extract("(a|ab)", 1, "ab")', refused: true },
  ],
} satisfies DocPage;
