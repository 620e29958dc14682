import type { DocPage } from "../case";

export default {
  page: "extract_all()",
  url: "https://learn.microsoft.com/kusto/query/extract-all-function",
  cases: [
    // the page's opening example
    {
      query: 'print r = extract_all(@"(\\d+)", "a set of numbers: 123, 567 and 789")',
      columns: [["r", "dynamic"]],
      rows: [[["123", "567", "789"]]],
    },
    // documented example: a single capture group
    {
      query: 'print Id="82b8be2d-dfa7-4bd1-8f63-24ad26d31449"\n| extend guid_bytes = extract_all(@"([\\da-f]{2})", Id)',
      columns: [["Id", "string"], ["guid_bytes", "dynamic"]],
      rows: [["82b8be2d-dfa7-4bd1-8f63-24ad26d31449", ["82", "b8", "be", "2d", "df", "a7", "4b", "d1", "8f", "63", "24", "ad", "26", "d3", "14", "49"]]],
    },
    // documented example: several capture groups give an array per match
    {
      query: 'print Id="82b8be2d-dfa7-4bd1-8f63-24ad26d31449"\n| extend guid_bytes = extract_all(@"(\\w)(\\w+)(\\w)", Id)',
      columns: [["Id", "string"], ["guid_bytes", "dynamic"]],
      rows: [["82b8be2d-dfa7-4bd1-8f63-24ad26d31449", [["8", "2b8be2", "d"], ["d", "fa", "7"], ["4", "bd", "1"], ["8", "f6", "3"], ["2", "4ad26d3144", "9"]]]],
    },
    // documented example: a subset of the capture groups
    {
      query: 'print Id="82b8be2d-dfa7-4bd1-8f63-24ad26d31449"\n| extend guid_bytes = extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1,3]), Id)',
      columns: [["Id", "string"], ["guid_bytes", "dynamic"]],
      rows: [["82b8be2d-dfa7-4bd1-8f63-24ad26d31449", [["8", "d"], ["d", "7"], ["4", "1"], ["8", "3"], ["2", "9"]]]],
    },
    // documented example: named capture groups, selected by name and by number
    {
      query: 'print Id="82b8be2d-dfa7-4bd1-8f63-24ad26d31449"\n| extend guid_bytes = extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic([\'first\',2,\'last\']), Id)',
      columns: [["Id", "string"], ["guid_bytes", "dynamic"]],
      rows: [["82b8be2d-dfa7-4bd1-8f63-24ad26d31449", [["8", "2b8be2", "d"], ["d", "fa", "7"], ["4", "bd", "1"], ["8", "f6", "3"], ["2", "4ad26d3144", "9"]]]],
    },
    // "If there's no match: null"
    { query: 'print r = extract_all(@"(\\d+)", "no digits")', columns: [["r", "dynamic"]], rows: [[null]] },
    // the page's deprecated alias extractall(), on its opening example
    {
      query: 'print r = extractall(@"(\\d+)", "a set of numbers: 123, 567 and 789")',
      columns: [["r", "dynamic"]],
      rows: [[["123", "567", "789"]]],
    },
  ],
} satisfies DocPage;
