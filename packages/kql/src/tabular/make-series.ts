/**
 * `make-series Agg [default = d], ... on Axis from Start to End step Step [by Keys]`
 * (https://learn.microsoft.com/kusto/query/make-series-operator): per group, one array per aggregation with one
 * element per bin Start, Start+Step, ... (< End), the bin's aggregate or the default (0 unless given) where the bin
 * has no rows, and the axis as an array of the bins' starts. Rows outside [Start, End) are ignored. The forms without
 * from/to and `in range(...)` are refused: for bounds taken from the data the page says "the first bin, or step,
 * that has data in each series" and "the upper bound of the last bin … per each series", which leaves open whether
 * the series of a `by` share one range and where that first bin starts.
 */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar } from "../context";
import { elems, Syn, type KExpr } from "../kusto";
import { compileScalar } from "../scalar";
import { ident } from "../sql";
import { isNumeric } from "../types";
import { outputColumns, plain, scopeOf, type Rel } from "./rel";

/** A value as the JSON element Kusto puts in a dynamic array (datetimes with seven fraction digits). */
/** SQL NULL stays NULL (so that COALESCE can put the default in). */
function jsonOf(v: Scalar): string {
  if (v.type === "datetime") {
    return `to_jsonb(to_char(${v.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad(((extract(microseconds from ${v.sql})::bigint % 1000000) * 10)::text, 7, '0') || 'Z')`;
  }
  return `to_jsonb(${v.sql})`;
}

