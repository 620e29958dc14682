import type { DocPage } from "../case";

// toobject() and todynamic() are the page's deprecated aliases of parse_json(); these are its examples through them.
export default {
  page: "parse_json() (deprecated aliases toobject(), todynamic())",
  url: "https://learn.microsoft.com/kusto/query/parse-json-function",
  cases: [
    // Duration metrics parsing (the page's prose says duration.min is 110.0; its data and output table say 100)
    {
      query:
        "datatable(context_custom_metrics:string)\n[\n    '{\"duration\":{\"value\":118.0,\"count\":5.0,\"min\":100.0,\"max\":150.0,\"stdDev\":0.0,\"sampledValue\":118.0,\"sum\":118.0}}'\n]\n| extend d = toobject(context_custom_metrics)\n| extend duration_value = d.duration.value, duration_min = d.duration.min",
      columns: [["context_custom_metrics", "string"], ["d", "dynamic"], ["duration_value", "dynamic"], ["duration_min", "dynamic"]],
      rows: [
        [
          '{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}',
          { duration: { value: 118, count: 5, min: 100, max: 150, stdDev: 0, sampledValue: 118, sum: 118 } },
          118,
          100,
        ],
      ],
    },
    // Nested JSON parsing: the inner slot is JSON text, so it is parsed again after tostring()
    {
      query: "let d='{\"a\":123, \"b\":\"{\\\\\"c\\\\\":456}\"}';\nprint d_b_c=toobject(tostring(todynamic(d).b)).c",
      columns: [["d_b_c", "dynamic"]],
      rows: [[456]],
    },
  ],
} satisfies DocPage;
