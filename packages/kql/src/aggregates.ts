/**
 * Aggregation functions of `summarize`, as Postgres aggregates.
 * Estimating aggregates are exact here: dcount/dcountif/count_distinct count exactly, and percentile(s) return the
 * exact nearest-rank value (the smallest value such that P percent of the group is less or equal to it; P = 0 is the
 * minimum), which is what Kusto's T-Digest estimates (learn.microsoft.com/kusto/query/percentiles-aggregation-function).
 */
import type { KustoType } from "@vaultwatch/schemas";
import { parameterName, readTracker } from "./arg-reads";
import type { CompileContext, Scalar, Scope } from "./context";
import { kindName, elems, type KExpr } from "./kusto";
import { compileCondition, compileScalar, ordered, toStringSql } from "./scalar";
import { pgTypeOf } from "./types";

type AggImpl = (ctx: CompileContext, args: KExpr[], scope: Scope, call: KExpr) => string;

const NUMERIC: KustoType[] = ["int", "long", "real", "decimal"];
const SUMMABLE: KustoType[] = [...NUMERIC, "timespan"];
const RANKABLE: KustoType[] = [...NUMERIC, "datetime", "timespan"];
const ORDERABLE: KustoType[] = [...RANKABLE, "string", "bool"];

const value = (ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr, types?: KustoType[]): Scalar => {
  if (!e) throw ctx.semantic("this aggregate needs an argument", call);
  const v = compileScalar(ctx, e, scope);
  if (types && !types.includes(v.type)) throw ctx.unsupported(`${aggName(call)}() of a ${v.type} value`, call);
  return v;
};
const filter = (ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): string => {
  if (!e) throw ctx.semantic("this aggregate needs a predicate", call);
  return compileCondition(ctx, e, scope);
};
const aggName = (call: KExpr) => (call as Kusto.Language.Syntax.FunctionCallExpression).Name!.SimpleName!;
const where = (conds: (string | undefined)[]) => {
  const c = conds.filter((x): x is string => !!x);
  return c.length ? ` FILTER (WHERE ${c.join(" AND ")})` : "";
};

/** A value as an element of a dynamic array/bag, in Kusto's text forms (a datetime is "2024-01-01T00:00:00Z"). */
export function dynamicElement(v: Scalar): string {
  switch (v.type) {
    case "dynamic":
      return v.sql;
    case "datetime":
    case "timespan":
    case "guid":
      return `CASE WHEN ${v.sql} IS NULL THEN NULL ELSE to_jsonb(${toStringSql(v)}) END`;
    default:
      return `to_jsonb(${v.sql})`;
  }
}

/** Kusto's "has a value": not null, and for dynamic not a JSON null either. */
const present = (v: Scalar) => (v.type === "dynamic" ? `${v.sql} IS NOT NULL AND jsonb_typeof(${v.sql}) <> 'null'` : `${v.sql} IS NOT NULL`);

/**
 * dcount's optional accuracy: Kusto takes a constant 0 to 4 (its HyperLogLog levels, 1.6 % down to 0.2 % error;
 * learn.microsoft.com/kusto/query/dcount-aggregation-function#estimation-accuracy). Our count is exact, which meets
 * every level, so a valid level changes nothing; anything else is refused as Kusto would refuse it.
 */
function accuracy(ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): void {
  if (!e) return;
  const v = compileScalar(ctx, e, scope);
  const level = /^(\d+)::(bigint|integer)$/.exec(v.sql);
  if (!level || Number(level[1]) > 4) {
    throw ctx.semantic(`${aggName(call)}(): accuracy must be a constant integer from 0 to 4, not '${ctx.text(e).trim()}'`, e);
  }
}

/** Optional maxSize argument: a positive integer constant. */
function maxSize(ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): string | null {
  if (!e) return null;
  const v = value(ctx, e, scope, call);
  if (v.type !== "int" && v.type !== "long") throw ctx.semantic(`${aggName(call)}(): maxSize must be an integer`, e);
  return `GREATEST((${v.sql})::bigint, 0)`;
}

