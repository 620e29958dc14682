import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/getschema-operator: one row per column with its ordinal, .NET type and Kusto type
export default {
  page: "getschema operator",
  url: "https://learn.microsoft.com/kusto/query/getschema-operator",
  cases: [
    {
      query: "datatable(Name:string, Count:long, Ratio:real, When:datetime, Ok:bool, Bag:dynamic, Span:timespan, Id:guid, Small:int) [] | getschema",
      ordered: true,
      columns: [["ColumnName", "string"], ["ColumnOrdinal", "long"], ["DataType", "string"], ["ColumnType", "string"]],
      rows: [
        ["Name", 0, "System.String", "string"],
        ["Count", 1, "System.Int64", "long"],
        ["Ratio", 2, "System.Double", "real"],
        ["When", 3, "System.DateTime", "datetime"],
        ["Ok", 4, "System.SByte", "bool"],
        ["Bag", 5, "System.Object", "dynamic"],
        ["Span", 6, "System.TimeSpan", "timespan"],
        ["Id", 7, "System.Guid", "guid"],
        ["Small", 8, "System.Int32", "int"],
      ],
    },
  ],
} satisfies DocPage;
