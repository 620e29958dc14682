/**
 * Tabular expressions → one SQL SELECT. Every pipe stage wraps the previous one as a subquery (Postgres flattens the
 * simple ones), and output column names and types come from Kusto's own analyser, so `count_`, `sum_X` and join's
 * `X1` are Kusto's names by construction.
 *
 * Two hidden columns ride along where Kusto keeps the information: `__vw_ing` (the row's ingestion time, until an
 * operator that builds new rows) and `__vw_oN` (the sort keys of the last `sort`/`top`, until an operator that
 * loses order), so that `sort | project | take` returns the first rows in Kusto's order.
 */
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import { isArgExtreme } from "./aggregates";
import { summarizeItems, tupleRowValues } from "./tuple-aggregates";
import type { CompileContext, Scalar, Scope } from "./context";
import { KqlError } from "./errors";
import { elems, kindName, Syn, type KExpr, type KSyntax } from "./kusto";
import { castTo, compileCondition, compileScalar, ordered } from "./scalar";
import { virtualColumns, visibleColumns } from "./schema";
import { ident } from "./sql";
import { nullOf } from "./types";
import { hidden, INGESTION, namedItems, namedParameter, orderBy, outputColumns, passThrough, rowScope, scopeOf, wrap, type OrderKey, type Rel } from "./tabular/rel";
import { getschema } from "./tabular/getschema";
import { lookup } from "./tabular/lookup";
import { makeSeries } from "./tabular/make-series";
import { mvApply, mvExpand } from "./tabular/mv-expand";
import { parse } from "./tabular/parse";
import { parseKv } from "./tabular/parse-kv";
import { search } from "./tabular/search";
import { serialize } from "./tabular/serialize";
import { topNested } from "./tabular/top-nested";
import { callUserTabular, invoke } from "./tabular/functions";
import { compileSource } from "./tabular/sources";

export { INGESTION, orderBy, type Rel };

function longLiteral(ctx: CompileContext, e: KExpr | null): string {
  if (!e) throw ctx.semantic("a row count is required", e!);
  const s = compileScalar(ctx, e, { columns: new Map() });
  if (s.type !== "long" && s.type !== "int") throw ctx.semantic("a row count must be an integer", e);
  return s.sql;
}

// ── sources ───────────────────────────────────────────────────────────────────────────────────────────────────────

export function tableSource(ctx: CompileContext, name: string): Rel {
  const table = ctx.options.tables.find((t) => t.name === name)!;
  const t = ctx.alias("t");
  const read = ctx.read?.table === name ? ctx.read.names : null;
  const cols = read ? visibleColumns(table).filter((c) => read.has(c.name)) : visibleColumns(table);
  const select = cols.map((c) => {
    if (c.name === "TenantId") return `${ctx.params.add(ctx.options.workspaceId, "text")} AS "TenantId"`;
    if (c.name === "Type") return `${ctx.params.add(name, "text")} AS "Type"`;
    return `${t}.${ident(c.name)}`;
  });
  select.push(`${t}.${ident(ctx.options.ingestionColumn)} AS ${INGESTION}`);
  const where: string[] = [];
  const { timespan, ingested } = ctx.options;
  const timeFiltered = timespan && table.columns.some((c) => c.name === "TimeGenerated" && c.type === "datetime");
  if (timeFiltered) {
    where.push(`${t}."TimeGenerated" >= ${ctx.params.addRunValue("timespanStart", "timestamptz")}`);
    where.push(`${t}."TimeGenerated" < ${ctx.params.addRunValue("timespanEnd", "timestamptz")}`);
  }
  // the table's relation need only have what this SELECT reads (TenantId and Type are computed here)
  const stored = cols.filter((c) => !(c.name in virtualColumns)).map((c) => c.name);
  const from = read ? ctx.options.tableSql(name, timeFiltered && !read.has("TimeGenerated") ? [...stored, "TimeGenerated"] : stored) : ctx.options.tableSql(name);
  const onMainPath = ctx.lookupDepth === 0;
  if (ingested?.after && onMainPath) where.push(`${t}.${ident(ctx.options.ingestionColumn)} > ${ctx.params.addRunValue("ingestedAfter", "timestamptz")}`);
  if (ingested?.upTo && onMainPath) where.push(`${t}.${ident(ctx.options.ingestionColumn)} <= ${ctx.params.addRunValue("ingestedUpTo", "timestamptz")}`);
  return {
    sql: `SELECT ${select.join(", ")} FROM ${from} AS ${t}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`,
    cols,
    ingestion: true,
    order: [],
  };
}

