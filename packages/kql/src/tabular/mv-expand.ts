/**
 * mv-expand and mv-apply (https://learn.microsoft.com/kusto/query/mv-expand-operator, .../mv-apply-operator).
 * Each row gives max(element counts) rows; the expanded values line up by position (a shorter one reads null).
 * A null value gives one row (null), an empty array or bag none, any other scalar one row (itself). A bag expands
 * to single-entry bags {"key": value} (kind=bag, the default) or [key, value] pairs (kind=array).
 */
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar } from "../context";
import { fromDynamic } from "../functions";
import { elems, kindName, Syn, type KExpr } from "../kusto";
import { compileScalar } from "../scalar";
import { ident } from "../sql";
import { applyOperator } from "../tabular";
import { kustoTypeFromName } from "../types";
import { hidden, namedParameter, outputColumns, rowScope, type Rel } from "./rel";

type Expansion = { name: string; value: Scalar; type: KustoType; node: KExpr };

/** The `to typeof(T)` of an item, or dynamic. */
function targetType(ctx: CompileContext, clause: Kusto.Language.Syntax.ToTypeOfClause | null): KustoType {
  if (!clause) return "dynamic";
  const types = elems<Kusto.Language.Syntax.TypeExpression>((clause.TypeOf as Kusto.Language.Syntax.TypeOfLiteralExpression).Types);
  const text = types.length === 1 ? ctx.text(types[0]!).trim() : "";
  const t = kustoTypeFromName(text);
  if (!t || t === "timespan") throw ctx.unsupported(`to typeof(${text})`, clause);
  return t;
}

/** Items of an mv-expand / mv-apply: their output name, compiled value and target type. */
function expansions(ctx: CompileContext, rel: Rel, scopeAlias: string, items: KExpr[], out: ColumnSchema[]): Expansion[] {
  const scope = rowScope(rel, scopeAlias);
  const inputNames = new Set(rel.cols.map((c) => c.name));
  const fresh = out.filter((c) => !inputNames.has(c.name)).map((c) => c.name);
  return items.map((item) => {
    const x = item as unknown as { Expression: KExpr; ToTypeOf: Kusto.Language.Syntax.ToTypeOfClause | null };
    let expr = x.Expression;
    let name: string;
    if (expr instanceof Syn.SimpleNamedExpression) {
      name = expr.Name!.SimpleName!;
      expr = expr.Expression!;
    } else if (expr instanceof Syn.NameReference) {
      name = expr.SimpleName!;
    } else {
      name = fresh.shift() ?? "";
      if (!name) throw ctx.unsupported(`naming of '${ctx.text(expr)}'`, expr);
    }
    const value = compileScalar(ctx, expr, scope);
    if (value.type !== "dynamic") throw ctx.semantic(`'${ctx.text(expr)}' must be a dynamic array or property bag, it is ${value.type}`, expr);
    return { name, value, type: targetType(ctx, x.ToTypeOf), node: item };
  });
}

const countOf = (v: string) =>
  `(CASE jsonb_typeof(${v}) WHEN 'array' THEN jsonb_array_length(${v}) WHEN 'object' THEN (SELECT count(*) FROM jsonb_object_keys(${v}))::int ELSE 1 END)`;

function elementOf(v: string, i: string, bagAsArray: boolean): string {
  const pair = bagAsArray ? "jsonb_build_array(e.k, e.v)" : "jsonb_build_object(e.k, e.v)";
  return `(CASE jsonb_typeof(${v}) WHEN 'array' THEN ${v} -> ${i} WHEN 'object' THEN (SELECT ${pair} FROM jsonb_each(${v}) WITH ORDINALITY AS e(k, v, n) WHERE e.n = ${i} + 1) ELSE CASE WHEN ${i} = 0 THEN ${v} END END)`;
}

/**
 * The (e, i) rows of one value from one set-returning call: an array's elements, a bag's entries as single-entry bags
 * (or [key, value] pairs), anything else (null included) as itself. `element` turns each raw jsonb element into the
 * output value (a JSON null element reads as null).
 */
