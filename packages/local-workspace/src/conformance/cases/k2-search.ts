import type { DocPage } from "../case";

const tables = `let A = datatable(Message:string, Level:long) ["Backup completed", 1, "Backup failed: disk full", 3, "Restore done", 1];
let B = datatable(Message:string, Duration:real) ["backup started", 1.5, "other", 2.5];
`;

// https://learn.microsoft.com/kusto/query/search-operator: a bare term matches rows where some column has the term
// (case-insensitive by default); `in (...)` names the tables; the output has a $table column naming each row's table.
export default {
  page: "search operator",
  url: "https://learn.microsoft.com/kusto/query/search-operator",
  cases: [
    {
      query: `${tables}search in (A, B) "backup"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Backup completed", 1, null], ["A", "Backup failed: disk full", 3, null], ["B", "backup started", null, 1.5]],
    },
    {
      query: `${tables}search kind=case_sensitive in (A, B) "backup"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["B", "backup started", null, 1.5]],
    },
    // a term is a whole word: "back" is not a term of "Backup"
    {
      query: `${tables}search in (A, B) "back"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [],
    },
    {
      query: `${tables}search in (A, B) "backup" and Level > 1`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Backup failed: disk full", 3, null]],
    },
    {
      query: `${tables}A | search "restore" | project Message, Level`,
      columns: [["Message", "string"], ["Level", "long"]],
      rows: [["Restore done", 1]],
    },
    // the page's wildcard terms: "err*" is hasprefix, "*err" hassuffix, "*err*" contains (case-insensitive by default)
    {
      query: `${tables}search in (A, B) "Back*"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Backup completed", 1, null], ["A", "Backup failed: disk full", 3, null], ["B", "backup started", null, 1.5]],
    },
    {
      query: `${tables}search kind=case_sensitive in (A, B) "Back*"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Backup completed", 1, null], ["A", "Backup failed: disk full", 3, null]],
    },
    {
      query: `${tables}search in (A, B) "*TORE"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Restore done", 1, null]],
    },
    // "*ail*" is contains: a part of the term "failed"
    {
      query: `${tables}search in (A, B) "*ail*"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["A", "Backup failed: disk full", 3, null]],
    },
    // Column:"term" restricts the search to one column; search * keeps every row
    {
      query: `${tables}search in (A, B) Message:"*the*"`,
      columns: [["$table", "string"], ["Message", "string"], ["Level", "long"], ["Duration", "real"]],
      rows: [["B", "other", null, 2.5]],
    },
    {
      query: `${tables}search in (B) *`,
      columns: [["$table", "string"], ["Message", "string"], ["Duration", "real"]],
      rows: [["B", "backup started", 1.5], ["B", "other", 2.5]],
    },
    // a * inside a term is a regular expression (\bLab.*PC\b) whose case rule the page leaves open: refused
    { query: `${tables}search in (A) "Back*done"`, refused: true },
  ],
} satisfies DocPage;