export function makeSeries(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.MakeSeriesOperator, pipe: KExpr): Rel {
  ctx.planner.joins = true;
  const out = outputColumns(ctx, pipe);
  const range = op.RangeClause;
  if (range instanceof Syn.MakeSeriesFromToStepClause && (!range.MakeSeriesFromClause || !range.MakeSeriesToClause)) {
    // the page leaves open whether the series share one range and how its first bin is aligned: no guess
    throw ctx.unsupported("make-series without from or to (a range taken from the data; give from … to … step …)", range);
  }
  if (!(range instanceof Syn.MakeSeriesFromToStepClause) || !range.MakeSeriesFromClause || !range.MakeSeriesToClause) {
    throw ctx.unsupported("make-series … in range(…) (use from … to … step …)", op);
  }
  const a = ctx.alias();
  const scope = scopeOf(rel, a);
  const none = { columns: new Map() };
  const axis = compileScalar(ctx, op.OnClause!.Expression!, scope);
  const start = compileScalar(ctx, range.MakeSeriesFromClause.Expression!, none);
  const end = compileScalar(ctx, range.MakeSeriesToClause.Expression!, none);
  const step = compileScalar(ctx, range.MakeSeriesStepClause!.Expression!, none);
  const axisType: KustoType = axis.type;
  let bins: string;
  let index: string;
  let binStart: (i: string) => Scalar;
  if (axisType === "datetime") {
    if (start.type !== "datetime" || end.type !== "datetime" || step.type !== "timespan") throw ctx.semantic("a datetime axis needs datetime bounds and a timespan step", op);
    const secs = (s: string) => `extract(epoch from ${s})`;
    bins = `ceil(${secs(`(${end.sql} - ${start.sql})`)} / NULLIF(${secs(step.sql)}, 0))::int`;
    index = `floor(${secs(`(${axis.sql} - ${start.sql})`)} / ${secs(step.sql)})::int`;
    binStart = (i) => ({ sql: `(${start.sql} + ${step.sql} * ${i})`, type: "datetime" });
  } else if (isNumeric(axisType)) {
    if (!isNumeric(start.type) || !isNumeric(end.type) || !isNumeric(step.type)) throw ctx.semantic("a numeric axis needs numeric bounds and step", op);
    const num = (s: Scalar) => `(${s.sql})::numeric`;
    bins = `ceil((${num(end)} - ${num(start)}) / NULLIF(${num(step)}, 0))::int`;
    index = `floor((${num(axis)} - ${num(start)}) / ${num(step)})::int`;
    const t: KustoType = [start, step].some((s) => s.type === "real" || s.type === "decimal") ? "real" : axisType;
    binStart = (i) => ({ sql: `(${num(start)} + ${num(step)} * ${i})::${t === "real" ? "double precision" : "bigint"}`, type: t });
  } else {
    throw ctx.unsupported(`make-series on a ${axisType} axis`, op.OnClause!);
  }

  const keys = op.ByClause ? elems<KExpr>(op.ByClause.Expressions) : [];
  const keyValues = keys.map((k) => compileScalar(ctx, k instanceof Syn.SimpleNamedExpression ? k.Expression! : k, scope));
  const aggs = elems<Kusto.Language.Syntax.MakeSeriesExpression>(op.Aggregates).map((m) => {
    const e = m.Expression instanceof Syn.SimpleNamedExpression ? m.Expression.Expression! : m.Expression!;
    const value = compileScalar(ctx, e, { ...scope, aggregating: true });
    const defExpr = m.DefaultExpression?.Expression;
    const def = defExpr ? compileScalar(ctx, defExpr, none) : null;
    if (value.type === "timespan" || def?.type === "timespan") throw ctx.unsupported("make-series of timespan values", m);
    const fallback = def ? `COALESCE(${jsonOf(def)}, 'null'::jsonb)` : isNumeric(value.type) ? "to_jsonb(0)" : "'null'::jsonb";
    return { value, fallback };
  });
  if (out.length !== keys.length + aggs.length + 1) throw ctx.unsupported("this form of make-series", op);

  const inRange = `${axis.sql} >= ${start.sql} AND ${axis.sql} < ${end.sql}`;
  const kCols = keyValues.map((_, j) => `"k${j + 1}"`);
  const grouped =
    `SELECT ${[...keyValues.map((k, j) => `${k.sql} AS "k${j + 1}"`), `${index} AS "__i"`, ...aggs.map((x, j) => `${x.value.sql} AS "v${j + 1}"`)].join(", ")} ` +
    `FROM (${rel.sql}) AS ${a} WHERE ${inRange} GROUP BY ${[...keyValues, null].map((_, j) => j + 1).join(", ")}`;
  const g = ctx.alias("g");
  const d = ctx.alias("d");
  const b = ctx.alias("b");
  // the per-bin aggregates are computed once (a CTE read twice is materialised): for the groups and for the join
  const cte = ctx.alias("ms");
  const groups = kCols.length ? `SELECT DISTINCT ${kCols.join(", ")} FROM ${cte}` : `SELECT 1 AS "one" WHERE EXISTS (SELECT 1 FROM ${cte})`;
  const on = [...kCols.map((k) => `${d}.${k} IS NOT DISTINCT FROM ${g}.${k}`), `${d}."__i" = ${b}.i`].join(" AND ");
  const select = [
    ...kCols.map((k, j) => `${g}.${k} AS ${ident(out[j]!.name)}`),
    ...aggs.map((x, j) => `jsonb_agg(COALESCE(${jsonOf({ sql: `${d}."v${j + 1}"`, type: x.value.type })}, ${x.fallback}) ORDER BY ${b}.i) AS ${ident(out[keys.length + j]!.name)}`),
    `jsonb_agg(${jsonOf(binStart(`${b}.i`))} ORDER BY ${b}.i) AS ${ident(out[out.length - 1]!.name)}`,
  ];
  // a bin's own aggregate may be null (avg of nothing): that element is the default too
  const sql =
    `WITH ${cte} AS (${grouped}) SELECT ${select.join(", ")} FROM (${groups}) AS ${g} CROSS JOIN generate_series(0, ${bins} - 1) AS ${b}(i) ` +
    `LEFT JOIN ${cte} AS ${d} ON ${on}${kCols.length ? ` GROUP BY ${kCols.map((k) => `${g}.${k}`).join(", ")}` : ""}`;
  return plain(sql, out);
}