/** jsonb array of the group's values (make_list/make_set skip nulls), optionally capped at maxSize. */
function collect(ctx: CompileContext, v: Scalar, cap: string | null, opts: { distinct?: boolean; nulls?: boolean; cond?: string }): string {
  const elem = dynamicElement(v);
  const conds = [opts.nulls ? undefined : present(v), opts.cond];
  if (!cap && !opts.distinct) return `COALESCE(jsonb_agg(${elem})${where(conds)}, '[]'::jsonb)`;
  // distinct over the jsonb form: equal Kusto values are equal there, and jsonb has equality for every type
  const agg = `array_agg(${opts.distinct ? "DISTINCT " : ""}${elem})${where(conds)}`;
  const capped = cap ? `(${agg})[1:${cap}]` : agg;
  return `COALESCE(to_jsonb(${capped}), '[]'::jsonb)`;
}

/** make_set of a dynamic value: an array contributes its elements (make-set-aggregation-function, "Set from array column"). */
function dynamicSet(v: Scalar, cap: string | null, cond: string | undefined): string {
  const values = `jsonb_agg(${v.sql})${where([present(v), cond])}`;
  const elements = `jsonb_array_elements(CASE jsonb_typeof(a.v) WHEN 'array' THEN a.v ELSE jsonb_build_array(a.v) END) AS e(v)`;
  const set = `array_agg(DISTINCT e.v) FILTER (WHERE jsonb_typeof(e.v) <> 'null')`;
  return `(SELECT COALESCE(to_jsonb((${set})${cap ? `[1:${cap}]` : ""}), '[]'::jsonb) FROM jsonb_array_elements(${values}) AS a(v), ${elements})`;
}

/** make_bag: the union of the group's property bags (other values skipped; a repeated key keeps one of its values). */
function bag(ctx: CompileContext, v: Scalar, cap: string | null, cond: string | undefined, call: KExpr): string {
  if (v.type !== "dynamic") throw ctx.semantic(`${aggName(call)}() expects a dynamic property bag`, call);
  const bags = `jsonb_agg(${v.sql})${where([`jsonb_typeof(${v.sql}) = 'object'`, cond])}`;
  const pairs = `SELECT DISTINCT ON (e.key) e.key, e.value FROM jsonb_array_elements(${bags}) AS b(bag), jsonb_each(b.bag) AS e ORDER BY e.key${cap ? ` LIMIT ${cap}` : ""}`;
  return `(SELECT COALESCE(jsonb_object_agg(p.key, p.value), '{}'::jsonb) FROM (${pairs}) AS p)`;
}

/** take_any of one value: a non-null (non-empty string) value when the group has one, as Kusto documents. */
function anyValue(v: Scalar, cond?: string): string {
  const nonEmpty = v.type === "string" ? `${v.sql} <> ''` : present(v);
  if (ORDERABLE.includes(v.type) && v.type !== "bool") {
    // the smallest is as good an arbitrary pick as any, and costs no array
    const pick = `min(${ordered(v)})${where([nonEmpty, cond])}`;
    return v.type === "string" ? `COALESCE(${pick}, '')` : pick;
  }
  return `(array_agg(${v.sql})${where([nonEmpty, cond])})[1]`;
}

const extreme = (fn: "min" | "max", v: Scalar) => (v.type === "bool" ? `${fn === "min" ? "bool_and" : "bool_or"}(${v.sql})` : `${fn}(${ordered(v)})`);

/** The percentile arguments: numeric constants in [0, 100], as fractions for percentile_disc. */
function fraction(ctx: CompileContext, e: KExpr, scope: Scope, call: KExpr): string {
  const p = value(ctx, e, scope, call);
  if (!NUMERIC.includes(p.type)) throw ctx.semantic(`${aggName(call)}(): a percentile must be a number`, e);
  if (kindName(e.Kind).endsWith("LiteralExpression")) {
    const n = Number(ctx.text(e).trim());
    if (Number.isFinite(n) && (n < 0 || n > 100)) throw ctx.semantic(`${aggName(call)}(): a percentile must be between 0 and 100`, e);
  }
  return `((${p.sql})::numeric / 100)`;
}

