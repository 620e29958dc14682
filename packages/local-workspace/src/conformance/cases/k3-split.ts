import type { DocPage } from "../case";

export default {
  page: "split()",
  url: "https://learn.microsoft.com/kusto/query/split-function",
  cases: [
    // the documented example, every column as the page shows it
    {
      query: `print
    split("aa_bb", "_"),           // ["aa","bb"]
    split("aaa_bbb_ccc", "_", 1),  // ["bbb"]
    split("", "_"),                // [""]
    split("a__b", "_"),            // ["a","","b"]
    split("aabbcc", "bb")          // ["aa","cc"]`,
      columns: [["print_0", "dynamic"], ["print_1", "dynamic"], ["print_2", "dynamic"], ["print_3", "dynamic"], ["print_4", "dynamic"]],
      rows: [[["aa", "bb"], ["bbb"], [""], ["a", "", "b"], ["aa", "cc"]]],
    },
  ],
} satisfies DocPage;