function elementRows(v: string, bagAsArray: boolean, limit: string | null, element: (raw: string) => string): string {
  // vw_kql_expand_list (a migration's function): the list to expand, without a correlated subquery in this query
  const list = `public.vw_kql_expand_list(${v}, ${bagAsArray})`;
  return `SELECT ${element("el.value")} AS e, el.n - 1 AS i FROM jsonb_array_elements(${list}) WITH ORDINALITY AS el(value, n)${limit ? ` WHERE el.n <= (${limit})` : ""}`;
}

/**
 * FROM clause and per-row element SQL for the expansions: `(rel) a, LATERAL (values) x, LATERAL series g`.
 * Returns the element of each expansion (cast to its type) and the index SQL.
 */
function expansionFrom(ctx: CompileContext, op: { Parameters: unknown }, rel: Rel, a: string, list: Expansion[], limit: string | null) {
  const kindExpr = namedParameter(op, "kind") ?? namedParameter(op, "bagexpansion");
  const kind = kindExpr ? ctx.text(kindExpr).toLowerCase() : "bag";
  if (kind !== "bag" && kind !== "array") throw ctx.semantic(`kind=${kind}: mv-expand takes kind=bag or kind=array`, kindExpr!);
  const x = ctx.alias("x");
  const g = ctx.alias("g");
  const values = list.map((e, i) => `${e.value.sql} AS v${i}`).join(", ");
  if (list.length === 1) {
    // one value: its elements straight from the set-returning functions, each computed once, converted to the target
    // type in the same place (a conversion reads a JSON null as null, so it needs no NULLIF first: a fifth of the time)
    const only = list[0]!;
    const element = (raw: string) => (only.type === "dynamic" ? `NULLIF(${raw}, 'null'::jsonb)` : fromDynamic({ sql: raw, type: "dynamic" }, only.type).sql);
    const perRow = `(SELECT ${values}) AS ${x} CROSS JOIN LATERAL (${elementRows(`${x}.v0`, kind === "array", limit, element)}) AS ${g}`;
    return {
      from: `(${rel.sql}) AS ${a} CROSS JOIN LATERAL ${perRow}`,
      perRow,
      elements: [{ sql: `${g}.e`, type: only.type }],
      index: `${g}.i`,
    };
  }
  const counts = list.map((_, i) => countOf(`${x}.v${i}`));
  const most = counts.length === 1 ? counts[0]! : `greatest(${counts.join(", ")})`;
  const bound = limit ? `least(${most}, (${limit})::int)` : most;
  // the per-row part reads the outer row's columns: mv-apply runs it as a correlated subquery
  const perRow = `(SELECT ${values}) AS ${x} CROSS JOIN LATERAL unnest(ARRAY(SELECT generate_series(0, ${bound} - 1))) AS ${g}(i)`;
  const from = `(${rel.sql}) AS ${a} CROSS JOIN LATERAL ${perRow}`;
  const element = (e: Expansion, i: number): Scalar => {
    const raw: Scalar = { sql: elementOf(`${x}.v${i}`, `${g}.i`, kind === "array"), type: "dynamic" };
    return e.type === "dynamic" ? raw : fromDynamic(raw, e.type);
  };
  return { from, perRow, elements: list.map(element), index: `${g}.i` };
}

function indexName(ctx: CompileContext, op: { Parameters: unknown }): string | null {
  const p = namedParameter(op, "with_itemindex");
  return p ? ctx.text(p).trim() : null;
}

export function mvExpand(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.MvExpandOperator, pipe: KExpr): Rel {
  ctx.planner.expansions = true;
  const a = ctx.alias();
  const out = outputColumns(ctx, pipe);
  const list = expansions(ctx, rel, a, elems<KExpr>(op.Expressions), out);
  const limitClause = op.RowLimitClause as unknown as { RowLimit: KExpr } | null;
  const limit = limitClause ? compileScalar(ctx, limitClause.RowLimit, { columns: new Map() }).sql : null;
  const { from, elements, index } = expansionFrom(ctx, op, rel, a, list, limit);
  const indexCol = indexName(ctx, op);
  const select = out.map((c) => {
    const k = list.findIndex((e) => e.name === c.name);
    if (k >= 0) return `${elements[k]!.sql} AS ${ident(c.name)}`;
    if (c.name === indexCol) return `(${index})::bigint AS ${ident(c.name)}`;
    if (!rel.cols.some((r) => r.name === c.name)) throw ctx.unsupported("this form of mv-expand", op);
    return `${a}.${ident(c.name)}`;
  });
  // rows stay in order: the input's order, then the element's position
  const orderColumn = `__vw_o${rel.order.length + 1}`;
  const order = rel.order.length ? [...rel.order, { column: orderColumn, desc: false, nullsFirst: false }] : [];
  const extra = order.length ? [`${index} AS ${ident(orderColumn)}`] : [];
  return { ...rel, sql: `SELECT ${[...select, ...hidden(rel, a), ...extra].join(", ")} FROM ${from}`, cols: out, order };
}