export { extend };

/**
 * A tabular expression that is looked up rather than streamed (a join's or lookup's right side, `in (subquery)`,
 * `toscalar()`): its tables are read in full, outside an alert run's ingestion window.
 */
export function compileLookedUp(ctx: CompileContext, e: KExpr): Rel {
  ctx.lookupDepth += 1;
  try {
    return compileTabular(ctx, e);
  } finally {
    ctx.lookupDepth -= 1;
  }
}

export function compileTabular(ctx: CompileContext, e: KExpr): Rel {
  const kind = kindName(e.Kind);
  if (e instanceof Syn.PipeExpression) {
    const input = compileTabular(ctx, e.Expression!);
    return applyOperator(ctx, input, e.Operator!, e);
  }
  if (e instanceof Syn.ParenthesizedExpression) return compileTabular(ctx, e.Expression!);
  // materialize() caches a result for reuse; computing it again gives the same rows
  if (e instanceof Syn.MaterializeExpression) return compileTabular(ctx, e.Expression!);
  if (e instanceof Syn.NameReference) {
    const name = e.SimpleName!;
    if (e.Name instanceof Syn.WildcardedName) throw ctx.unsupported("wildcard table names", e);
    const bound = ctx.tabularLets.get(name);
    if (bound) return "sql" in bound ? bound : compileTabular(ctx, bound);
    if (ctx.userFunctions.has(name)) return callUserTabular(ctx, e);
    if (ctx.options.tables.some((t) => t.name === name)) return tableSource(ctx, name);
    throw ctx.semantic(`Failed to resolve table or column expression named '${name}'`, e);
  }
  if (e instanceof Syn.FunctionCallExpression) {
    const name = e.Name!.SimpleName!;
    if (name === "materialize") return compileTabular(ctx, elems<KExpr>(e.ArgumentList!.Expressions)[0]!);
    if (ctx.userFunctions.has(name)) return callUserTabular(ctx, e);
  }
  if (e instanceof Syn.UnionOperator) return union(ctx, null, e, e);
  if (e instanceof Syn.SearchOperator) return search(ctx, null, e, e);
  const source = compileSource(ctx, e);
  if (source) return source;
  throw ctx.unsupported(`the tabular expression '${ctx.text(e).slice(0, 60)}' (${kind})`, e);
}

// ── operators ─────────────────────────────────────────────────────────────────────────────────────────────────────

