/**
 * parse and parse-where (https://learn.microsoft.com/kusto/query/parse-operator, .../parse-where-operator).
 *
 * A kind=simple pattern whose columns all take text is matched with strpos/substr (parse-delimited.ts: the same
 * answer, several times faster). Any other pattern becomes one anchored regular expression matched with `regexp_match`, one capture group per column
 * and per `*`, as the parse page describes for regex mode (`*` → `.*?`, a long → digits). Every variable part is
 * its own group (a regex delimiter's top-level quantifiers too): Postgres then gives each group its own greediness,
 * earlier groups first, which is how RE2 settles a match of such a sequence. What the documented examples fix:
 * - simple (default) and relaxed: delimiters are plain text; a string column takes the shortest text up to the next
 *   delimiter, the last one the rest of the string; `.` crosses newlines (the delimiters decide, not lines).
 * - regex: delimiters are RE2 fragments; a string column is greedy (the page's flags=U example: "the default mode is
 *   greedy"), `.` stops at a newline unless flags=s, U swaps every quantifier's greediness, i ignores case.
 * - a long/int column matches `-?\d+`; other typed columns take text like a string column and convert it
 *   (surrounding whitespace ignored, as .NET's parsing does). A value that does not convert fails the whole row in
 *   simple and regex mode (every parsed column null, "" for strings) and only its own column in relaxed mode.
 *   A typed column other than long/int directly before `*` would need Kusto's own pattern for that type: refused.
 * - parse-where keeps only the rows that parsed.
 */
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar } from "../context";
import { guidFromText, timespanFromText, toBool, toDatetime, toDouble, toInteger } from "../fn/convert";
import { kindName, toArray, type KExpr, type KSyntax } from "../kusto";
import { RegexProblem, translateRegex } from "../regex";
import { compileScalar, stringLiteralValue, toStringSql } from "../scalar";
import { ident, regexEscape } from "../sql";
import { nullOf } from "../types";
import { delimitedMatch, type Match, type Piece } from "./parse-delimited";
import { hidden, namedParameter, outputColumns, rowScope, type Rel } from "./rel";

type Kind = "simple" | "regex" | "relaxed";
type Flags = { U: boolean; i: boolean; m: boolean; s: boolean };
type Parsed = { name: string; type: KustoType; group: number };

type ParseNode = Kusto.Language.Syntax.ParseOperator | Kusto.Language.Syntax.ParseWhereOperator;

function kindOf(ctx: CompileContext, op: ParseNode, keepUnmatched: boolean): Kind {
  const p = namedParameter(op, "kind");
  const kind = p ? ctx.text(p).trim().toLowerCase() : "simple";
  if (kind !== "simple" && kind !== "regex" && kind !== "relaxed") throw ctx.semantic(`kind=${kind}: parse takes kind=simple, regex or relaxed`, p!);
  // parse-where's page documents simple and regex only
  if (kind === "relaxed" && !keepUnmatched) throw ctx.unsupported("parse-where kind=relaxed", p!);
  return kind;
}

function flagsOf(ctx: CompileContext, op: ParseNode, kind: Kind): Flags {
  const flags: Flags = { U: false, i: false, m: false, s: false };
  const p = namedParameter(op, "flags");
  if (!p) return flags;
  if (kind !== "regex") throw ctx.semantic("flags= applies to kind=regex only", p);
  for (const f of ctx.text(p).trim()) {
    if (f === "U" || f === "i" || f === "m" || f === "s") flags[f] = true;
    else throw ctx.unsupported(`the parse regex flag '${f}'`, p);
  }
  return flags;
}

function piecesOf(ctx: CompileContext, op: ParseNode): Piece[] {
  return toArray<KSyntax>(op.Patterns as never).map((node): Piece => {
    const kind = kindName(node.Kind);
    if (kind === "StarExpression") return { star: true, node };
    if (kind === "StringLiteralExpression" || kind === "CompoundStringLiteralExpression") return { text: stringLiteralValue(node as KExpr), node };
    if (node instanceof Kusto.Language.Syntax.NameDeclaration) return { column: node.SimpleName!, node };
    if (node instanceof Kusto.Language.Syntax.NameAndTypeDeclaration) return { column: node.Name!.SimpleName!, node };
    throw ctx.unsupported(`'${ctx.text(node)}' in a parse pattern`, node);
  });
}

