import type { DocPage } from "../case";

// The operator pages (has, contains, startswith, endswith, ==, =~, !=, in, !in, in~) filter StormEvents; the same
// documented rules are checked here on a small datatable: "has" matches whole terms (maximal runs of ASCII
// alphanumerics), contains/startswith/endswith match substrings, the operators without _cs ignore case, == and in
// compare case-sensitively. Rows are the States whose State satisfies the predicate.
const states = 'datatable(State:string) ["NEW YORK", "new jersey", "FLORIDA", "north dakota", "GEORGIA", "Texas"]';
const where = (pred: string, rows: string[]) => ({
  query: `${states} | where ${pred}`,
  columns: [["State", "string"]] as [string, "string"][],
  rows: rows.map((r) => [r]),
});

export default {
  page: "String operators (filters)",
  url: "https://learn.microsoft.com/kusto/query/datatypes-string-operators",
  cases: [
    // https://learn.microsoft.com/kusto/query/equals-cs-operator
    where('State == "FLORIDA"', ["FLORIDA"]),
    where('State == "florida"', []),
    // https://learn.microsoft.com/kusto/query/not-equals-cs-operator
    where('State != "FLORIDA"', ["NEW YORK", "new jersey", "north dakota", "GEORGIA", "Texas"]),
    // https://learn.microsoft.com/kusto/query/equals-operator
    where('State =~ "florida"', ["FLORIDA"]),
    // https://learn.microsoft.com/kusto/query/not-equals-operator
    where('State !~ "texas"', ["NEW YORK", "new jersey", "FLORIDA", "north dakota", "GEORGIA"]),
    // https://learn.microsoft.com/kusto/query/has-operator: "has" looks for a whole term, case-insensitive
    where('State has "new"', ["NEW YORK", "new jersey"]),
    where('State has "ne"', []),
    // https://learn.microsoft.com/kusto/query/not-has-operator
    where('State !has "new"', ["FLORIDA", "north dakota", "GEORGIA", "Texas"]),
    // https://learn.microsoft.com/kusto/query/contains-operator
    where('State contains "or"', ["NEW YORK", "FLORIDA", "north dakota", "GEORGIA"]),
    // https://learn.microsoft.com/kusto/query/not-contains-operator
    where('State !contains "or"', ["new jersey", "Texas"]),
    // https://learn.microsoft.com/kusto/query/startswith-operator
    where('State startswith "n"', ["NEW YORK", "new jersey", "north dakota"]),
    // https://learn.microsoft.com/kusto/query/not-startswith-operator
    where('State !startswith "n"', ["FLORIDA", "GEORGIA", "Texas"]),
    // https://learn.microsoft.com/kusto/query/endswith-operator
    where('State endswith "a"', ["FLORIDA", "north dakota", "GEORGIA"]),
    // https://learn.microsoft.com/kusto/query/not-endswith-operator
    where('State !endswith "a"', ["NEW YORK", "new jersey", "Texas"]),
    // https://learn.microsoft.com/kusto/query/in-cs-operator
    where('State in ("FLORIDA", "georgia", "NEW YORK")', ["FLORIDA", "NEW YORK"]),
    where('State in (dynamic(["FLORIDA", "georgia", "NEW YORK"]))', ["FLORIDA", "NEW YORK"]),
    // https://learn.microsoft.com/kusto/query/not-in-cs-operator
    where('State !in ("FLORIDA", "georgia", "NEW YORK")', ["new jersey", "north dakota", "GEORGIA", "Texas"]),
    // https://learn.microsoft.com/kusto/query/in-operator
    where('State in~ ("FLORIDA", "georgia", "NEW YORK")', ["FLORIDA", "GEORGIA", "NEW YORK"]),
    where('State in~ (dynamic(["FLORIDA", "georgia", "NEW YORK"]))', ["FLORIDA", "GEORGIA", "NEW YORK"]),
    // https://learn.microsoft.com/kusto/query/not-in-operator
    where('State !in~ ("FLORIDA", "georgia", "NEW YORK")', ["new jersey", "north dakota", "Texas"]),
    // in / !in compare any scalar type, not only strings (in-cs-operator page: "Equals to one of the elements")
    { query: "range x from 1 to 6 step 1 | where x in (2, 4, 7)", columns: [["x", "long"]], rows: [[2], [4]] },
    { query: "range x from 1 to 6 step 1 | where x !in (2, 4, 7)", columns: [["x", "long"]], rows: [[1], [3], [5], [6]] },
  ],
} satisfies DocPage;