export function applyOperator(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.QueryOperator, pipe: KExpr): Rel {
  const kind = kindName(op.Kind);
  switch (kind) {
    case "FilterOperator":
      return where(ctx, rel, op as Kusto.Language.Syntax.FilterOperator);
    case "ExtendOperator":
      return extend(ctx, rel, op as Kusto.Language.Syntax.ExtendOperator, pipe);
    case "ProjectOperator":
      return project(ctx, rel, op as Kusto.Language.Syntax.ProjectOperator, pipe);
    case "ProjectAwayOperator":
    case "ProjectKeepOperator":
    case "ProjectReorderOperator":
      return reshape(ctx, rel, op, pipe);
    case "ProjectRenameOperator":
      return rename(ctx, rel, op as Kusto.Language.Syntax.ProjectRenameOperator, pipe);
    case "DistinctOperator":
      return distinct(ctx, rel, op as Kusto.Language.Syntax.DistinctOperator, pipe);
    case "SummarizeOperator":
      return summarize(ctx, rel, op as Kusto.Language.Syntax.SummarizeOperator, pipe);
    case "SortOperator":
      return sort(ctx, rel, elems<KExpr>((op as Kusto.Language.Syntax.SortOperator).Expressions), "asc-is-explicit");
    case "TakeOperator":
      return take(ctx, rel, longLiteral(ctx, (op as Kusto.Language.Syntax.TakeOperator).Expression));
    case "TopOperator": {
      const top = op as Kusto.Language.Syntax.TopOperator;
      return take(ctx, sort(ctx, rel, [top.ByExpression!], "asc-is-explicit"), longLiteral(ctx, top.Expression));
    }
    case "CountOperator": {
      const a = ctx.alias();
      const name = outputColumns(ctx, pipe)[0]?.name ?? "Count";
      return { sql: `SELECT count(*)::bigint AS ${ident(name)} FROM (${rel.sql}) AS ${a}`, cols: [{ name, type: "long" }], ingestion: false, order: [] };
    }
    case "JoinOperator":
      return join(ctx, rel, op as Kusto.Language.Syntax.JoinOperator, pipe);
    case "UnionOperator":
      return union(ctx, rel, op as Kusto.Language.Syntax.UnionOperator, pipe);
    case "AsOperator": {
      // `| as X`: later parts of the query may name this result
      const name = (op as Kusto.Language.Syntax.AsOperator).Name!.SimpleName!;
      ctx.tabularLets.set(name, rel);
      return rel;
    }
    case "InvokeOperator":
      return invoke(ctx, rel, op as Kusto.Language.Syntax.InvokeOperator);
    case "RenderOperator":
      return rel; // a charting hint for the client; rows are unchanged
    case "SerializeOperator":
      return serialize(ctx, rel, op as Kusto.Language.Syntax.SerializeOperator, pipe);
    case "LookupOperator":
      return lookup(ctx, rel, op as Kusto.Language.Syntax.LookupOperator, pipe);
    case "MvExpandOperator":
      return mvExpand(ctx, rel, op as Kusto.Language.Syntax.MvExpandOperator, pipe);
    case "MvApplyOperator":
      return mvApply(ctx, rel, op as Kusto.Language.Syntax.MvApplyOperator, pipe);
    case "TopNestedOperator":
      return topNested(ctx, rel, op as Kusto.Language.Syntax.TopNestedOperator, pipe);
    case "SearchOperator":
      return search(ctx, rel, op as Kusto.Language.Syntax.SearchOperator, pipe);
    case "MakeSeriesOperator":
      return makeSeries(ctx, rel, op as Kusto.Language.Syntax.MakeSeriesOperator, pipe);
    case "GetSchemaOperator":
      return getschema(ctx, rel, pipe);
    case "ParseOperator":
    case "ParseWhereOperator":
      return parse(ctx, rel, op as Kusto.Language.Syntax.ParseOperator, pipe, kind === "ParseOperator");
    case "ParseKvOperator":
      return parseKv(ctx, rel, op as Kusto.Language.Syntax.ParseKvOperator, pipe);
    default:
      throw ctx.unsupported(`the '${ctx.text(op).split(/\s/)[0]}' operator`, op);
  }
}

function where(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.FilterOperator): Rel {
  const a = ctx.alias();
  const cond = compileCondition(ctx, op.Condition!, scopeOf(rel, a));
  return { ...rel, sql: `SELECT * FROM (${rel.sql}) AS ${a} WHERE ${cond}` };
}

function extend(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.ExtendOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const scope = rowScope(rel, a);
  const out = outputColumns(ctx, pipe);
  const items = namedItems(ctx, elems<KExpr>(op.Expressions), scope, new Set(rel.cols.map((c) => c.name)), out, true);
  const values = new Map<string, Scalar>(scope.columns);
  for (const { name, value } of items) values.set(name, value);
  const select = out.map((c) => {
    const v = values.get(c.name);
    if (!v) throw ctx.unsupported(`this form of extend`, op);
    return `${castTo(v, c.type).sql} AS ${ident(c.name)}`;
  });
  return { ...rel, sql: wrap(rel, a, [...select, ...hidden(rel, a)]), cols: out };
}

