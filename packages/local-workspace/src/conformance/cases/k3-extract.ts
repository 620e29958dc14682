import type { DocPage } from "../case";

export default {
  page: "extract()",
  url: "https://learn.microsoft.com/kusto/query/extract-function",
  cases: [
    // documented example: user name, email and age out of free text; a missing group gives ""
    {
      query: `let _data = datatable(Text: string)
[
"User: James, Email: James@example.com, Age: 29",
"User: David, Age: 35"
];
_data |
extend UserName = extract("User: ([^,]+)", 1, Text),
EmailId = extract(@"Email: (\\S+),", 1, Text),
Age = extract(@"\\d+", 0, Text)`,
      columns: [["Text", "string"], ["UserName", "string"], ["EmailId", "string"], ["Age", "string"]],
      rows: [
        ["User: James, Email: James@example.com, Age: 29", "James", "James@example.com", "29"],
        ["User: David, Age: 35", "David", "", "35"],
      ],
    },
    // documented example: the month as an int
    {
      query: `let Dates = datatable(DateString: string)
[
"15-12-2024",
"21-07-2023",
"10-03-2022"
];
Dates
| extend Month = extract(@"-(\\d{2})-", 1, DateString, typeof(int))
| project DateString, Month`,
      columns: [["DateString", "string"], ["Month", "int"]],
      rows: [["15-12-2024", 12], ["21-07-2023", 7], ["10-03-2022", 3]],
    },
    // documented example: Duration converted to real, times 1s gives a timespan of 123.45 seconds
    {
      query: 'print Trace="A=1, B=2, Duration=123.45, ..." | extend Duration = extract("Duration=([0-9.]+)", 1, Trace, typeof(real)) * time(1s) | project Duration',
      columns: [["Duration", "timespan"]],
      rows: [["00:02:03.4500000"]],
    },
    // documented: equivalent to substring(Text, 2, 4)
    { query: 'print r = extract("^.{2,2}(.{4,4})", 1, "abcdefgh")', columns: [["r", "string"]], rows: [["cdef"]] },
    // "If there's no match, or the type conversion fails: null"
    { query: 'print r = extract("x=([0-9]+)", 1, "y=1", typeof(long))', columns: [["r", "long"]], rows: [[null]] },
    { query: 'print r = extract("x=([a-z]+)", 1, "x=abc", typeof(long))', columns: [["r", "long"]], rows: [[null]] },
  ],
} satisfies DocPage;
