/** The up-front bounds on query text: cheap, exact about what counts as nesting, and clear about why. */
import { describe, expect, it } from "vitest";
import { checkQueryText, compileKql, KqlError, MAX_NESTING_DEPTH, type CompileOptions } from "./index";

const options: CompileOptions = {
  tables: [{ name: "T", columns: [{ name: "N", type: "long" }, { name: "S", type: "string" }] }],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
  now: new Date("2026-11-24T00:00:00Z"),
};

function refusal(fn: () => unknown): KqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error("not refused");
}

const nested = (depth: number) => `T | where N == ${"(".repeat(depth)}1${")".repeat(depth)}`;

describe("query text limits", () => {
  it("refuses 30,000 nested parentheses at once, naming the limit and where it was passed", () => {
    // this query froze the server for 11–33 s inside Kusto's parser
    const t0 = performance.now();
    const e = refusal(() => compileKql(nested(30_000), options));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(e.kind).toBe("syntax");
    expect(e.reason).toBe("brackets are nested more than 200 deep");
    // "T | where N == " is 15 characters; the 201st "(" is at column 216
    expect(e.position).toEqual({ line: 1, column: 216, length: 1 });
    expect(e.message).toBe("brackets are nested more than 200 deep (line 1, column 216)");
  });

  it("counts (), [] and {} together and reports the line", () => {
    const q = `T\n| extend x = ${"[(".repeat(101)}`;
    expect(refusal(() => checkQueryText(q)).position).toEqual({ line: 2, column: 214, length: 1 });
    expect(refusal(() => checkQueryText(`print ${"{".repeat(MAX_NESTING_DEPTH + 1)}`)).reason).toMatch(/nested more than 200/);
  });

  it("accepts nesting up to the limit, and sequences of brackets at any count", () => {
    expect(() => checkQueryText(nested(MAX_NESTING_DEPTH))).not.toThrow();
    expect(() => checkQueryText(`T | where ${Array(2_000).fill("(N > 1)").join(" or ")}`)).not.toThrow();
    expect(compileKql(`T | where N == ${"(".repeat(20)}1${")".repeat(20)}`, options).sql).toContain("SELECT");
  });

  it("does not count brackets inside strings and comments", () => {
    const many = "(".repeat(500);
    for (const q of [
      `T | where S == "${many}"`,
      `T | where S == '${many}'`,
      `T | where S == "\\"${many}"`,
      `T | where S == @"C:\\${many}"`,
      `T | where S == @"say ""${many}"""`,
      `T | where S == h'${many}'`,
      `T | where S == \`\`\`\n${many}\n\`\`\``,
      `T // ${many}\n| take 1`,
    ]) {
      expect(() => checkQueryText(q), q).not.toThrow();
    }
    expect(compileKql(`T | where S == "${many}" // ${many}`, options).columns.map((c) => c.name)).toContain("S");
  });

  it("cannot be fooled into reading code as a string", () => {
    const deep = "(".repeat(MAX_NESTING_DEPTH + 1);
    for (const q of [
      // a verbatim string ends at its quote: a backslash there escapes nothing
      `T | where S == @"\\" and N == ${deep}`,
      // a plain string ends at a line break at the latest
      `T | where S == "unterminated\n| where N == ${deep}`,
      // an escaped quote inside a plain string does not end it, the next one does
      `T | where S == "a\\"b" and N == ${deep}`,
    ]) {
      expect(refusal(() => checkQueryText(q)).reason, q).toMatch(/nested more than 200/);
    }
    // and Kusto reads the same text the same way: what follows those strings is code
    expect(compileKql(`T | where S == @"\\" and N == (1)`, options).sql).toContain("SELECT");
    expect(compileKql(`T | where S == "a\\"b" and N == (1)`, options).sql).toContain("SELECT");
  });

  it("empty and oversized queries", () => {
    expect(refusal(() => checkQueryText(" \n ")).reason).toBe("the query is empty");
    expect(refusal(() => checkQueryText("T | take 1 ".repeat(10_000))).reason).toBe("the query is longer than 100000 characters");
  });
});

describe("KqlError as plain data", () => {
  it("round-trips kind, message, position and code", () => {
    const e = new KqlError("unsupported", "x is not supported by local workspaces", { line: 2, column: 3, length: 4 }, "NotSupported");
    const back = KqlError.fromData(structuredClone(e.toData()));
    expect(back).toBeInstanceOf(KqlError);
    expect([back.kind, back.message, back.reason, back.position, back.code, back.laCode]).toEqual([
      "unsupported",
      "x is not supported by local workspaces (line 2, column 3)",
      "x is not supported by local workspaces",
      { line: 2, column: 3, length: 4 },
      "NotSupported",
      "SemanticError",
    ]);
  });
});