function project(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.ProjectOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const scope = rowScope(rel, a);
  const out = outputColumns(ctx, pipe);
  const items = elems<KExpr>(op.Expressions);
  const plain = items.filter((i) => !(i instanceof Syn.NameReference && i.Name instanceof Syn.WildcardedName));
  const named = namedItems(ctx, plain, scope, new Set(rel.cols.map((c) => c.name)), out, false);
  const values = new Map<string, Scalar>();
  for (const { name, value } of named) values.set(name, value);
  const select = out.map((c) => {
    // columns matched by a wildcard item keep their input value
    const v = values.get(c.name) ?? scope.columns.get(c.name);
    if (!v) throw ctx.unsupported(`this form of project`, op);
    return `${castTo(v, c.type).sql} AS ${ident(c.name)}`;
  });
  return { ...rel, sql: wrap(rel, a, [...select, ...hidden(rel, a)]), cols: out };
}

/** project-away, project-keep, project-reorder: the analyser already knows which columns remain and where. */
function reshape(ctx: CompileContext, rel: Rel, op: KSyntax, pipe: KExpr): Rel {
  const a = ctx.alias();
  const out = outputColumns(ctx, pipe);
  return { ...rel, sql: wrap(rel, a, [...passThrough(ctx, op, rel, a, out), ...hidden(rel, a)]), cols: out };
}

function rename(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.ProjectRenameOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const out = outputColumns(ctx, pipe);
  const from = new Map<string, string>();
  for (const item of elems<KExpr>(op.Expressions)) {
    if (!(item instanceof Syn.SimpleNamedExpression) || !(item.Expression instanceof Syn.NameReference)) {
      throw ctx.semantic("project-rename takes new = old pairs", item);
    }
    from.set(item.Name!.SimpleName!, item.Expression.SimpleName!);
  }
  return { ...rel, sql: wrap(rel, a, [...passThrough(ctx, op, rel, a, out, (n) => from.get(n) ?? n), ...hidden(rel, a)]), cols: out };
}

function distinct(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.DistinctOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const scope = scopeOf(rel, a);
  const out = outputColumns(ctx, pipe);
  const items = elems<KExpr>(op.Expressions);
  const star = items.some((i) => i instanceof Syn.StarExpression);
  const values = star ? new Map(scope.columns) : new Map(namedItems(ctx, items, scope, new Set(rel.cols.map((c) => c.name)), out, false).map((x) => [x.name, x.value]));
  const select = out.map((c) => {
    const v = values.get(c.name);
    if (!v) throw ctx.unsupported("this form of distinct", op);
    return `${castTo(v, c.type).sql} AS ${ident(c.name)}`;
  });
  return { sql: `SELECT DISTINCT ${select.join(", ")} FROM (${rel.sql}) AS ${a}`, cols: out, ingestion: false, order: [] };
}

function summarize(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.SummarizeOperator, pipe: KExpr): Rel {
  const a = ctx.alias();
  const scope = scopeOf(rel, a);
  const out = outputColumns(ctx, pipe);
  const by = op.ByClause ? elems<KExpr>(op.ByClause.Expressions) : [];
  const aggs = elems<KExpr>(op.Aggregates);
  const byValues = by.map((e) => compileScalar(ctx, e instanceof Syn.SimpleNamedExpression ? e.Expression! : e, scope));
  const exprs = aggs.map((e) => (e instanceof Syn.SimpleNamedExpression ? e.Expression! : e));
  const extreme = exprs.find((e) => e instanceof Syn.FunctionCallExpression && isArgExtreme(e.Name!.SimpleName!));
  if (extreme && exprs.length === 1) {
    return argExtreme(ctx, rel, a, scope, byValues, extreme as Kusto.Language.Syntax.FunctionCallExpression, out, op);
  }
  // an aggregate item may be an expression over aggregates (sum(x) / 1024) or give several columns (percentiles)
  const values = [...byValues, ...summarizeItems(ctx, aggs, scope)];
  if (out.length !== values.length) throw ctx.unsupported("this form of summarize", op);
  const select = values.map((v, i) => `${castTo(v, out[i]!.type).sql} AS ${ident(out[i]!.name)}`);
  const group = by.length ? ` GROUP BY ${by.map((_, i) => i + 1).join(", ")}` : "";
  return { sql: `SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${a}${group}`, cols: out, ingestion: false, order: [] };
}

