/** Aggregation functions of `summarize`, as Postgres aggregates. */
import type { CompileContext, Scalar, Scope } from "./context";
import { elems, type KExpr } from "./kusto";
import { compileCondition, compileScalar, ordered } from "./scalar";
import { pgTypeOf } from "./types";

type AggImpl = (ctx: CompileContext, args: KExpr[], scope: Scope, call: KExpr) => string;

const value = (ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): Scalar => {
  if (!e) throw ctx.semantic("this aggregate needs an argument", call);
  return compileScalar(ctx, e, scope);
};
const filter = (ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): string => {
  if (!e) throw ctx.semantic("this aggregate needs a predicate", call);
  return compileCondition(ctx, e, scope);
};

/** jsonb array of the non-null values (Kusto's make_set/make_list skip nulls), optionally capped. */
function collect(ctx: CompileContext, args: KExpr[], scope: Scope, call: KExpr, distinct: boolean, where?: string): string {
  const v = value(ctx, args[0], scope, call);
  const cond = [`${v.sql} IS NOT NULL`, ...(where ? [where] : [])].join(" AND ");
  const agg = `array_agg(${distinct ? "DISTINCT " : ""}${v.sql}) FILTER (WHERE ${cond})`;
  const cap = args[1] ? `[1:(${value(ctx, args[1], scope, call).sql})::int]` : "";
  return `COALESCE(to_jsonb((${agg})${cap}), '[]'::jsonb)`;
}

const impls: Record<string, AggImpl> = {
  count: () => "count(*)",
  countif: (ctx, a, s, c) => `count(*) FILTER (WHERE ${filter(ctx, a[0], s, c)})`,
  dcount: (ctx, a, s, c) => `count(DISTINCT ${value(ctx, a[0], s, c).sql})`,
  dcountif: (ctx, a, s, c) => `count(DISTINCT ${value(ctx, a[0], s, c).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  sum: (ctx, a, s, c) => `sum(${value(ctx, a[0], s, c).sql})`,
  sumif: (ctx, a, s, c) => `sum(${value(ctx, a[0], s, c).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  avg: (ctx, a, s, c) => `avg(${value(ctx, a[0], s, c).sql})`,
  avgif: (ctx, a, s, c) => `avg(${value(ctx, a[0], s, c).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  min: (ctx, a, s, c) => `min(${ordered(value(ctx, a[0], s, c))})`,
  max: (ctx, a, s, c) => `max(${ordered(value(ctx, a[0], s, c))})`,
  minif: (ctx, a, s, c) => `min(${ordered(value(ctx, a[0], s, c))}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  maxif: (ctx, a, s, c) => `max(${ordered(value(ctx, a[0], s, c))}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  make_set: (ctx, a, s, c) => collect(ctx, a, s, c, true),
  make_list: (ctx, a, s, c) => collect(ctx, a, s, c, false),
  make_set_if: (ctx, a, s, c) => collect(ctx, [a[0]!, ...a.slice(2)], s, c, true, filter(ctx, a[1], s, c)),
  make_list_if: (ctx, a, s, c) => collect(ctx, [a[0]!, ...a.slice(2)], s, c, false, filter(ctx, a[1], s, c)),
  take_any: (ctx, a, s, c) => `(array_agg(${value(ctx, a[0], s, c).sql}))[1]`,
  any: (ctx, a, s, c) => `(array_agg(${value(ctx, a[0], s, c).sql}))[1]`,
  stdev: (ctx, a, s, c) => `stddev_samp(${value(ctx, a[0], s, c).sql})`,
  variance: (ctx, a, s, c) => `var_samp(${value(ctx, a[0], s, c).sql})`,
};

export const isArgExtreme = (name: string) => name === "arg_max" || name === "arg_min";
export const isAggregate = (name: string) => name in impls || isArgExtreme(name);

/** One aggregate call → SQL of the analyser's result type. */
export function compileAggregate(ctx: CompileContext, call: Kusto.Language.Syntax.FunctionCallExpression, scope: Scope): Scalar {
  const name = call.Name!.SimpleName!;
  const impl = impls[name];
  if (!impl) throw ctx.unsupported(`the aggregate ${name}()`, call);
  const type = ctx.typeOf(call);
  const sql = impl(ctx, elems<KExpr>(call.ArgumentList!.Expressions), scope, call);
  return { sql: `(${sql})::${pgTypeOf[type]}`, type };
}
