import type { DocPage } from "../case";

// Every row of the page's operator table: "Example (yields true)". The page's examples are expressions; each is
// printed as one bool column. The operators' own pages (has, contains, in, ...) filter StormEvents; their rules are
// exercised on a datatable in string-operator-filters.ts.
const yieldsTrue = [
  '"aBc" == "aBc"',
  '"abc" != "ABC"',
  '"abc" =~ "ABC"',
  '"aBc" !~ "xyz"',
  '"North America" has "america"',
  '"North America" !has "amer"',
  '"North America" has_cs "America"',
  '"North America" !has_cs "amer"',
  '"North America" hasprefix "ame"',
  '"North America" !hasprefix "mer"',
  '"North America" hasprefix_cs "Ame"',
  '"North America" !hasprefix_cs "CA"',
  '"North America" hassuffix "ica"',
  '"North America" !hassuffix "americ"',
  '"North America" hassuffix_cs "ica"',
  '"North America" !hassuffix_cs "icA"',
  '"FabriKam" contains "BRik"',
  '"Fabrikam" !contains "xyz"',
  '"FabriKam" contains_cs "Kam"',
  '"Fabrikam" !contains_cs "Kam"',
  '"Fabrikam" startswith "fab"',
  '"Fabrikam" !startswith "kam"',
  '"Fabrikam" startswith_cs "Fab"',
  '"Fabrikam" !startswith_cs "fab"',
  '"Fabrikam" endswith "Kam"',
  '"Fabrikam" !endswith "brik"',
  '"Fabrikam" endswith_cs "kam"',
  '"Fabrikam" !endswith_cs "brik"',
  '"Fabrikam" matches regex "b.*k"',
  '"abc" in ("123", "345", "abc")',
  '"bca" !in ("123", "345", "abc")',
  '"abc" in~ ("123", "345", "ABC")',
  '"bca" !in~ ("123", "345", "ABC")',
  '"North America" has_any("south", "north")',
];

export default {
  page: "String operators",
  url: "https://learn.microsoft.com/kusto/query/datatypes-string-operators",
  cases: yieldsTrue.map((e) => ({ query: `print r = ${e}`, columns: [["r", "bool"]], rows: [[true]] })),
} satisfies DocPage;