/** `summarize arg_max(X, cols) by keys`: one whole row per group, the one with the largest (smallest) X. */
function argExtreme(
  ctx: CompileContext,
  rel: Rel,
  a: string,
  scope: Scope,
  byValues: Scalar[],
  call: Kusto.Language.Syntax.FunctionCallExpression,
  out: ColumnSchema[],
  op: KSyntax,
): Rel {
  const values = [...byValues, ...tupleRowValues(ctx, call, scope)];
  if (values.length !== out.length) throw ctx.unsupported("this form of arg_max/arg_min", op);
  const x = values[byValues.length]!;
  if (x.type === "dynamic") throw ctx.unsupported(`${call.Name!.SimpleName}() of a dynamic value`, call);
  const select = values.map((v, i) => `${castTo(v, out[i]!.type).sql} AS ${ident(out[i]!.name)}`);
  const keys = byValues.map((v) => v.sql);
  // a null value loses to any other; a group whose values are all null still gives one of its rows (Kusto's rule)
  const orderKeys = [...keys, `${ordered(x)} ${call.Name!.SimpleName === "arg_max" ? "DESC" : "ASC"} NULLS LAST`];
  const sql = keys.length
    ? `SELECT DISTINCT ON (${keys.join(", ")}) ${select.join(", ")} FROM (${rel.sql}) AS ${a} ORDER BY ${orderKeys.join(", ")}`
    : `SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${a} ORDER BY ${orderKeys.join(", ")} LIMIT 1`;
  // a DISTINCT ON subquery keeps its ORDER BY; re-wrap so the outer query sees plain rows
  const b = ctx.alias();
  return { sql: `SELECT * FROM (${sql}) AS ${b}`, cols: out, ingestion: false, order: [] };
}

/** sort/order by/top: Kusto sorts descending unless told otherwise; nulls go last when descending, first when ascending. */
function sort(ctx: CompileContext, rel: Rel, exprs: KExpr[], _mode: "asc-is-explicit"): Rel {
  const a = ctx.alias();
  const scope = scopeOf(rel, a);
  const keys: OrderKey[] = [];
  const select = rel.cols.map((c) => `${a}.${ident(c.name)}`);
  if (rel.ingestion) select.push(`${a}.${INGESTION}`);
  exprs.forEach((e, i) => {
    let expr = e;
    let desc = true;
    let nullsFirst: boolean | null = null;
    if (e instanceof Syn.OrderedExpression) {
      expr = e.Expression!;
      const ordering = e.Ordering;
      if (ordering?.AscOrDescKeyword) desc = ordering.AscOrDescKeyword.Text === "desc";
      const nulls = ordering?.NullsClause?.FirstOrLastKeyword?.Text;
      if (nulls) nullsFirst = nulls === "first";
    }
    const v = compileScalar(ctx, expr, scope);
    if (v.type === "dynamic") throw ctx.unsupported("sorting by a dynamic value", expr);
    const column = `__vw_o${i + 1}`;
    select.push(`${ordered(v)} AS ${ident(column)}`);
    keys.push({ column, desc, nullsFirst: nullsFirst ?? !desc });
  });
  return { sql: wrap(rel, a, select), cols: rel.cols, ingestion: rel.ingestion, order: keys };
}

function take(ctx: CompileContext, rel: Rel, count: string): Rel {
  const a = ctx.alias();
  return { ...rel, sql: `SELECT * FROM (${rel.sql}) AS ${a}${orderBy(rel.order, a)} LIMIT ${count}` };
}

