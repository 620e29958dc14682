/**
 * parse-kv (https://learn.microsoft.com/kusto/query/parse-kv-operator): the listed keys' values out of a text of
 * key/value pairs, the first appearance of each, whitespace around keys and values ignored, a key that does not
 * appear null ("" for a string column). Two of the page's modes are compiled, each to one `regexp_matches(..., 'g')`:
 * - pair_delimiter/kv_delimiter (single characters), with an optional quote (one character, or an opening and a
 *   closing one) that may wrap a key or a value so that it can hold delimiters;
 * - regex: an RE2 pattern whose first group is the key and second the value.
 * The rest (escape, greedy=true, several quotes, delimiters of more than one character, the mode without
 * delimiters) is refused.
 */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext } from "../context";
import { elems, kindName, type KExpr, type KSyntax } from "../kusto";
import { RegexProblem, translateRegex } from "../regex";
import { compileScalar, stringLiteralValue, toStringSql } from "../scalar";
import { ident, regexEscape } from "../sql";
import { nullOf } from "../types";
import { convertParsed } from "./parse";
import { hidden, outputColumns, rowScope, type Rel } from "./rel";

type Pattern = { source: string; quote: [string, string] | null };

/** The with (...) properties, by lower-case name; a repeated one is refused. */
function properties(ctx: CompileContext, op: Kusto.Language.Syntax.ParseKvOperator): Map<string, KExpr> {
  const clause = op.WithClause as unknown as { Properties: unknown } | null;
  const props = new Map<string, KExpr>();
  for (const p of elems<Kusto.Language.Syntax.NamedParameter>((clause?.Properties ?? null) as never)) {
    const name = p.Name!.SimpleName!.toLowerCase();
    if (props.has(name)) throw ctx.unsupported(`parse-kv with more than one ${name}`, p);
    props.set(name, p.Expression!);
  }
  return props;
}

function text(ctx: CompileContext, e: KExpr, what: string): string {
  const kind = kindName(e.Kind);
  if (kind !== "StringLiteralExpression" && kind !== "CompoundStringLiteralExpression") throw ctx.semantic(`${what} must be a string literal`, e);
  return stringLiteralValue(e);
}

/** A character inside a bracket expression. */
const inBracket = (ch: string) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch);

function delimitedPattern(ctx: CompileContext, props: Map<string, KExpr>, node: KSyntax): Pattern {
  const pairNode = props.get("pair_delimiter");
  const kvNode = props.get("kv_delimiter");
  if (!pairNode || !kvNode) throw ctx.unsupported("parse-kv without pair_delimiter and kv_delimiter (delimiters found in the text)", node);
  const pair = text(ctx, pairNode, "pair_delimiter");
  const kv = text(ctx, kvNode, "kv_delimiter");
  if ([...pair].length !== 1) throw ctx.unsupported("a parse-kv pair_delimiter other than one character", pairNode);
  if ([...kv].length !== 1) throw ctx.unsupported("a parse-kv kv_delimiter other than one character", kvNode);
  const quoteNode = props.get("quote");
  let quote: [string, string] | null = null;
  if (quoteNode) {
    const q = [...text(ctx, quoteNode, "quote")];
    if (q.length < 1 || q.length > 2) throw ctx.semantic("quote is one character, or an opening and a closing one", quoteNode);
    quote = [q[0]!, q[1] ?? q[0]!];
  }
  const quoted = quote ? `${regexEscape(quote[0])}[^${inBracket(quote[1])}]*${regexEscape(quote[1])}|` : "";
  const key = `(${quoted}[^${inBracket(pair)}${inBracket(kv)}]*)`;
  const value = `(${quoted}[^${inBracket(pair)}]*)`;
  // each match starts at the text's start or at a pair delimiter; a piece without kv_delimiter is skipped
  return { source: `(?:^|${regexEscape(pair)})${key}${regexEscape(kv)}${value}`, quote };
}

function regexPattern(ctx: CompileContext, node: KExpr): Pattern {
  const pattern = text(ctx, node, "regex");
  try {
    const re = translateRegex(pattern, "capture");
    if (re.groups !== 2) throw ctx.semantic("the parse-kv regex must have exactly two capturing groups (key, value)", node);
    return { source: re.source, quote: null };
  } catch (err) {
    if (!(err instanceof RegexProblem)) throw err;
    if (err.kind === "invalid") throw ctx.semantic(`invalid regular expression '${pattern}': ${err.message}`, node);
    throw ctx.unsupported(err.message, node);
  }
}

export function parseKv(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.ParseKvOperator, pipe: KExpr): Rel {
  const props = properties(ctx, op);
  for (const name of props.keys()) {
    if (!["pair_delimiter", "kv_delimiter", "quote", "regex"].includes(name)) throw ctx.unsupported(`parse-kv with ${name}`, props.get(name)!);
  }
  const regexNode = props.get("regex");
  if (regexNode && props.size > 1) throw ctx.unsupported("parse-kv with regex and other properties", op);
  const pattern = regexNode ? regexPattern(ctx, regexNode) : delimitedPattern(ctx, props, op);

  const a = ctx.alias();
  const source = compileScalar(ctx, op.Expression!, rowScope(rel, a));
  const input = source.type === "string" ? source.sql : toStringSql(source);
  const out = outputColumns(ctx, pipe);
  const keys = elems<Kusto.Language.Syntax.NameAndTypeDeclaration>((op.Keys as unknown as { Columns: never }).Columns).map((d) => d.Name!.SimpleName!);

  const blank = `' ' || chr(9) || chr(10) || chr(13)`;
  const clean = (t: string) => {
    const trimmed = `btrim(${t}, ${blank})`;
    if (!pattern.quote) return trimmed;
    const [open, close] = pattern.quote.map((q) => ctx.params.add(q, "text"));
    return `(CASE WHEN length(${trimmed}) >= 2 AND left(${trimmed}, 1) = ${open} AND right(${trimmed}, 1) = ${close} THEN substr(${trimmed}, 2, length(${trimmed}) - 2) ELSE ${trimmed} END)`;
  };
  const re = ctx.params.add(pattern.source, "text");
  const types = new Map(out.map((c): [string, KustoType] => [c.name, c.type]));
  const select = out.map((c) => {
    if (!keys.includes(c.name)) {
      if (!rel.cols.some((r) => r.name === c.name)) throw ctx.unsupported("this form of parse-kv", op);
      return `${a}.${ident(c.name)}`;
    }
    // the first appearance of the key
    const found = `(SELECT ${clean("r.m[2]")} FROM regexp_matches(${input}, ${re}, 'g') WITH ORDINALITY AS r(m, n) WHERE ${clean("r.m[1]")} = ${ctx.params.add(c.name, "text")} ORDER BY r.n LIMIT 1)`;
    const type = types.get(c.name)!;
    const value = type === "string" ? `COALESCE(${found}, '')` : `COALESCE(${convertParsed(ctx, found, type, op)}, ${nullOf(type)})`;
    return `${value} AS ${ident(c.name)}`;
  });
  return { ...rel, sql: `SELECT ${[...select, ...hidden(rel, a)].join(", ")} FROM (${rel.sql}) AS ${a}`, cols: out };
}
