/**
 * `search [kind=case_sensitive] [in (T1, T2)] Predicate` (https://learn.microsoft.com/kusto/query/search-operator):
 * the rows of the named tables (every table of the workspace without `in`, or the piped input) where the predicate
 * holds, with a `$table` column naming each row's table. A bare string term matches a row when any of its string or
 * dynamic columns `has` it (case-insensitive unless kind=case_sensitive). Wildcard terms ("err*") are refused.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type { CompileContext, Scope } from "../context";
import { elems, kindName, Syn, toArray, type KExpr } from "../kusto";
import { compileScalar, stringLiteralValue } from "../scalar";
import { ident, regexEscape } from "../sql";
import { compileTabular, tableSource } from "../tabular";
import { nullOf } from "../types";
import { namedParameter, outputColumns, scopeOf, type Rel } from "./rel";

type Source = { label: string; rel: Rel };

export function search(ctx: CompileContext, input: Rel | null, op: Kusto.Language.Syntax.SearchOperator, node: KExpr): Rel {
  const inputExpr = node instanceof Syn.PipeExpression ? node.Expression : null;
  const kindExpr = namedParameter(op, "kind");
  const kind = kindExpr ? ctx.text(kindExpr).toLowerCase() : "case_insensitive";
  if (kind !== "case_sensitive" && kind !== "case_insensitive") throw ctx.semantic(`search kind=${kind}`, kindExpr!);
  const inputLabel = inputExpr instanceof Syn.NameReference ? inputExpr.SimpleName! : "";
  const sources = input ? [{ label: inputLabel, rel: input }] : searchSources(ctx, op);
  const out = outputColumns(ctx, node);
  const cond = op.Condition!;
  const branches: string[] = [];
  for (const { label, rel } of sources) {
    const a = ctx.alias("u");
    const scope = scopeOf(rel, a);
    const where = predicate(ctx, cond, scope, kind === "case_sensitive", rel.cols);
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

function predicate(ctx: CompileContext, e: KExpr, scope: Scope, caseSensitive: boolean, cols: ColumnSchema[]): string {
  const kind = kindName(e.Kind);
  if (e instanceof Syn.ParenthesizedExpression) return `(${predicate(ctx, e.Expression!, scope, caseSensitive, cols)})`;
  if (kind === "AndExpression" || kind === "OrExpression") {
    const b = e as Kusto.Language.Syntax.BinaryExpression;
    return `(${predicate(ctx, b.Left!, scope, caseSensitive, cols)} ${kind === "AndExpression" ? "AND" : "OR"} ${predicate(ctx, b.Right!, scope, caseSensitive, cols)})`;
  }
  if (kind === "StringLiteralExpression") return anyColumnHas(ctx, stringLiteralValue(e), e, scope, caseSensitive, cols);
  // a test of a column this table lacks matches none of its rows
  if (!namesResolve(ctx, e, scope)) return "false";
  const c = compileScalar(ctx, e, scope);
  if (c.type !== "bool") throw ctx.semantic(`a search predicate must be a bool expression, '${ctx.text(e)}' is ${c.type}`, e);
  return `COALESCE(${c.sql}, false)`;
}

/** `search "term"`: some string or dynamic column has the term (whole-term match, as `has`). */
function anyColumnHas(ctx: CompileContext, term: string, e: KExpr, scope: Scope, caseSensitive: boolean, cols: ColumnSchema[]): string {
  if (term.includes("*")) throw ctx.unsupported(`the wildcard search term "${term}"`, e);
  const pattern = ctx.params.add(`(^|[^[:alnum:]])${regexEscape(term)}($|[^[:alnum:]])`, "text");
  const tests = cols
    .filter((c) => c.type === "string" || c.type === "dynamic")
    .map((c) => {
      const ref = scope.columns.get(c.name)!.sql;
      return `${c.type === "dynamic" ? `(${ref})::text` : ref} ${caseSensitive ? "~" : "~*"} ${pattern}`;
    });
  return tests.length ? `(${tests.join(" OR ")})` : "false";
}
