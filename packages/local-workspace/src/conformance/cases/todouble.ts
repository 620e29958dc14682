import type { DocPage } from "../case";

export default {
  page: "todouble()",
  url: "https://learn.microsoft.com/kusto/query/todouble-function",
  cases: [
    // documented example: todouble("123.4") == 123.4
    { query: 'print r = todouble("123.4") == 123.4, v = todouble("123.4")', columns: [["r", "bool"], ["v", "real"]], rows: [[true, 123.4]] },
    // "The todouble() and toreal() functions are equivalent"; otherwise real(null)
    { query: 'print a = toreal("1.5"), b = todouble("abc")', columns: [["a", "real"], ["b", "real"]], rows: [[1.5, null]] },
  ],
} satisfies DocPage;
