/**
 * parse, parse-where and parse-kv over stored rows, where the conformance cases (documented examples on an empty workspace)
 * do not reach: a stored column or any expression as the source, every documented column type, what a row that does
 * not parse gives in each kind, and the constructs that are refused. Expected values follow the parse page
 * (https://learn.microsoft.com/kusto/query/parse-operator), the parse-where page and the to*() conversion pages.
 */
import { KqlError } from "@vaultwatch/kql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLocalQuery } from "./run";
import { dropWorkspaces, pool, rowsOf, workspaceWith } from "./test/pool";

const GUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
let ws: string;
beforeAll(async () => {
  ws = await workspaceWith({
    Events: {
      types: { N: "long", Message: "string", TimeGenerated: "datetime" },
      rows: [
        { N: 1, Message: `item=vm1 size=10.5 ok=true id=${GUID} took=01:30:00 code=7`, TimeGenerated: "2026-03-04T05:06:07Z" },
        { N: 2, Message: `item=db1 size=big ok=false id=${GUID} took=00:00:10 code=8`, TimeGenerated: "2026-03-05T00:00:00Z" },
        { N: 3, Message: "free text that has no fields", TimeGenerated: "2026-03-06T00:00:00Z" },
      ],
    },
  });
});
afterAll(dropWorkspaces);

async function failure(query: string): Promise<KqlError> {
  try {
    await runLocalQuery(pool, { workspaceId: ws, query });
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`expected '${query}' to fail`);
}

const typed = `parse Message with "item=" Item " size=" Size:real " ok=" Ok:bool " id=" Id:guid " took=" Took:timespan " code=" Code:int`;

describe("parse over a stored column", () => {
  it("each documented type converts its text; a row whose value does not convert, or that does not match, gets empty columns", async () => {
    const rows = await rowsOf(ws, `Events | ${typed} | project N, Item, Size, Ok, Id, Took, Code | order by N asc`);
    expect(rows).toEqual([
      { N: 1, Item: "vm1", Size: 10.5, Ok: true, Id: GUID, Took: "01:30:00", Code: 7 },
      // size=big is no real: kind=simple is strict, so the whole row reads as not parsed ("" for strings, null otherwise)
      { N: 2, Item: "", Size: null, Ok: null, Id: null, Took: null, Code: null },
      { N: 3, Item: "", Size: null, Ok: null, Id: null, Took: null, Code: null },
    ]);
  });

  it("kind=relaxed keeps the columns that convert; parse-where keeps only the rows that parse", async () => {
    const relaxed = await rowsOf(ws, `Events | ${typed.replace("parse", "parse kind=relaxed")} | project N, Item, Size, Ok, Code | order by N asc`);
    expect(relaxed).toEqual([
      { N: 1, Item: "vm1", Size: 10.5, Ok: true, Code: 7 },
      { N: 2, Item: "db1", Size: null, Ok: false, Code: 8 },
      { N: 3, Item: "", Size: null, Ok: null, Code: null },
    ]);
    const kept = await rowsOf(ws, `Events | ${typed.replace("parse", "parse-where")} | project N, Item`);
    expect(kept).toEqual([{ N: 1, Item: "vm1" }]);
  });

  it("the source may be any expression; a non-string one is read as its string form", async () => {
    const rows = await rowsOf(ws, 'Events | where N == 1 | parse strcat(N, "/", TimeGenerated) with n:long "/" year:int "-" month:int "-" * | project n, year, month');
    expect(rows).toEqual([{ n: 1, year: 2026, month: 3 }]);
    const fromDate = await rowsOf(ws, 'Events | where N == 2 | parse TimeGenerated with year:long "-" month:long "-" day:long "T" * | project year, month, day');
    expect(fromDate).toEqual([{ year: 2026, month: 3, day: 5 }]);
  });

  it("keeps the input's order: sort, parse, take returns the first rows in the sort's order", async () => {
    const rows = await rowsOf(ws, 'Events | order by N desc | parse Message with "item=" Item " " * | take 2 | project N, Item');
    expect(rows).toEqual([
      { N: 3, Item: "" },
      { N: 2, Item: "db1" },
    ]);
  });
});