/** `mv-apply x = arr to typeof(long) on (subquery)`: the subquery runs over each row's expanded elements. */
export function mvApply(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.MvApplyOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const items = elems<KExpr>(op.Expressions);
  // the sub-table: the row's columns with the expanded ones replaced (or added)
  const added: ColumnSchema[] = items.map((item) => {
    const t = (item as unknown as { Expression: KExpr }).Expression.ResultType;
    const type = kustoTypeFromName(t?.Name) ?? "dynamic";
    const e = (item as unknown as { Expression: KExpr }).Expression;
    const name = e instanceof Syn.SimpleNamedExpression ? e.Name!.SimpleName! : e instanceof Syn.NameReference ? e.SimpleName! : "";
    if (!name) throw ctx.unsupported("an unnamed mv-apply expression (name it: x = ...)", item);
    return { name, type };
  });
  const list = expansions(ctx, rel, a, items, [...rel.cols, ...added]);
  if (op.RowLimitClause) throw ctx.unsupported("mv-apply with limit", op.RowLimitClause);
  const { perRow, elements, index } = expansionFrom(ctx, op, rel, a, list, null);
  const indexCol = indexName(ctx, op);
  const subCols: ColumnSchema[] = [...rel.cols.filter((c) => !list.some((e) => e.name === c.name)), ...list.map((e) => ({ name: e.name, type: e.type }))];
  if (indexCol) subCols.push({ name: indexCol, type: "long" });
  const subSelect = subCols.map((c) => {
    const k = list.findIndex((e) => e.name === c.name);
    if (k >= 0) return `${elements[k]!.sql} AS ${ident(c.name)}`;
    if (c.name === indexCol) return `(${index})::bigint AS ${ident(c.name)}`;
    return `${a}.${ident(c.name)} AS ${ident(c.name)}`;
  });
  // the per-row sub-table, correlated to the outer row; its rows are in element order
  const subRel: Rel = {
    sql: `SELECT ${subSelect.join(", ")}, ${index} AS "__vw_o1" FROM ${perRow}`,
    cols: subCols,
    ingestion: false,
    order: [{ column: "__vw_o1", desc: false, nullsFirst: false }],
  };
  const subquery = (op.Subquery as unknown as { Expression: KExpr }).Expression;
  const result = applyChain(ctx, subRel, subquery);
  const out = outputColumns(ctx, pipe);
  const s = ctx.alias("s");
  const select = out.map((c) => {
    if (result.cols.some((r) => r.name === c.name)) return `${s}.${ident(c.name)}`;
    if (rel.cols.some((r) => r.name === c.name)) return `${a}.${ident(c.name)}`;
    throw ctx.unsupported("this form of mv-apply", op);
  });
  return { sql: `SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${a} CROSS JOIN LATERAL (${result.sql}) AS ${s}`, cols: out, ingestion: false, order: [] };
}

/** A pipe chain with an implicit source (`top 1 by x | project y`), applied to `input`. */
function applyChain(ctx: CompileContext, input: Rel, e: KExpr): Rel {
  if (e instanceof Syn.PipeExpression) return applyOperator(ctx, applyChain(ctx, input, e.Expression!), e.Operator!, e);
  if (e instanceof Syn.QueryOperator) return applyOperator(ctx, input, e, e);
  throw ctx.unsupported(`the mv-apply subquery '${ctx.text(e).slice(0, 40)}' (${kindName(e.Kind)})`, e);
}