/**
 * Postgres' percentile_disc takes the value at rank ceil(f × n) computed in floating point, where 0.07 × 100 is
 * 7.000000000000001 (rank 8). Nearest rank is ceil(P/100 × n) exactly; as P has few decimals, f × n is either a whole
 * number or at least 1/1000 above one, so nudging f down by 1e-12 gives the exact rank for any group under 10^9 rows.
 */
const discFraction = (frac: string) => `GREATEST(${frac} - 1e-12, 0)::float8`;
const percentileOf = (x: Scalar, frac: string) => `percentile_disc(${discFraction(frac)}) WITHIN GROUP (ORDER BY ${ordered(x)})`;

/** Weighted nearest rank (percentilew): the smallest value whose cumulative weight reaches P% of the total weight. */
function weightedPercentileOf(x: Scalar, w: Scalar, frac: string): string {
  const keep = `FILTER (WHERE ${x.sql} IS NOT NULL AND ${w.sql} > 0)`;
  // both arrays sorted by (value, weight): equal pairs are interchangeable, so the arrays stay aligned
  const order = `ORDER BY ${ordered(x)}, ${w.sql}`;
  const pairs = `unnest(array_agg(${x.sql} ${order}) ${keep}, array_agg((${w.sql})::numeric ${order}) ${keep}) WITH ORDINALITY AS u(x, w, i)`;
  const cumulative = `SELECT u.x, sum(u.w) OVER (ORDER BY u.i) AS cw, sum(u.w) OVER () AS tw FROM ${pairs}`;
  return `(SELECT p.x FROM (${cumulative}) AS p WHERE p.cw >= ceil(${frac} * p.tw) ORDER BY p.cw LIMIT 1)`;
}

function weight(ctx: CompileContext, e: KExpr | undefined, scope: Scope, call: KExpr): Scalar {
  const w = value(ctx, e, scope, call);
  if (w.type !== "int" && w.type !== "long") throw ctx.semantic(`${aggName(call)}(): the weight must be an integer`, e ?? call);
  return w;
}

/** percentiles_array / percentilesw_array: the percentiles as one dynamic array, in the order asked. */
function percentilesArray(ctx: CompileContext, a: KExpr[], s: Scope, c: KExpr, weighted: boolean): string {
  const x = value(ctx, a[0], s, c, RANKABLE);
  const w = weighted ? weight(ctx, a[1], s, c) : null;
  const rest = a.slice(weighted ? 2 : 1);
  if (!rest.length) throw ctx.semantic(`${aggName(c)}() needs at least one percentile`, c);
  // the fractions as a set of (ordinal, fraction) rows
  let fractions: string;
  if (rest.length === 1 && compileScalar(ctx, rest[0]!, s).type === "dynamic") {
    const arr = compileScalar(ctx, rest[0]!, s).sql;
    fractions = `SELECT q.i, (q.v #>> '{}')::numeric / 100 AS f FROM jsonb_array_elements(${arr}) WITH ORDINALITY AS q(v, i)`;
  } else {
    fractions = rest.map((e, i) => `SELECT ${i + 1} AS i, ${fraction(ctx, e, s, c)} AS f`).join(" UNION ALL ");
  }
  const elem = dynamicElement({ sql: "r.v", type: x.type });
  if (w) {
    const each = `SELECT q.i, ${weightedPercentileOf(x, w, "q.f")} AS v FROM (${fractions}) AS q`;
    return `(SELECT COALESCE(jsonb_agg(${elem} ORDER BY r.i), '[]'::jsonb) FROM (${each}) AS r)`;
  }
  const ordinals = `ARRAY(SELECT ${discFraction("q.f")} FROM (${fractions}) AS q ORDER BY q.i)`;
  return `(SELECT COALESCE(jsonb_agg(${elem} ORDER BY r.i), '[]'::jsonb) FROM unnest(percentile_disc(${ordinals}) WITHIN GROUP (ORDER BY ${ordered(x)})) WITH ORDINALITY AS r(v, i))`;
}

