import type { DocPage } from "../case";

export default {
  page: "Null values",
  url: "https://learn.microsoft.com/kusto/query/scalar-data-types/null-values",
  cases: [
    // "Null literals": a single row full of nulls
    {
      query: "print bool(null), datetime(null), dynamic(null), guid(null), int(null), long(null), real(null), double(null), timespan(null)",
      columns: [["print_0", "bool"], ["print_1", "datetime"], ["print_2", "dynamic"], ["print_3", "guid"], ["print_4", "int"], ["print_5", "long"], ["print_6", "real"], ["print_7", "real"], ["print_8", "timespan"]],
      rows: [[null, null, null, null, null, null, null, null, null]],
    },
    // "Equality and inequality of null values": the example table
    {
      query:
        "datatable(val:int)[5, int(null)]\n| extend IsBiggerThan3 = val > 3\n| extend IsBiggerThan3OrNull = val > 3 or isnull(val)\n| extend IsEqualToNull = val == int(null)\n| extend IsNotEqualToNull = val != int(null)",
      columns: [["val", "int"], ["IsBiggerThan3", "bool"], ["IsBiggerThan3OrNull", "bool"], ["IsEqualToNull", "bool"], ["IsNotEqualToNull", "bool"]],
      rows: [
        [5, true, true, false, true],
        [null, null, true, null, null],
      ],
    },
    // "Null values and the where operator": a null compared with != to a value is true, so the row stays
    {
      query: 'datatable(ival:int, sval:string)[5, "a", int(null), "b"]\n| where ival != 5',
      columns: [["ival", "int"], ["sval", "string"]],
      rows: [[null, "b"]],
    },
  ],
} satisfies DocPage;
