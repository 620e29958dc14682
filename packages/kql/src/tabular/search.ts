/**
 * `search [kind=case_sensitive] [in (T1, T2)] Predicate` (https://learn.microsoft.com/kusto/query/search-operator):
 * the rows of the named tables (every table of the workspace without `in`, or the piped input) where the predicate
 * holds, with a `$table` column naming each row's table. A bare string term matches a row when some column's string form
 * passes the page's test for it (tabular/any-column.ts): "err" has, "err*" hasprefix, "*err" hassuffix, "*err*"
 * contains; case-insensitive unless kind=case_sensitive. `Column:"term"` applies the same test to that one column,
 * `search *` keeps every row. A `*` inside a term ("Lab*PC", a regular expression) is refused.
 */
import type { CompileContext, Scope } from "../context";
import { elems, kindName, Syn, toArray, type KExpr } from "../kusto";
import { compileScalar, stringLiteralValue } from "../scalar";
import { ident } from "../sql";
import { compileTabular, tableSource } from "../tabular";
import { nullOf } from "../types";
import { anyColumnTerm, type TermTest } from "./any-column";
import { namedParameter, outputColumns, scopeOf, type Rel } from "./rel";

type Source = { label: string; rel: Rel };

export function search(ctx: CompileContext, input: Rel | null, op: Kusto.Language.Syntax.SearchOperator, node: KExpr): Rel {
  const inputExpr = node instanceof Syn.PipeExpression ? node.Expression : null;
  const kindExpr = namedParameter(op, "kind");
  // the page's kinds: default and case_insensitive are one
  const kind = kindExpr ? ctx.text(kindExpr).toLowerCase() : "default";
  if (kind !== "case_sensitive" && kind !== "case_insensitive" && kind !== "default") throw ctx.semantic(`search kind=${kind}`, kindExpr!);
  const inputLabel = inputExpr instanceof Syn.NameReference ? inputExpr.SimpleName! : "";
  const sources = input ? [{ label: inputLabel, rel: input }] : searchSources(ctx, op);
  const out = outputColumns(ctx, node);
  const cond = op.Condition!;
  const branches: string[] = [];
  for (const { label, rel } of sources) {
    const a = ctx.alias("u");
    const scope = scopeOf(rel, a);
    const where = predicate(ctx, cond, scope, kind === "case_sensitive");
    const select = out.map((c) => {
      if (c.name === "$table") return `${ctx.params.add(label, "text")} AS ${ident(c.name)}`;
      const src = rel.cols.find((x) => x.name === c.name);
      if (!src) return `${nullOf(c.type)} AS ${ident(c.name)}`;
      if (src.type !== c.type) throw ctx.unsupported("search over tables whose same-named columns differ in type", op);
      return `${a}.${ident(c.name)} AS ${ident(c.name)}`;
    });
    branches.push(`SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${a} WHERE ${where}`);
  }
  if (branches.length === 0) {
    branches.push(`SELECT ${out.map((c) => `${nullOf(c.type)} AS ${ident(c.name)}`).join(", ")} WHERE false`);
  }
  if (input && branches.length === 1 && !out.some((c) => c.name === "$table")) {
    return { ...input, sql: branches[0]!, cols: out, ingestion: false, order: [] };
  }
  return { sql: branches.join(" UNION ALL "), cols: out, ingestion: false, order: [] };
}

function searchSources(ctx: CompileContext, op: Kusto.Language.Syntax.SearchOperator): Source[] {
  const inClause = op.InClause as unknown as { Expressions: unknown } | null;
  if (!inClause) return ctx.options.tables.map((t) => ({ label: t.name, rel: tableSource(ctx, t.name) }));
  return elems<KExpr>(inClause.Expressions as never).map((e) => {
    if (e instanceof Syn.NameReference && e.Name instanceof Syn.WildcardedName) throw ctx.unsupported("wildcard table names in search", e);
    return { label: e instanceof Syn.NameReference ? e.SimpleName! : ctx.text(e), rel: compileTabular(ctx, e) };
  });
}

/** Whether every column the predicate names exists in this scope (a let or function name is fine too). */
function namesResolve(ctx: CompileContext, cond: KExpr, scope: Scope): boolean {
  const refs = [cond, ...toArray<KExpr>(cond.GetDescendants(Syn.NameReference))];
  return refs
    .filter((n) => n instanceof Syn.NameReference && !(n.Parent instanceof Syn.FunctionCallExpression))
    .every((n) => {
      const name = (n as Kusto.Language.Syntax.NameReference).SimpleName!;
      return scope.columns.has(name) || ctx.scalarLets.has(name);
    });
}

function predicate(ctx: CompileContext, e: KExpr, scope: Scope, caseSensitive: boolean): string {
  const kind = kindName(e.Kind);
  if (e instanceof Syn.ParenthesizedExpression) return `(${predicate(ctx, e.Expression!, scope, caseSensitive)})`;
  if (kind === "AndExpression" || kind === "OrExpression") {
    const b = e as Kusto.Language.Syntax.BinaryExpression;
    return `(${predicate(ctx, b.Left!, scope, caseSensitive)} ${kind === "AndExpression" ? "AND" : "OR"} ${predicate(ctx, b.Right!, scope, caseSensitive)})`;
  }
  if (kind === "StringLiteralExpression") return searchTerm(ctx, stringLiteralValue(e), e, scope, caseSensitive);
  if (kind === "StarExpression") return "true";
  if (kind === "SearchExpression") {
    // Column:"term": the term's test on that column alone; a table without the column has no matching row
    const b = e as Kusto.Language.Syntax.BinaryExpression;
    const column = b.Left instanceof Syn.NameReference ? scope.columns.get(b.Left.SimpleName!) : undefined;
    if (!(b.Right instanceof Syn.LiteralExpression) || kindName(b.Right.Kind) !== "StringLiteralExpression") {
      throw ctx.unsupported(`the search term '${ctx.text(b.Right!)}' (a string literal is expected)`, b.Right!);
    }
    if (!(b.Left instanceof Syn.NameReference)) throw ctx.unsupported(`'${ctx.text(e)}' (Column:"term" takes a column name)`, e);
    if (!column) return "false";
    return searchTerm(ctx, stringLiteralValue(b.Right), b.Right, { columns: new Map([[b.Left.SimpleName!, column]]) }, caseSensitive);
  }
  // a test of a column this table lacks matches none of its rows
  if (!namesResolve(ctx, e, scope)) return "false";
  const c = compileScalar(ctx, e, scope);
  if (c.type !== "bool") throw ctx.semantic(`a search predicate must be a bool expression, '${ctx.text(e)}' is ${c.type}`, e);
  return `COALESCE(${c.sql}, false)`;
}

/** A search term's test, chosen by where its `*` wildcards stand (the search page's table). */
function searchTerm(ctx: CompileContext, term: string, e: KExpr, scope: Scope, caseSensitive: boolean): string {
  const lead = term.startsWith("*");
  const trail = term.length > 1 && term.endsWith("*");
  const bare = term.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (bare.includes("*") || (bare === "" && (lead || trail))) {
    throw ctx.unsupported(`the search term "${term}" (a * inside a term, which Kusto reads as a regular expression)`, e);
  }
  const test: TermTest = lead && trail ? "contains" : lead ? "hassuffix" : trail ? "hasprefix" : "has";
  return anyColumnTerm(ctx, scope, test, { literal: bare }, caseSensitive);
}
