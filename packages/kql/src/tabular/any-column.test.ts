/** `where * …` and search terms, compiled without a database: what is refused, and what each row test reads. */
import { describe, expect, it } from "vitest";
import { compileKql, KqlError, type CompileOptions } from "../index";

const options: CompileOptions = {
  tables: [
    {
      name: "Jobs",
      columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "JobOperation", type: "string" },
        { name: "DurationMs", type: "long" },
        { name: "Props", type: "dynamic" },
      ],
    },
  ],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
  now: new Date("2026-11-24T00:00:00Z"),
};

const fail = (q: string): KqlError => {
  try {
    compileKql(q, options);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`compiled: ${q}`);
};

describe("where * <operator>", () => {
  it("compiles the operators the search page pairs with *", () => {
    for (const op of ["has", "has_cs", "hasprefix", "hassuffix_cs", "contains", "contains_cs", "matches regex"]) {
      expect(() => compileKql(`Jobs | where * ${op} "Backup"`, options)).not.toThrow();
    }
  });

  it("refuses a negated or other operator over *, naming it", () => {
    for (const op of ["!has", "!contains", "startswith", "==", "=~"]) {
      const e = fail(`Jobs | where * ${op} "Backup"`);
      expect([e.kind, e.message]).toEqual(["unsupported", expect.stringContaining(`'* ${op}'`)]);
    }
  });

  it("takes a let value as the term, and refuses a non-string one", () => {
    const c = compileKql('let v = "Backup"; Jobs | where * contains tostring(v)', options);
    expect(c.params).toContain("%Backup%");
    expect(fail("Jobs | where * has DurationMs").kind).toBe("semantic");
  });

  it("does not convert a column whose string form cannot hold the term", () => {
    // a long is digits and '-', a datetime digits and -:.TZ: neither can hold "Backup"
    const letters = compileKql('Jobs | where * has "Backup"', options).sql;
    expect(letters).not.toContain(`"DurationMs")::text`);
    expect(letters).not.toContain("to_char(");
    const digits = compileKql('Jobs | where * has "2026"', options).sql;
    expect(digits).toContain(`"DurationMs")::text`);
    expect(digits).toContain("to_char(");
  });
});

describe("search terms", () => {
  it("refuses a * inside a term (the page reads it as a regular expression)", () => {
    const e = fail('search in (Jobs) "Back*up"');
    expect([e.kind, e.message]).toEqual(["unsupported", expect.stringContaining('"Back*up"')]);
  });

  it("accepts kind=default as case-insensitive", () => {
    expect(compileKql('search kind=default in (Jobs) "backup"', options).sql).toContain("~*");
  });
});

describe("make-series without from/to", () => {
  it("is refused with what to write instead", () => {
    const e = fail("Jobs | make-series count() on TimeGenerated step 1h");
    expect([e.kind, e.message]).toEqual(["unsupported", expect.stringContaining("give from … to … step …")]);
    expect(fail("Jobs | make-series count() on TimeGenerated from datetime(2026-01-01) step 1h").kind).toBe("unsupported");
  });
});
