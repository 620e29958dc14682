import type { DocPage } from "../case";

export default {
  page: "url_encode()",
  url: "https://learn.microsoft.com/kusto/query/url-encode-function",
  cases: [
    // documented example: a space becomes '+' (the page's output shows `original` with a trailing '/' its query
    // does not have; the query's value is written here)
    {
      query: "let url = @'https://www.bing.com/hello world';\nprint original = url, encoded = url_encode(url)",
      columns: [["original", "string"], ["encoded", "string"]],
      rows: [["https://www.bing.com/hello world", "https%3a%2f%2fwww.bing.com%2fhello+world"]],
    },
  ],
} satisfies DocPage;
