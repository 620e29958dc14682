import type { DocPage } from "../case";

// ISO 8601 weeks: Monday first, week 1 holds the year's first Thursday
export default {
  page: "week_of_year()",
  url: "https://learn.microsoft.com/kusto/query/week-of-year-function",
  cases: [
    { query: "print input = datetime(2020-12-31), week_of_year = week_of_year(datetime(2020-12-31))", columns: [["input", "datetime"], ["week_of_year", "int"]], rows: [["2020-12-31T00:00:00Z", 53]] },
    { query: "print input = datetime(2020-06-22), week_of_year = week_of_year(datetime(2020-06-22))", columns: [["input", "datetime"], ["week_of_year", "int"]], rows: [["2020-06-22T00:00:00Z", 26]] },
    { query: "print input = datetime(2021-01-01), week_of_year = week_of_year(datetime(2021-01-01))", columns: [["input", "datetime"], ["week_of_year", "int"]], rows: [["2021-01-01T00:00:00Z", 53]] },
    { query: "print input = datetime(2021-01-04), week_of_year = week_of_year(datetime(2021-01-04))", columns: [["input", "datetime"], ["week_of_year", "int"]], rows: [["2021-01-04T00:00:00Z", 1]] },
  ],
} satisfies DocPage;
