import type { DocPage } from "../case";

export default {
  page: "trim(), trim_start(), trim_end()",
  url: "https://learn.microsoft.com/kusto/query/trim-function",
  cases: [
    // trim(): documented examples
    {
      query: 'let string_to_trim = @"--https://bing.com--";\nlet substring = "--";\nprint string_to_trim = string_to_trim, trimmed_string = trim(substring,string_to_trim)',
      columns: [["string_to_trim", "string"], ["trimmed_string", "string"]],
      rows: [["--https://bing.com--", "https://bing.com"]],
    },
    {
      query: 'range x from 1 to 5 step 1\n| project str = strcat("-  ", "Te st", x, @"// $")\n| extend trimmed_str = trim(@"[^\\w]+",str)',
      columns: [["str", "string"], ["trimmed_str", "string"]],
      rows: [1, 2, 3, 4, 5].map((x) => [`-  Te st${x}// $`, `Te st${x}`]),
    },
    // trim_start(): https://learn.microsoft.com/kusto/query/trim-start-function
    {
      query: 'let string_to_trim = @"sample text";\nlet substring = "sample";\nprint string_to_trim = string_to_trim, trimmed_string = trim_start(substring,string_to_trim)',
      columns: [["string_to_trim", "string"], ["trimmed_string", "string"]],
      rows: [["sample text", " text"]],
    },
    {
      query: 'range x from 1 to 5 step 1\n| project str = strcat("-  ", "Te st", x, @"// $")\n| extend trimmed_str = trim_start(@"[^\\w]+",str)',
      columns: [["str", "string"], ["trimmed_str", "string"]],
      rows: [1, 2, 3, 4, 5].map((x) => [`-  Te st${x}// $`, `Te st${x}// $`]),
    },
    // trim_end(): https://learn.microsoft.com/kusto/query/trim-end-function
    {
      query: 'let string_to_trim = @"bing.com";\nlet substring = ".com";\nprint string_to_trim = string_to_trim, trimmed_string = trim_end(substring,string_to_trim)',
      columns: [["string_to_trim", "string"], ["trimmed_string", "string"]],
      rows: [["bing.com", "bing"]],
    },
    {
      query: 'range x from 1 to 5 step 1\n| project str = strcat("-  ", "Te st", x, @"// $")\n| extend trimmed_str = trim_end(@"[^\\w]+",str)',
      columns: [["str", "string"], ["trimmed_str", "string"]],
      rows: [1, 2, 3, 4, 5].map((x) => [`-  Te st${x}// $`, `-  Te st${x}`]),
    },
  ],
} satisfies DocPage;
