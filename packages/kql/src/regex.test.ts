/**
 * RE2 → Postgres ARE. What each RE2 construct means comes from RE2's syntax page
 * (https://github.com/google/re2/wiki/Syntax, which Kusto's https://learn.microsoft.com/kusto/query/re2 follows); what
 * the ARE text means comes from Postgres' "Regular Expression Details". The integration tests run the translations.
 */
import { describe, expect, it } from "vitest";
import { RegexProblem, translateRegex } from "./regex";

const are = (p: string) => translateRegex(p, "capture").source;
const problem = (p: string, use: "match" | "capture" = "capture") => {
  try {
    translateRegex(p, use);
  } catch (err) {
    if (err instanceof RegexProblem) return err.kind;
    throw err;
  }
  return "ok";
};

describe("translation", () => {
  it.each([
    // `.` excludes "\n" without the s flag; with it, anything
    ["a.b", "a[^\\n]b"],
    ["(?s)a.b", "a.b"],
    // Perl classes are ASCII in RE2
    ["\\d+", "[0-9]+"],
    ["\\W", "[^0-9A-Za-z_]"],
    ["[\\d\\s]", "[0-9\\t\\n\\f\\r ]"],
    ["[[:alpha:]]", "[A-Za-z]"],
    // \b is an ASCII word boundary in RE2, backspace in an ARE (whose \y counts "é" as a word character)
    ["\\bx", "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))x"],
    ["x\\B", "x(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"],
    // \z is the end of the text
    ["x\\z", "x\\Z"],
    // \x takes exactly two digits in RE2
    ["\\x41B", "\\u0041B"],
    ["\\x{1F600}", "\\U0001f600"],
    // a brace that is no repetition is a literal
    ["a{,3}", "a\\{,3\\}"],
    ["a{2,3}", "a{2,3}"],
    // named groups are plain groups
    ["(?P<y>\\d{4})-(?<m>\\d\\d)", "([0-9]{4})\\-([0-9][0-9])"],
    ["(?:ab)+", "(?:ab)+"],
    // \Q...\E quotes
    ["\\Q*.+\\E", "\\*\\.\\+"],
    // bracket members that are special in an ARE are escaped
    ["[]a-]", "[\\]a\\-]"],
    ["[[.]", "[\\[\\.]"],
    // flags at the start become embedded options (m: ^ and $ at line ends, which is the ARE's "w")
    ["(?i)abc", "(?i)abc"],
    ["(?im)^a$", "(?iw)^a$"],
  ])("%s → %s", (re2, want) => {
    expect(are(re2)).toBe(want);
  });

  it("counts and names capture groups", () => {
    const r = translateRegex("(?P<first>\\w)(?:x)(\\w+)(?<last>\\w)", "capture");
    expect(r.groups).toBe(3);
    expect(r.names).toEqual(["first", undefined, "last"]);
  });
});

describe("patterns RE2 rejects (the user's error)", () => {
  it.each(["a(?=b)", "(?<!a)b", "\\Z", "a**", "*a", "(a", "a)", "[a", "\\q", "x{1001}", "[z-a]"])("%s", (p) => {
    expect(problem(p)).toBe("invalid");
  });
});

describe("patterns Postgres would read differently (refused)", () => {
  it.each([
    "\\pL", // Unicode classes
    "\\C", // any byte
    "\\1", // RE2 has no backreferences; \1 would be one in Postgres
    "[\\D]", // Postgres refuses \D inside brackets
    "(?U)a+", // ungreedy flag
    "a(?i)b", // flags after the start
    "(?i:a)b",
    "x{300}", // above Postgres' repetition limit
  ])("%s", (p) => {
    expect(problem(p, "match")).toBe("unsupported");
  });

  it("refuses alternatives whose match could differ only when the match is read", () => {
    // leftmost-first: RE2 extracts "a" from "ab" with (a|ab); Postgres' leftmost-longest would give "ab"
    expect(problem("(a|ab)", "capture")).toBe("unsupported");
    expect(problem("(a|ab)", "match")).toBe("ok");
    // distinct words that cannot both match at one position are safe
    expect(problem("(error|warning): (\\d+)", "capture")).toBe("ok");
    expect(problem("(x+|y)", "capture")).toBe("unsupported");
  });

  it("refuses lazy quantifiers mixed with greedy ones when the match is read", () => {
    expect(problem("(.*?)=(.*)", "capture")).toBe("unsupported");
    expect(problem("(.*?)=(.*)", "match")).toBe("ok");
    expect(problem("name=(.*?);", "capture")).toBe("ok");
  });
});

// parse kind=regex: flags=U (RE2: "ungreedy: swap meaning of x* and x*?") and quantifiers set apart in groups
describe("options for parse's regex delimiters", () => {
  it("ungreedy swaps every quantifier's greediness; a fixed count stays as written", () => {
    expect(translateRegex("a*b+?c{2,3}d{2}", "match", { ungreedy: true }).body).toBe("a*?b+c{2,3}?d{2}");
  });

  it("isolated top-level quantifiers each get a group, counted with the pattern's own groups in opening order", () => {
    const re = translateRegex("x=\\s*\\d+.*?(previous)?y", "capture", { isolateQuantifiers: true });
    expect(re.body).toBe("x=([\\t\\n\\f\\r ]*)([0-9]+)([^\\n]*?)((previous)?)y");
    expect(re.groups).toBe(5);
    expect(re.alternation).toBe(false);
  });

  it("lazy and greedy may then mix at the top level, not inside a group (Postgres gives a group one greediness)", () => {
    expect(() => translateRegex("a*b*?", "capture", { isolateQuantifiers: true })).not.toThrow();
    expect(() => translateRegex("a*b*?", "capture")).toThrow(RegexProblem);
    expect(() => translateRegex("(a*b*?)", "capture", { isolateQuantifiers: true })).toThrow(RegexProblem);
  });

  it("reports a top-level alternation, which a caller splicing the pattern must group", () => {
    expect(translateRegex("ab|cd", "capture", { isolateQuantifiers: true }).alternation).toBe(true);
    expect(translateRegex("(ab|cd)", "capture", { isolateQuantifiers: true }).alternation).toBe(false);
  });
});