/** A captured text converted to the column's type; null when it does not convert (parse-kv's values too). */
export function convertParsed(ctx: CompileContext, text: string, type: KustoType, node: KSyntax): string {
  // .NET's parsers ignore whitespace around a value (the parse page's flags=s example reads "…08:40:00\n" as a datetime)
  const t: Scalar = { sql: `btrim(${text}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))`, type: "string" };
  switch (type) {
    case "string":
      return text;
    case "long":
      return toInteger(t, "bigint");
    case "int":
      return toInteger(t, "integer");
    case "real":
      return toDouble(t);
    case "datetime":
      return toDatetime(t);
    case "bool":
      return toBool(t);
    case "guid":
      return guidFromText(t.sql);
    case "timespan":
      return timespanFromText(t.sql);
    default:
      throw ctx.unsupported(`a parse column of type ${type}`, node);
  }
}

/** The ARE for the pattern, and which group holds each column. */
function buildPattern(ctx: CompileContext, pieces: Piece[], kind: Kind, flags: Flags, types: Map<string, KustoType>) {
  const any = kind !== "regex" || flags.s ? "." : "[^\\n]";
  // RE2's U flag swaps the greediness of the quantifiers parse generates too
  const lazy = (q: string, wantLazy: boolean) => `${q}${wantLazy !== flags.U ? "?" : ""}`;
  let body = "";
  let groups = 0;
  const options = new Set<string>();
  const columns: Parsed[] = [];
  pieces.forEach((piece, idx) => {
    const next = pieces[idx + 1];
    if ("star" in piece) {
      body += `(${any}${lazy("*", true)})`;
      groups += 1;
      return;
    }
    if ("text" in piece) {
      if (kind !== "regex") {
        body += regexEscape(piece.text);
        return;
      }
      const re = fragment(ctx, piece, flags);
      for (const o of re.options.replace(/[()?]/g, "")) options.add(o);
      // spliced in as it is (its quantifiers are groups of their own); alternatives need a group to stay apart
      body += re.alternation ? `(${re.body})` : re.body;
      groups += re.groups + (re.alternation ? 1 : 0);
      return;
    }
    const type = types.get(piece.column)!;
    const beforeStar = next !== undefined && "star" in next;
    let capture: string;
    if (type === "long" || type === "int") {
      // in relaxed mode a value that is not a number reads as null; before `*` that is "no digits here"
      if (kind === "relaxed") capture = beforeStar ? `(-?[0-9]+)?` : `(.*?)`;
      else capture = `(-?[0-9]${lazy("+", false)})`;
    } else {
      if (type !== "string" && beforeStar) throw ctx.unsupported(`'*' right after a ${type} parse column`, next.node);
      capture = kind === "regex" ? `(${any}${lazy("*", false)})` : `(.*?)`;
    }
    body += capture;
    groups += 1;
    columns.push({ name: piece.column, type, group: groups });
  });
  const prefix = options.size ? `(?${[...options].join("")})` : "";
  return { source: `${prefix}\\A${body}\\Z`, columns };
}

/** A regex-mode delimiter: RE2 translated to an ARE under the operator's flags. */
function fragment(ctx: CompileContext, piece: { text: string; node: KSyntax }, flags: Flags) {
  if (/^\(\?[a-zA-Z-]*\)/.test(piece.text)) throw ctx.unsupported("regular expression flags inside a parse delimiter (use flags=)", piece.node);
  const leading = `${flags.i ? "i" : ""}${flags.m ? "m" : ""}${flags.s ? "s" : ""}`;
  try {
    return translateRegex(`${leading ? `(?${leading})` : ""}${piece.text}`, "capture", { ungreedy: flags.U, isolateQuantifiers: true });
  } catch (err) {
    if (!(err instanceof RegexProblem)) throw err;
    if (err.kind === "invalid") throw ctx.semantic(`invalid regular expression '${piece.text}': ${err.message}`, piece.node);
    throw ctx.unsupported(err.message, piece.node);
  }
}