describe("delimiters", () => {
  it("kind=simple reads a delimiter as plain text, regex characters included", async () => {
    const rows = await rowsOf(ws, 'print s = "a.b(c)*d[e]" | parse s with x "(" y ")*" z "[" w "]"');
    expect(rows).toEqual([{ s: "a.b(c)*d[e]", x: "a.b", y: "c", z: "d", w: "e" }]);
  });

  it("kind=regex reads a delimiter as an RE2 regular expression", async () => {
    const rows = await rowsOf(ws, 'print s = "id:   42;name: vm1" | parse kind=regex s with @"id:\\s+" id:long @";\\w+:\\s" name | project id, name');
    expect(rows).toEqual([{ id: 42, name: "vm1" }]);
  });

  it("kind=regex settles each quantifier in turn as RE2 does: a lazy one inside a delimiter stops at the first match", async () => {
    const rows = await rowsOf(ws, 'print s = "x= 1 b y=2 c y=3" | parse kind=regex s with @"x=\\s*\\d+\\s*.*?y=" rest | project rest');
    expect(rows).toEqual([{ rest: "2 c y=3" }]);
  });

  it("a string column is greedy in kind=regex, lazy under flags=U (the page's flags example)", async () => {
    expect(await rowsOf(ws, 'print s = "a,b,c" | parse kind=regex s with x "," y | project x, y')).toEqual([{ x: "a,b", y: "c" }]);
    expect(await rowsOf(ws, 'print s = "a,b,c" | parse kind=regex flags=U s with x "," y | project x, y')).toEqual([{ x: "a", y: "b,c" }]);
  });
});

describe("kind=simple without a regular expression (strpos/substr): the cases it must settle as the pattern does", () => {
  // the parse page: in simple mode every delimiter must occur in the text, each string column takes the text up to the
  // next delimiter (its first occurrence: the match is lazy) and the last one the rest; a row that does not parse gets ""
  const parseOf = (s: string, pattern: string) => rowsOf(ws, `print s = ${JSON.stringify(s)} | parse s with ${pattern} | project-away s`);

  it("a missing delimiter, or delimiters out of order, leaves the row unparsed; parse-where drops it", async () => {
    expect(await parseOf("vault-01", 'a "-" b "/" c')).toEqual([{ a: "", b: "", c: "" }]);
    expect(await parseOf("x/y-z", 'a "-" b "/" c')).toEqual([{ a: "", b: "", c: "" }]);
    expect(await rowsOf(ws, 'print s = "vault-01" | parse-where s with a "-" b "/" c')).toEqual([]);
  });

  it("repeated delimiters: each column stops at the first occurrence, the last takes the rest", async () => {
    expect(await parseOf("a-b-c-d", 'x "-" y "-" z')).toEqual([{ x: "a", y: "b", z: "c-d" }]);
    expect(await parseOf("--x", 'x "-" y')).toEqual([{ x: "", y: "-x" }]);
  });

  it("empty values between delimiters and at either end", async () => {
    expect(await parseOf("a==b=", 'x "=" y "=" z')).toEqual([{ x: "a", y: "", z: "b=" }]);
    expect(await parseOf("=", 'x "=" y')).toEqual([{ x: "", y: "" }]);
  });

  it("a pattern that starts with a delimiter matches at the start only", async () => {
    expect(await parseOf("id=7;id=8", '"id=" a ";" *')).toEqual([{ a: "7" }]);
    expect(await parseOf("x id=7;", '"id=" a ";" *')).toEqual([{ a: "" }]);
  });

  it("a pattern that ends with a delimiter needs the text to end with it, after the previous delimiter", async () => {
    expect(await parseOf("[a]b]", '"[" x "]"')).toEqual([{ x: "a]b" }]);
    expect(await parseOf("[a]b", '"[" x "]"')).toEqual([{ x: "" }]);
    // the closing "]" is the only one: it cannot also be the one after x
    expect(await parseOf("a]", 'x "]" y "]"')).toEqual([{ x: "", y: "" }]);
    expect(await parseOf("a]]", 'x "]" y "]"')).toEqual([{ x: "a", y: "" }]);
  });

  it("counts characters, not bytes: accented letters, emoji and newlines", async () => {
    expect(await parseOf("é😀→ü\nz→", 'x "→" y "→"')).toEqual([{ x: "é😀", y: "ü\nz" }]);
    expect(await parseOf("Zürich😀Genève", 'a "😀" b')).toEqual([{ a: "Zürich", b: "Genève" }]);
  });

  it("typed columns other than long/int convert the text they take; one that does not convert fails the row", async () => {
    expect(await parseOf("t=1.5|ok=true", '"t=" t:real "|ok=" ok:bool')).toEqual([{ t: 1.5, ok: true }]);
    expect(await parseOf("t=x|ok=true", '"t=" t:real "|ok=" ok:bool')).toEqual([{ t: null, ok: null }]);
  });

  it("an empty text matches only a pattern that needs no delimiter", async () => {
    expect(await parseOf("", 'a "-" b')).toEqual([{ a: "", b: "" }]);
    expect(await rowsOf(ws, 'print s = "" | parse-where s with a | project a')).toEqual([{ a: "" }]);
  });
});

