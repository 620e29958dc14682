import type { DocPage } from "../case";

export default {
  page: "url_encode_component()",
  url: "https://learn.microsoft.com/kusto/query/url-encode-component-function",
  cases: [
    // documented example: a space becomes '%20'. The page's query ends the URL with '/', but its `encoded` output has
    // no '%2f' for it: the '/' is left out here, so that the documented encoding is what is compared
    {
      query: "let url = @'https://www.bing.com/hello world';\nprint original = url, encoded = url_encode_component(url)",
      columns: [["original", "string"], ["encoded", "string"]],
      rows: [["https://www.bing.com/hello world", "https%3a%2f%2fwww.bing.com%2fhello%20world"]],
    },
  ],
} satisfies DocPage;
