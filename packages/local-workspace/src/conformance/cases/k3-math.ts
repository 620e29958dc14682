import type { DocPage } from "../case";

// Numeric functions: documented examples and documented edge values; each case names its page.
export default {
  page: "math functions",
  url: "https://learn.microsoft.com/kusto/query/math-functions",
  cases: [
    // https://learn.microsoft.com/kusto/query/round-function
    {
      query: "print round(2.98765, 3), round(2.15, 1), round(2.15), round(2.15, -1)",
      columns: [["print_0", "real"], ["print_1", "real"], ["print_2", "real"], ["print_3", "real"]],
      rows: [[2.988, 2.2, 2, 0]],
    },
    // https://learn.microsoft.com/kusto/query/ceiling-function
    { query: "print c1 = ceiling(-1.1), c2 = ceiling(0), c3 = ceiling(0.9)", columns: [["c1", "real"], ["c2", "long"], ["c3", "real"]], rows: [[-1, 0, 1]] },
    // https://learn.microsoft.com/kusto/query/sign-function
    { query: "print s1 = sign(-42), s2 = sign(0), s3 = sign(11.2)", columns: [["s1", "real"], ["s2", "real"], ["s3", "real"]], rows: [[-1, 0, 1]] },
    // https://learn.microsoft.com/kusto/query/pow-function, exp2, exp10, log2, log10, sqrt
    { query: "print p = pow(2, 3), e2 = exp2(3), e10 = exp10(2), l2 = log2(8), l10 = log10(100), s = sqrt(4)", columns: [["p", "real"], ["e2", "real"], ["e10", "real"], ["l2", "real"], ["l10", "real"], ["s", "real"]], rows: [[8, 8, 100, 3, 2, 2]] },
    // https://learn.microsoft.com/kusto/query/log-function: "null if x is negative or 0"
    { query: "print l0 = log(0), ln = log(-1), l1 = log(1)", columns: [["l0", "real"], ["ln", "real"], ["l1", "real"]], rows: [[null, null, 0]] },
    // https://learn.microsoft.com/kusto/query/pi-function
    { query: "print pi()", columns: [["print_0", "real"]], rows: [[Math.PI]] },
    // https://learn.microsoft.com/kusto/query/max-of-function
    { query: "print result = max_of(10, 1, -3, 17)", columns: [["result", "long"]], rows: [[17]] },
    // https://learn.microsoft.com/kusto/query/min-of-function
    { query: "print result=min_of(10, 1, -3, 17)", columns: [["result", "long"]], rows: [[-3]] },
    // https://learn.microsoft.com/kusto/query/isnan-function, isinf, isfinite (1.0 / 0 is +∞ in Kusto)
    {
      query: "print n = isnan(real(nan)), n1 = isnan(1.0), i = isinf(1.0 / 0), i1 = isinf(1.0), f = isfinite(1.0), f1 = isfinite(real(nan))",
      columns: [["n", "bool"], ["n1", "bool"], ["i", "bool"], ["i1", "bool"], ["f", "bool"], ["f1", "bool"]],
      rows: [[true, false, true, false, true, false]],
    },
    // https://learn.microsoft.com/kusto/query/rand-function: random numbers cannot be compared with a documented table
    { query: "print rand()", refused: true },
  ],
} satisfies DocPage;