const impls: Record<string, AggImpl> = {
  // Kusto's analyser also takes count(predicate), a bool: the rows where it is true, as countif
  count: (ctx, a, s, c) => (a[0] ? `count(*) FILTER (WHERE ${filter(ctx, a[0], s, c)})` : "count(*)"),
  countif: (ctx, a, s, c) => `count(*) FILTER (WHERE ${filter(ctx, a[0], s, c)})`,
  // exact counts: Kusto's estimate at any accuracy level admits the exact value (the level is checked, then moot)
  dcount: (ctx, a, s, c) => {
    accuracy(ctx, a[1], s, c);
    return `count(DISTINCT ${value(ctx, a[0], s, c).sql})`;
  },
  dcountif: (ctx, a, s, c) => {
    accuracy(ctx, a[2], s, c);
    return `count(DISTINCT ${value(ctx, a[0], s, c).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`;
  },
  count_distinct: (ctx, a, s, c) => `count(DISTINCT ${value(ctx, a[0], s, c).sql})`,
  count_distinctif: (ctx, a, s, c) => `count(DISTINCT ${value(ctx, a[0], s, c).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  sum: (ctx, a, s, c) => `sum(${value(ctx, a[0], s, c, SUMMABLE).sql})`,
  sumif: (ctx, a, s, c) => `sum(${value(ctx, a[0], s, c, SUMMABLE).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  avg: (ctx, a, s, c) => `avg(${value(ctx, a[0], s, c, SUMMABLE).sql})`,
  avgif: (ctx, a, s, c) => `avg(${value(ctx, a[0], s, c, SUMMABLE).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  min: (ctx, a, s, c) => extreme("min", value(ctx, a[0], s, c, ORDERABLE)),
  max: (ctx, a, s, c) => extreme("max", value(ctx, a[0], s, c, ORDERABLE)),
  minif: (ctx, a, s, c) => `${extreme("min", value(ctx, a[0], s, c, ORDERABLE))} FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  maxif: (ctx, a, s, c) => `${extreme("max", value(ctx, a[0], s, c, ORDERABLE))} FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  binary_all_and: (ctx, a, s, c) => `bit_and((${value(ctx, a[0], s, c, ["int", "long"]).sql})::bigint)`,
  binary_all_or: (ctx, a, s, c) => `bit_or((${value(ctx, a[0], s, c, ["int", "long"]).sql})::bigint)`,
  binary_all_xor: (ctx, a, s, c) => `bit_xor((${value(ctx, a[0], s, c, ["int", "long"]).sql})::bigint)`,
  stdev: (ctx, a, s, c) => `stddev_samp(${value(ctx, a[0], s, c, NUMERIC).sql})`,
  stdevif: (ctx, a, s, c) => `stddev_samp(${value(ctx, a[0], s, c, NUMERIC).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  stdevp: (ctx, a, s, c) => `stddev_pop(${value(ctx, a[0], s, c, NUMERIC).sql})`,
  variance: (ctx, a, s, c) => `var_samp(${value(ctx, a[0], s, c, NUMERIC).sql})`,
  varianceif: (ctx, a, s, c) => `var_samp(${value(ctx, a[0], s, c, NUMERIC).sql}) FILTER (WHERE ${filter(ctx, a[1], s, c)})`,
  variancep: (ctx, a, s, c) => `var_pop(${value(ctx, a[0], s, c, NUMERIC).sql})`,
  percentile: (ctx, a, s, c) => {
    if (!a[1]) throw ctx.semantic("percentile() needs a percentile", c);
    return percentileOf(value(ctx, a[0], s, c, RANKABLE), fraction(ctx, a[1], s, c));
  },
  percentilew: (ctx, a, s, c) => {
    if (!a[2]) throw ctx.semantic("percentilew() needs a percentile", c);
    return weightedPercentileOf(value(ctx, a[0], s, c, RANKABLE), weight(ctx, a[1], s, c), fraction(ctx, a[2], s, c));
  },
  percentiles_array: (ctx, a, s, c) => percentilesArray(ctx, a, s, c, false),
  percentilesw_array: (ctx, a, s, c) => percentilesArray(ctx, a, s, c, true),
  make_list: (ctx, a, s, c) => collect(ctx, value(ctx, a[0], s, c), maxSize(ctx, a[1], s, c), {}),
  make_set: (ctx, a, s, c) => {
    const v = value(ctx, a[0], s, c);
    const cap = maxSize(ctx, a[1], s, c);
    return v.type === "dynamic" ? dynamicSet(v, cap, undefined) : collect(ctx, v, cap, { distinct: true });
  },
  make_list_if: (ctx, a, s, c) => collect(ctx, value(ctx, a[0], s, c), maxSize(ctx, a[2], s, c), { cond: filter(ctx, a[1], s, c) }),
  make_set_if: (ctx, a, s, c) => {
    const v = value(ctx, a[0], s, c);
    const cap = maxSize(ctx, a[2], s, c);
    const cond = filter(ctx, a[1], s, c);
    return v.type === "dynamic" ? dynamicSet(v, cap, cond) : collect(ctx, v, cap, { distinct: true, cond });
  },
  make_list_with_nulls: (ctx, a, s, c) => collect(ctx, value(ctx, a[0], s, c), null, { nulls: true }),
  make_bag: (ctx, a, s, c) => bag(ctx, value(ctx, a[0], s, c), maxSize(ctx, a[1], s, c), undefined, c),
  make_bag_if: (ctx, a, s, c) => bag(ctx, value(ctx, a[0], s, c), maxSize(ctx, a[2], s, c), filter(ctx, a[1], s, c), c),
  take_any: (ctx, a, s, c) => anyValue(value(ctx, a[0], s, c)),
  any: (ctx, a, s, c) => anyValue(value(ctx, a[0], s, c)),
  take_anyif: (ctx, a, s, c) => anyValue(value(ctx, a[0], s, c), filter(ctx, a[1], s, c)),
  anyif: (ctx, a, s, c) => anyValue(value(ctx, a[0], s, c), filter(ctx, a[1], s, c)),
};

/** Aggregates that give several columns (a tuple): see tuple-aggregates.ts. */
const tupleAggregates = new Set(["arg_max", "arg_min", "percentiles", "percentilesw"]);

export const isArgExtreme = (name: string) => name === "arg_max" || name === "arg_min";
export const isAggregate = (name: string) => name in impls || tupleAggregates.has(name);
/** Every aggregate the local engine implements. */
export const supportedAggregates: readonly string[] = [...Object.keys(impls), ...tupleAggregates].sort();

/** One aggregate call → SQL of the analyser's result type. */
export function compileAggregate(ctx: CompileContext, call: Kusto.Language.Syntax.FunctionCallExpression, scope: Scope): Scalar {
  const name = call.Name!.SimpleName!;
  const impl = impls[name];
  if (!impl) {
    if (tupleAggregates.has(name) || name === "take_any" || name === "any") throw ctx.unsupported(`${name}() inside an expression (use it as a summarize item of its own)`, call);
    throw ctx.unsupported(`the aggregate ${name}()`, call);
  }
  const args = elems<KExpr>(call.ArgumentList!.Expressions);
  const type = ctx.typeOf(call);
  // as for scalar functions: an argument the implementation did not read would be silently ignored, so refuse it
  const { tracked, firstUnread } = readTracker(args);
  const sql = impl(ctx, tracked, scope, call);
  const ignored = firstUnread();
  if (ignored >= 0) throw ctx.unsupported(`the ${parameterName(call, ignored)} argument of ${name}()`, args[ignored]!);
  const pg = pgTypeOf[type];
  // with nothing to aggregate these give 0, not null (summarize's "default values of aggregations" table)
  if (ZERO_BY_DEFAULT.has(name)) return { sql: `COALESCE((${sql})::${pg}, '0'::${pg})`, type };
  return { sql: `(${sql})::${pg}`, type };
}

/** Aggregates whose default value is 0 (count, countif, dcount and their kin are counts already, never null). */
const ZERO_BY_DEFAULT = new Set(["sum", "sumif", "variance", "varianceif", "stdev", "stdevif"]);

export { fraction as percentileFraction, percentileOf, weightedPercentileOf, weight as percentileWeight, RANKABLE, value as aggregateValue };
