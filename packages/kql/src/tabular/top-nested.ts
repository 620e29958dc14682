/**
 * `top-nested N1 of K1 by Agg1 [asc|desc], top-nested N2 of K2 by Agg2, ...`
 * (https://learn.microsoft.com/kusto/query/top-nested-operator): level 1 keeps the N1 values of K1 with the highest
 * (lowest, with asc) Agg1; level 2, within each kept K1 value, the N2 values of K2 by Agg2 over that K1's rows; and so
 * on. One row per kept leaf, carrying its ancestors' values and aggregates. Without N a level keeps every value.
 * `with others = C` adds one row whose value is C and whose aggregate is over every row that did not make the top
 * (the page: "one record is added with the value that is the aggregation over all records that didn't make it to the
 * top"); on a single level only, since the page does not say what the levels below an others row hold.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type { CompileContext, Scalar } from "../context";
import { elems, Syn, type KExpr } from "../kusto";
import { castTo, compileScalar, ordered } from "../scalar";
import { ident } from "../sql";
import { isNumeric } from "../types";
import { outputColumns, plain, scopeOf, type Rel } from "./rel";

type Level = { key: Scalar; agg: Scalar; desc: boolean; n: string | null };

export function topNested(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.TopNestedOperator, pipe: KExpr): Rel {
  ctx.planner.joins = true;
  const out = outputColumns(ctx, pipe);
  const clauses = elems<Kusto.Language.Syntax.TopNestedClause>(op.Clauses);
  if (out.length !== clauses.length * 2) throw ctx.unsupported("this form of top-nested", op);
  const a = ctx.alias();
  const scope = scopeOf(rel, a);
  const others = clauses[0]!.WithOthersClause;
  for (const c of clauses) {
    if (c.WithOthersClause && clauses.length > 1) throw ctx.unsupported("top-nested with others when there is more than one level", c.WithOthersClause);
  }
  const levels: Level[] = clauses.map((c) => {
    const keyExpr = c.OfExpression instanceof Syn.SimpleNamedExpression ? c.OfExpression.Expression! : c.OfExpression!;
    let by = c.ByExpression!;
    let desc = true;
    if (by instanceof Syn.OrderedExpression) {
      desc = by.Ordering?.AscOrDescKeyword?.Text !== "asc";
      if (by.Ordering?.NullsClause) throw ctx.unsupported("nulls first/last in top-nested", by);
      by = by.Expression!;
    }
    if (by instanceof Syn.SimpleNamedExpression) by = by.Expression!;
    const n = c.Expression ? compileScalar(ctx, c.Expression, { columns: new Map() }) : null;
    if (n && n.type !== "long" && n.type !== "int") throw ctx.semantic("top-nested needs an integer count", c.Expression!);
    return {
      key: compileScalar(ctx, keyExpr, scope),
      agg: compileScalar(ctx, by, { ...scope, aggregating: true }),
      desc,
      n: n?.sql ?? null,
    };
  });

  // level i: every (K1..Ki) group with its aggregate, ranked within its parent (K1..Ki-1)
  const ranked = levels.map((lv, i) => {
    const keys = levels.slice(0, i + 1).map((l) => l.key.sql);
    const parent = keys.slice(0, i);
    const select = keys.map((k, j) => `${k} AS "k${j + 1}"`);
    const rank = `row_number() OVER (${parent.length ? `PARTITION BY ${parent.join(", ")} ` : ""}ORDER BY ${ordered(lv.agg)} ${lv.desc ? "DESC" : "ASC"} NULLS LAST)`;
    const grouped = `SELECT ${select.join(", ")}, ${lv.agg.sql} AS "v", ${rank} AS "r" FROM (${rel.sql}) AS ${a} GROUP BY ${keys.map((_, j) => j + 1).join(", ")}`;
    const q = ctx.alias("n");
    return `SELECT * FROM (${grouped}) AS ${q}${lv.n ? ` WHERE ${q}."r" <= ${lv.n}` : ""}`;
  });

  // chain the levels: a child is kept only under a kept parent
  let sql = `SELECT "k1", "v" AS "v1" FROM (${ranked[0]}) AS p1`;
  for (let i = 1; i < levels.length; i++) {
    const p = ctx.alias("p");
    const c = ctx.alias("c");
    const carried = Array.from({ length: i }, (_, j) => [`${p}."k${j + 1}"`, `${p}."v${j + 1}"`]).flat();
    const on = Array.from({ length: i }, (_, j) => `${p}."k${j + 1}" IS NOT DISTINCT FROM ${c}."k${j + 1}"`).join(" AND ");
    sql = `SELECT ${carried.join(", ")}, ${c}."k${i + 1}", ${c}."v" AS "v${i + 1}" FROM (${sql}) AS ${p} JOIN (${ranked[i]}) AS ${c} ON ${on}`;
  }
  const f = ctx.alias("f");
  const select = levels.flatMap((lv, i) => [
    `${castTo({ sql: `${f}."k${i + 1}"`, type: lv.key.type }, out[2 * i]!.type).sql} AS ${ident(out[2 * i]!.name)}`,
    `${castTo({ sql: `${f}."v${i + 1}"`, type: lv.agg.type }, out[2 * i + 1]!.type).sql} AS ${ident(out[2 * i + 1]!.name)}`,
  ]);
  if (!others) return plain(`SELECT ${select.join(", ")} FROM (${sql}) AS ${f}`, out);
  // the kept values are read twice (their rows, and the others row's exclusion): a CTE read twice is computed once
  const kept = ctx.alias("kept");
  return plain(`WITH ${kept} AS (${sql}) SELECT ${select.join(", ")} FROM ${kept} AS ${f} UNION ALL ${othersRow(ctx, rel, clauses[0]!, others, kept, out)}`, out);
}

/** The `with others` row of a single level: its constant, and the aggregate over the rows whose value is not in `kept`. */
function othersRow(
  ctx: CompileContext,
  rel: Rel,
  clause: Kusto.Language.Syntax.TopNestedClause,
  others: Kusto.Language.Syntax.TopNestedWithOthersClause,
  kept: string,
  out: ColumnSchema[],
): string {
  const o = ctx.alias();
  const scope = scopeOf(rel, o);
  const value = compileScalar(ctx, others.Expression!, { columns: new Map() });
  const keyExpr = clause.OfExpression instanceof Syn.SimpleNamedExpression ? clause.OfExpression.Expression! : clause.OfExpression!;
  let by = clause.ByExpression!;
  if (by instanceof Syn.OrderedExpression) by = by.Expression!;
  if (by instanceof Syn.SimpleNamedExpression) by = by.Expression!;
  const key = compileScalar(ctx, keyExpr, scope);
  if (value.type !== key.type && !(isNumeric(value.type) && isNumeric(key.type))) {
    throw ctx.semantic(`the others value is ${value.type}, the values of '${ctx.text(keyExpr)}' are ${key.type}`, others.Expression!);
  }
  const agg = compileScalar(ctx, by, { ...scope, aggregating: true });
  const k = ctx.alias("k");
  // an aggregate without GROUP BY gives its one row even when no row is left (count 0, as summarize does)
  return (
    `SELECT ${castTo(value, out[0]!.type).sql} AS ${ident(out[0]!.name)}, ${castTo(agg, out[1]!.type).sql} AS ${ident(out[1]!.name)} ` +
    `FROM (${rel.sql}) AS ${o} WHERE NOT EXISTS (SELECT 1 FROM ${kept} AS ${k} WHERE ${k}."k1" IS NOT DISTINCT FROM ${key.sql})`
  );
}