// ── join ──────────────────────────────────────────────────────────────────────────────────────────────────────────

const joinKinds = ["innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "rightanti", "leftsemi", "rightsemi", "leftantisemi", "rightantisemi"] as const;
type JoinKind = (typeof joinKinds)[number];

/** The (left, right) column pairs of a join's or lookup's `on` clause. */
export function joinPairs(ctx: CompileContext, op: KSyntax, clause: unknown): [string, string][] {
  if (!(clause instanceof Syn.JoinOnClause)) throw ctx.unsupported("join conditions other than 'on'", op);
  const side = (e: KExpr | null): { side: string; name: string } | null => {
    if (!(e instanceof Syn.PathExpression)) return null;
    const base = ctx.text(e.Expression!);
    const selector = (e as unknown as { Selector: Kusto.Language.Syntax.NameReference }).Selector;
    return base === "$left" || base === "$right" ? { side: base, name: selector.SimpleName! } : null;
  };
  return elems<KExpr>(clause.Expressions).map((item): [string, string] => {
    if (item instanceof Syn.NameReference) return [item.SimpleName!, item.SimpleName!];
    if (kindName(item.Kind) === "EqualExpression") {
      const bin = item as Kusto.Language.Syntax.BinaryExpression;
      const l = side(bin.Left);
      const r = side(bin.Right);
      if (l && r && l.side !== r.side) return l.side === "$left" ? [l.name, r.name] : [r.name, l.name];
    }
    throw ctx.unsupported(`the join condition '${ctx.text(item)}' (use a column name or $left.a == $right.b)`, item);
  });
}

function join(ctx: CompileContext, left: Rel, op: Kusto.Language.Syntax.JoinOperator, pipe: KExpr): Rel {
  ctx.planner.joins = true;
  const kindExpr = namedParameter(op, "kind");
  const kind = (kindExpr ? ctx.text(kindExpr).toLowerCase() : "innerunique") as JoinKind;
  if (!joinKinds.includes(kind)) throw ctx.unsupported(`join kind=${kind}`, kindExpr ?? op);
  const right = compileLookedUp(ctx, op.Expression!);
  const pairs = joinPairs(ctx, op, op.ConditionClause);
  const l = ctx.alias("l");
  const r = ctx.alias("r");
  const ls = scopeOf(left, l);
  const rs = scopeOf(right, r);
  const on = pairs
    .map(([ln, rn]) => {
      const a = ls.columns.get(ln);
      const b = rs.columns.get(rn);
      if (!a || !b) throw ctx.semantic(`join column '${a ? rn : ln}' does not exist on the ${a ? "right" : "left"} side`, op);
      if (a.type !== b.type) throw ctx.semantic(`join columns '${ln}' (${a.type}) and '${rn}' (${b.type}) differ in type`, op);
      return `${a.sql} = ${b.sql}`;
    })
    .join(" AND ");
  const out = outputColumns(ctx, pipe);
  const plain = (rel: Rel) => ({ ...rel, ingestion: false, order: [] as OrderKey[] });

  if (kind.endsWith("semi") || kind.endsWith("anti") || kind.endsWith("antisemi")) {
    const keepLeft = kind.startsWith("left");
    const [keep, keepAlias, other, otherAlias] = keepLeft ? [left, l, right, r] : [right, r, left, l];
    const negate = kind.includes("anti");
    const select = passThrough(ctx, op, keep, keepAlias, out);
    return plain({
      sql: `SELECT ${select.join(", ")} FROM (${keep.sql}) AS ${keepAlias} WHERE ${negate ? "NOT " : ""}EXISTS (SELECT 1 FROM (${other.sql}) AS ${otherAlias} WHERE ${on})`,
      cols: out,
    } as Rel);
  }

  if (out.length !== left.cols.length + right.cols.length) throw ctx.unsupported("this form of join", op);
  // Kusto strings are never null: an unmatched side of an outer join reads as "" for its string columns
  const nullableLeft = kind === "rightouter" || kind === "fullouter";
  const nullableRight = kind === "leftouter" || kind === "fullouter";
  const pick = (alias: string, src: ColumnSchema, dst: ColumnSchema, nullable: boolean) => {
    const ref = `${alias}.${ident(src.name)}`;
    return `${nullable && src.type === "string" ? `COALESCE(${ref}, '')` : ref} AS ${ident(dst.name)}`;
  };
  const select = out.map((c, i) =>
    i < left.cols.length ? pick(l, left.cols[i]!, c, nullableLeft) : pick(r, right.cols[i - left.cols.length]!, c, nullableRight),
  );
  // innerunique keeps one left row per key (an arbitrary one, as Kusto does) before joining
  const leftSql =
    kind === "innerunique"
      ? `SELECT DISTINCT ON (${pairs.map(([ln]) => `d.${ident(ln)}`).join(", ")}) * FROM (${left.sql}) AS d`
      : left.sql;
  const joinSql = { innerunique: "JOIN", inner: "JOIN", leftouter: "LEFT JOIN", rightouter: "RIGHT JOIN", fullouter: "FULL JOIN" }[
    kind as "inner"
  ];
  return plain({
    sql: `SELECT ${select.join(", ")} FROM (${leftSql}) AS ${l} ${joinSql} (${right.sql}) AS ${r} ON ${on}`,
    cols: out,
  } as Rel);
}

// ── union ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function union(ctx: CompileContext, first: Rel | null, op: Kusto.Language.Syntax.UnionOperator, node: KExpr): Rel {
  const kindExpr = namedParameter(op, "kind");
  if (kindExpr && ctx.text(kindExpr).toLowerCase() !== "outer") throw ctx.unsupported(`union kind=${ctx.text(kindExpr)}`, kindExpr);
  const sourceParam = namedParameter(op, "withsource");
  const sourceColumn = sourceParam ? ctx.text(sourceParam) : null;
  const exprs = elems<KExpr>(op.Expressions);
  // isfuzzy=true: a leg naming a table or view that does not exist is left out, as Kusto does (union's page)
  const fuzzy = ctx.text(namedParameter(op, "isfuzzy") ?? op).toLowerCase() === "true";
  const legs = exprs.flatMap((e, i) => {
    const label = e instanceof Syn.NameReference ? e.SimpleName! : `union_arg${i + (first ? 1 : 0)}`;
    try {
      return [{ rel: compileTabular(ctx, e), label }];
    } catch (err) {
      if (fuzzy && err instanceof KqlError && err.kind === "semantic" && err.reason.startsWith("Failed to resolve")) return [];
      throw err;
    }
  });
  if (legs.length === 0 && !first) throw ctx.semantic("union isfuzzy=true: none of its legs resolves to a table", op);
  const inputs: { rel: Rel; label: string }[] = [...(first ? [{ rel: first, label: "union_arg0" }] : []), ...legs];
  const out = outputColumns(ctx, node);
  const branches = inputs.map(({ rel, label }) => {
    const a = ctx.alias("u");
    const byName = new Map(rel.cols.map((c) => [c.name, c]));
    const select = out.map((c) => {
      if (c.name === sourceColumn) return `${ctx.params.add(label, "text")} AS ${ident(c.name)}`;
      const src = byName.get(c.name);
      if (!src) {
        if (!inputs.some((x) => x.rel.cols.some((y) => y.name === c.name))) throw ctx.unsupported("union of columns whose types differ", op);
        return `${nullOf(c.type)} AS ${ident(c.name)}`;
      }
      if (src.type !== c.type) throw ctx.unsupported("union of columns whose types differ", op);
      return `${a}.${ident(src.name)} AS ${ident(c.name)}`;
    });
    return `SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${a}`;
  });
  return { sql: branches.join(" UNION ALL "), cols: out, ingestion: false, order: [] };
}

export type { KustoType };
