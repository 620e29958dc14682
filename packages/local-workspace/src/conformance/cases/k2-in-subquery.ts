import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/in-operator: "in (tabular expression)": the first column of the
// expression is the set; `!in` keeps rows whose value is not in it; `in~` compares case-insensitively.
export default {
  page: "in and !in operators (tabular expression)",
  url: "https://learn.microsoft.com/kusto/query/in-operator",
  cases: [
    {
      query: "let Cities = datatable(City:string) [\"Seattle\", \"Redmond\"]; datatable(Name:string, City:string) [\"a\", \"Seattle\", \"b\", \"Tokyo\", \"c\", \"Redmond\"] | where City in (Cities)",
      columns: [["Name", "string"], ["City", "string"]],
      rows: [["a", "Seattle"], ["c", "Redmond"]],
    },
    {
      query: "let Cities = datatable(City:string) [\"Seattle\", \"Redmond\"]; datatable(Name:string, City:string) [\"a\", \"Seattle\", \"b\", \"Tokyo\", \"c\", \"Redmond\"] | where City !in (Cities)",
      columns: [["Name", "string"], ["City", "string"]],
      rows: [["b", "Tokyo"]],
    },
    {
      query: "datatable(City:string) [\"SEATTLE\", \"Tokyo\"] | where City in~ ((print \"seattle\"))",
      columns: [["City", "string"]],
      rows: [["SEATTLE"]],
    },
    // the first column of a multi-column expression is the set
    {
      query: "range x from 1 to 5 step 1 | where x in ((range y from 4 to 9 step 1 | extend z = \"ignored\"))",
      columns: [["x", "long"]],
      rows: [[4], [5]],
    },
    // a null value is in no set, so !in keeps it
    {
      query: "datatable(v:long) [1, long(null), 3] | where v !in ((print 1)) | extend isNull = isnull(v)",
      columns: [["v", "long"], ["isNull", "bool"]],
      rows: [[null, true], [3, false]],
    },
  ],
} satisfies DocPage;
