import type { DocPage } from "../case";

// the trigonometric functions' pages (cos, sin, tan, cot, acos, asin, atan, atan2, degrees, radians): values in radians
export default {
  page: "Trigonometric functions",
  url: "https://learn.microsoft.com/kusto/query/cos-function",
  cases: [
    // https://learn.microsoft.com/kusto/query/cos-function: print cos(1)
    { query: "print cos(1)", columns: [["print_0", "real"]], rows: [[0.5403023058681398]] },
    { query: "print sin(1)", columns: [["print_0", "real"]], rows: [[0.8414709848078965]] },
    { query: "print tan(1)", columns: [["print_0", "real"]], rows: [[1.5574077246549023]] },
    { query: "print cot(1)", columns: [["print_0", "real"]], rows: [[0.6420926159343306]] },
    { query: "print acos(1), asin(1), atan(1)", columns: [["print_0", "real"], ["print_1", "real"], ["print_2", "real"]], rows: [[0, 1.5707963267948966, 0.7853981633974483]] },
    // https://learn.microsoft.com/kusto/query/atan2-function: atan2(y, x)
    { query: "print atan2(1, 1)", columns: [["print_0", "real"]], rows: [[0.7853981633974483]] },
    // https://learn.microsoft.com/kusto/query/degrees-function
    { query: "print degrees0 = degrees(pi()/4), degrees1 = degrees(pi()*1.5), degrees2 = degrees(0)", columns: [["degrees0", "real"], ["degrees1", "real"], ["degrees2", "real"]], rows: [[45, 270, 0]] },
    // https://learn.microsoft.com/kusto/query/radians-function
    { query: "print radians0 = radians(90), radians1 = radians(180), radians2 = radians(360)", columns: [["radians0", "real"], ["radians1", "real"], ["radians2", "real"]], rows: [[1.5707963267948966, 3.141592653589793, 6.283185307179586]] },
  ],
} satisfies DocPage;