/** The anchored regular expression for any kind: a lateral holding regexp_match's groups. */
function regexMatch(ctx: CompileContext, pieces: Piece[], kind: Kind, flags: Flags, types: Map<string, KustoType>, text: string): Match {
  const { source: pattern, columns } = buildPattern(ctx, pieces, kind, flags, types);
  const x = ctx.alias("x");
  // a cheap necessary condition first: in simple and relaxed mode every delimiter occurs in a text that parses
  const delimiters = kind === "regex" ? [] : pieces.flatMap((piece) => ("text" in piece && piece.text ? [piece.text] : []));
  const present = [...new Set(delimiters)].map((d) => `strpos(${text}, ${ctx.params.add(d, "text")}) > 0`);
  const re = `regexp_match(${text}, ${ctx.params.add(pattern, "text")})`;
  const m = present.length ? `CASE WHEN ${present.join(" AND ")} THEN ${re} END` : re;
  // OFFSET 0: inlined, regexp_match would run once per column that reads its groups
  return { laterals: [`(SELECT ${m} AS m OFFSET 0) AS ${x}`], matched: `${x}.m IS NOT NULL`, columns: columns.map((c) => ({ ...c, text: `${x}.m[${c.group}]` })) };
}

/** `keepUnmatched`: parse (a row that does not parse stays, its columns empty) or parse-where (it goes). */
export function parse(ctx: CompileContext, rel: Rel, op: ParseNode, pipe: KExpr, keepUnmatched: boolean): Rel {
  const kind = kindOf(ctx, op, keepUnmatched);
  const flags = flagsOf(ctx, op, kind);
  const a = ctx.alias();
  const scope = rowScope(rel, a);
  const source = compileScalar(ctx, op.Expression!, scope);
  const text = source.type === "string" ? source.sql : toStringSql(source);
  const out = outputColumns(ctx, pipe);
  const types = new Map(out.map((c): [string, KustoType] => [c.name, c.type]));
  const pieces = piecesOf(ctx, op);
  const match = (kind === "simple" ? delimitedMatch(ctx, pieces, types, text) : null) ?? regexMatch(ctx, pieces, kind, flags, types, text);

  const p = ctx.alias("p");
  const values = match.columns.map((c, i) => `${convertParsed(ctx, c.text, c.type, op)} AS v${i}`);
  // OFFSET 0: Postgres would otherwise inline a conversion into every place that reads it, running it once per read
  const fence = match.columns.some((c) => c.type !== "string") ? " OFFSET 0" : "";
  const lateral = [...match.laterals, `(SELECT ${[`${match.matched} AS ok`, ...values].join(", ")}${fence}) AS ${p}`].join(" CROSS JOIN LATERAL ");
  // strict kinds: a typed value that does not convert means the row did not parse
  const strictChecks = kind === "relaxed" ? [] : match.columns.flatMap((c, i) => (c.type === "string" ? [] : [`${p}.v${i} IS NOT NULL`]));
  const parsed = [`${p}.ok`, ...strictChecks].join(" AND ");
  const columns = match.columns;

  const byName = new Map(columns.map((c, i) => [c.name, { ...c, i }]));
  const select = out.map((c: ColumnSchema) => {
    const col = byName.get(c.name);
    if (col) return `CASE WHEN ${parsed} THEN ${p}.v${col.i} ELSE ${nullOf(c.type)} END AS ${ident(c.name)}`;
    if (!rel.cols.some((r) => r.name === c.name)) throw ctx.unsupported("this form of parse", op);
    return `${a}.${ident(c.name)}`;
  });
  const where = keepUnmatched ? "" : ` WHERE ${parsed}`;
  return { ...rel, sql: `SELECT ${[...select, ...hidden(rel, a)].join(", ")} FROM (${rel.sql}) AS ${a} CROSS JOIN LATERAL ${lateral}${where}`, cols: out };
}