describe("what parse refuses, naming the construct", () => {
  it.each([
    ["print s = 'a' | parse s with x:dynamic", /a parse column of type dynamic is not supported/],
    ["print s = 'a' | parse s with x:decimal", /a parse column of type decimal is not supported/],
    ["print s = 'a1b' | parse kind=regex s with x:datetime * 'b'", /'\*' right after a datetime parse column is not supported/],
    ["print s = 'a' | parse-where kind=relaxed s with x", /parse-where kind=relaxed is not supported/],
    ["print s = 'a' | parse kind=regex flags=x s with x", /the parse regex flag 'x' is not supported/],
    ["print s = 'ab' | parse kind=regex s with x '(a|ab)' y", /alternatives in a regular expression/],
    ["print s = 'a=1 b' | parse-kv s as (a:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true)", /parse-kv with greedy is not supported/],
    ["print s = 'a=\\'1\\'' | parse-kv s as (a:string) with (pair_delimiter=' ', kv_delimiter='=', quote=\"'\", escape='\\\\')", /parse-kv with escape is not supported/],
    ["print s = 'a: 1' | parse-kv s as (a:long)", /parse-kv without pair_delimiter and kv_delimiter/],
    ["print s = 'a=>1' | parse-kv s as (a:long) with (pair_delimiter=';', kv_delimiter='=>')", /kv_delimiter other than one character/],
  ])("%s", async (query, message) => {
    const e = await failure(query);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(message);
  });

  it("flags without kind=regex, and an invalid regular expression, are errors in the query", async () => {
    const flags = await failure("print s = 'a' | parse flags=i s with x");
    expect([flags.kind, flags.message]).toEqual(["semantic", expect.stringMatching(/flags= applies to kind=regex only/)]);
    const bad = await failure("print s = 'a' | parse kind=regex s with x '(' y");
    expect([bad.kind, bad.message]).toEqual(["semantic", expect.stringMatching(/invalid regular expression '\('/)]);
  });
});

describe("parse-kv (https://learn.microsoft.com/kusto/query/parse-kv-operator)", () => {
  it("the first appearance of a key wins; a key that does not appear is null, or empty for a string", async () => {
    const rows = await rowsOf(ws, "print s = 'code=7;note= busy ;code=9' | parse-kv s as (code:long, note:string, absent:long, empty:string) with (pair_delimiter=';', kv_delimiter='=') | project-away s");
    expect(rows).toEqual([{ code: 7, note: "busy", absent: null, empty: "" }]);
  });

  it("reads a stored column, each row on its own", async () => {
    const rows = await rowsOf(ws, "Events | parse-kv Message as (item:string, code:int) with (pair_delimiter=' ', kv_delimiter='=') | project N, item, code | order by N asc");
    expect(rows).toEqual([
      { N: 1, item: "vm1", code: 7 },
      { N: 2, item: "db1", code: 8 },
      { N: 3, item: "", code: null },
    ]);
  });
});
