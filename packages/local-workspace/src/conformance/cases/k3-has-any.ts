import type { DocPage } from "../case";

// has_any / has_all match whole terms, case-insensitively, like has.
export default {
  page: "has_any, has_all operators",
  url: "https://learn.microsoft.com/kusto/query/has-anyoperator",
  cases: [
    {
      query: 'datatable(s: string) ["Backup failed: disk full", "backup-completed", "restore ok", ""]\n| where s has_any ("FAILED", "ok")',
      columns: [["s", "string"]],
      rows: [["Backup failed: disk full"], ["restore ok"]],
    },
    // https://learn.microsoft.com/kusto/query/has-all-operator
    {
      query: 'datatable(s: string) ["Backup failed: disk full", "backup-completed", "disk failed"]\n| where s has_all ("backup", "disk")',
      columns: [["s", "string"]],
      rows: [["Backup failed: disk full"]],
    },
    // terms, not substrings: "back" is no term of "backup"
    { query: 'print r = "backup failed" has_any ("back", "fail")', columns: [["r", "bool"]], rows: [[false]] },
    // a dynamic array of terms
    { query: 'print r = "vm-web-01 backup" has_any (dynamic(["restore", "backup"]))', columns: [["r", "bool"]], rows: [[true]] },
  ],
} satisfies DocPage;
