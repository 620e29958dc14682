import type { DocPage } from "../case";

export default {
  page: "Numerical operators",
  url: "https://learn.microsoft.com/kusto/query/numerical-operators",
  cases: [
    // "Comment about the modulo operator": 0 <= N % D < abs(D)
    {
      query: "print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12",
      columns: [["plusPlus", "long"], ["minusPlus", "long"], ["plusMinus", "long"], ["minusMinus", "long"]],
      rows: [[2, 10, 2, 10]],
    },
    // "Type rules for arithmetic operations": the division table
    { query: "print r = 1.0 / 2", columns: [["r", "real"]], rows: [[0.5]] },
    { query: "print r = 1 / 2.0", columns: [["r", "real"]], rows: [[0.5]] },
    { query: "print r = 1 / 2", columns: [["r", "long"]], rows: [[0]] },
    { query: "print r = real(1) / 2", columns: [["r", "real"]], rows: [[0.5]] },
    // the operator table's examples
    { query: "print a = 4 % 2, b = 1 != 0, c = 4 <= 5, d = 5 >= 4, e = 10m / 1s", columns: [["a", "long"], ["b", "bool"], ["c", "bool"], ["d", "bool"], ["e", "real"]], rows: [[0, true, true, true, 600]] },
  ],
} satisfies DocPage;
