/**
 * Tests on every column at once: `where * has "x"` (the where page's "Check if column contains string") and the
 * search operator's terms (https://learn.microsoft.com/kusto/query/search-operator: `search "err"` means
 * `where * has "err"`, `"err*"` hasprefix, `"*err"` hassuffix, `"*err*"` contains). A row passes when the string
 * form (tostring()) of some column passes the test.
 *
 * Performance: `contains` is one ILIKE/LIKE per column; the term operators (`has` and its prefix/suffix forms) need a
 * regular expression for the term boundaries, so each column is first tested with ILIKE/LIKE on the bare term (cheap,
 * and it rejects nearly every row) and only a row that passes runs the expression. A literal term is bound once for
 * all columns, and a column whose string form cannot hold one of the term's characters (a long cannot hold
 * "Backup") is not tested at all.
 */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar, Scope } from "../context";
import { kindName, type KExpr } from "../kusto";
import { constantString, regexArg } from "../regex";
import { compileScalar, sqlLikeEscape, sqlRegexEscape, toStringSql } from "../scalar";
import { likeEscape, regexEscape } from "../sql";

export type TermTest = "has" | "hasprefix" | "hassuffix" | "contains";

/** A term given as a literal (bound once) or as a string expression (a let value, tostring(...)). */
export type Term = { literal: string } | { value: Scalar };

/** The characters (lower-cased) of each type's string form: a term with any other character never matches it. */
const formChars: Partial<Record<KustoType, RegExp>> = {
  long: /^[0-9-]*$/,
  int: /^[0-9-]*$/,
  real: /^[0-9.+\-eainfty]*$/,
  decimal: /^[0-9.+\-eainfty]*$/,
  datetime: /^[0-9\-:.tz]*$/,
  timespan: /^[0-9\-:.]*$/,
  guid: /^[0-9a-f-]*$/,
  bool: /^[truefals]*$/,
};

const NOT_ALNUM = "[^[:alnum:]]";

/** SQL (a bool, never null) for "some column of `scope` passes `test` with `term`". */
export function anyColumnTerm(ctx: CompileContext, scope: Scope, test: TermTest, term: Term, caseSensitive: boolean): string {
  const like = caseSensitive ? "LIKE" : "ILIKE";
  const regex = caseSensitive ? "~" : "~*";
  const literal = "literal" in term ? term.literal : null;
  // the SQL of the LIKE pattern (the term anywhere) and, for the term operators, of the boundary expression
  let likeSql: string;
  let reSql: string | null = null;
  const before = test === "has" || test === "hasprefix";
  const after = test === "has" || test === "hassuffix";
  if (literal !== null) {
    likeSql = ctx.params.add(`%${likeEscape(literal)}%`, "text");
    if (test !== "contains") reSql = ctx.params.add(`${before ? `(^|${NOT_ALNUM})` : ""}${regexEscape(literal)}${after ? `($|${NOT_ALNUM})` : ""}`, "text");
  } else {
    const v = (term as { value: Scalar }).value;
    likeSql = `('%' || ${sqlLikeEscape(v.sql)} || '%')`;
    if (test !== "contains") reSql = `(${before ? `'(^|${NOT_ALNUM})' || ` : ""}${sqlRegexEscape(v.sql)}${after ? ` || '($|${NOT_ALNUM})'` : ""})`;
  }
  // lower-cased, so the test is conservative for case-sensitive matching too
  const folded = literal?.toLowerCase() ?? null;
  const tests = columnsOf(scope)
    .filter((c) => folded === null || (formChars[c.type]?.test(folded) ?? true))
    .map((c) => {
      const text = toStringSql(c);
      return reSql ? `(${text} ${like} ${likeSql} AND ${text} ${regex} ${reSql})` : `${text} ${like} ${likeSql}`;
    });
  return tests.length ? `COALESCE((${tests.join(" OR ")}), false)` : "false";
}

/** SQL (a bool, never null) for "some column's string form matches the regular expression `pattern`". */
export function anyColumnRegex(ctx: CompileContext, scope: Scope, pattern: KExpr, compiled?: Scalar): string {
  const re = regexArg(ctx, pattern, "match", compiled).sql;
  const tests = columnsOf(scope).map((c) => `${toStringSql(c)} ~ ${re}`);
  return tests.length ? `COALESCE((${tests.join(" OR ")}), false)` : "false";
}

const starOperators: Record<string, { test: TermTest; caseSensitive: boolean }> = {
  HasExpression: { test: "has", caseSensitive: false },
  HasCsExpression: { test: "has", caseSensitive: true },
  HasPrefixExpression: { test: "hasprefix", caseSensitive: false },
  HasPrefixCsExpression: { test: "hasprefix", caseSensitive: true },
  HasSuffixExpression: { test: "hassuffix", caseSensitive: false },
  HasSuffixCsExpression: { test: "hassuffix", caseSensitive: true },
  ContainsExpression: { test: "contains", caseSensitive: false },
  ContainsCsExpression: { test: "contains", caseSensitive: true },
};

/**
 * `* <op> value`: the operators the search page pairs with `*` (has, hasprefix, hassuffix, contains, matches regex,
 * and their case-sensitive forms). A negated or other operator over `*` is refused: whether `* !has "x"` means "no
 * column has it" or "some column lacks it" is not documented.
 */
export function starComparison(ctx: CompileContext, e: Kusto.Language.Syntax.BinaryExpression, scope: Scope): Scalar {
  const kind = kindName(e.Kind);
  const right = e.Right!;
  const rightKind = kindName(right.Kind);
  const literal = rightKind === "StringLiteralExpression" || rightKind === "CompoundStringLiteralExpression";
  const value = literal ? undefined : compileScalar(ctx, right, scope);
  if (value && value.type !== "string") throw ctx.semantic(`'${e.Operator!.Text}' needs a string right operand, got ${value.type}`, right);
  if (kind === "MatchesRegexExpression") return { sql: anyColumnRegex(ctx, scope, right, value), type: "bool" };
  const op = starOperators[kind];
  if (!op) throw ctx.unsupported(`'* ${e.Operator?.Text ?? kind}' (local workspaces test every column with has, hasprefix, hassuffix, contains and matches regex)`, e);
  // a let value or tostring() of one is a bound constant: used as a literal, it is bound once and prunes columns
  const text = constantString(ctx, right, value);
  const term: Term = text !== null ? { literal: text } : { value: value! };
  return { sql: anyColumnTerm(ctx, scope, op.test, term, op.caseSensitive), type: "bool" };
}

function columnsOf(scope: Scope): Scalar[] {
  return [...scope.columns.values()];
}
