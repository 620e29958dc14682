import type { DocPage } from "../case";

// binary_all_and/or/xor: each page's example "produces CAFEF00D" (checked: the bitwise and/or/xor of the four values).
// The verbatim examples format the result with tohex(), which local workspaces do not support yet.
export default {
  page: "binary_all_and(), binary_all_or(), binary_all_xor()",
  url: "https://learn.microsoft.com/kusto/query/binary-all-and-aggregation-function",
  cases: [
    {
      query: `datatable(num:long)
[
  0xFFFFFFFF, 
  0xFFFFF00F,
  0xCFFFFFFD,
  0xFAFEFFFF,
]
| summarize result = toupper(tohex(binary_all_and(num)))`,
      refused: true,
      note: "tohex() is not supported yet; the aggregate itself is checked by the next case",
    },
    // 0xCAFEF00D as a long
    { query: "datatable(num:long)[0xFFFFFFFF, 0xFFFFF00F, 0xCFFFFFFD, 0xFAFEFFFF] | summarize result = binary_all_and(num)", columns: [["result", "long"]], rows: [[3405705229]] },
    // https://learn.microsoft.com/kusto/query/binary-all-or-aggregation-function
    {
      query: `datatable(num:long)
[
  0x88888008,
  0x42000000,
  0x00767000,
  0x00000005, 
]
| summarize result = toupper(tohex(binary_all_or(num)))`,
      refused: true,
      note: "tohex() is not supported yet; the aggregate itself is checked by the next case",
    },
    // 0xCAFEF00D as a long
    { query: "datatable(num:long)[0x88888008, 0x42000000, 0x00767000, 0x00000005] | summarize result = binary_all_or(num)", columns: [["result", "long"]], rows: [[3405705229]] },
    // https://learn.microsoft.com/kusto/query/binary-all-xor-aggregation-function
    {
      query: `datatable(num:long)
[
  0x44404440,
  0x1E1E1E1E,
  0x90ABBA09,
  0x000B105A,
]
| summarize result = toupper(tohex(binary_all_xor(num)))`,
      refused: true,
      note: "tohex() is not supported yet; the aggregate itself is checked by the next case",
    },
    // 0xCAFEF00D as a long
    { query: "datatable(num:long)[0x44404440, 0x1E1E1E1E, 0x90ABBA09, 0x000B105A] | summarize result = binary_all_xor(num)", columns: [["result", "long"]], rows: [[3405705229]] },
  ],
} satisfies DocPage;
