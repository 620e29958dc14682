/**
 * Series functions over the dynamic arrays make-series builds: series_fill_const, series_fill_forward,
 * series_fill_backward (https://learn.microsoft.com/kusto/query/series-fill-forward-function and siblings).
 * A missing element is a JSON null, or equals the placeholder argument when one is given. Leading (forward) or
 * trailing (backward) missing elements stay as they are. series_fill_linear interpolates between the present
 * neighbours (https://learn.microsoft.com/kusto/query/series-fill-linear-function). series_stats gives one column
 * per statistic (https://learn.microsoft.com/kusto/query/series-stats-function).
 */
import type { CompileContext, Scalar } from "../context";
import type { Call, Impls } from "./call";

function series(c: Call): Scalar {
  const s = c.arg(0);
  if (s.type !== "dynamic") throw c.ctx.semantic(`${c.node.Name!.SimpleName}() needs a dynamic array, got ${s.type}`, c.args[0]!);
  return s;
}

/** SQL testing whether element `e` is missing: a JSON null, or equal to the placeholder argument `i` when given. */
function missing(c: Call, i: number, e: string): string {
  if (c.args.length <= i) return `jsonb_typeof(${e}) = 'null'`;
  const p = c.arg(i);
  if (/^NULL::/.test(p.sql)) return `jsonb_typeof(${e}) = 'null'`;
  return `(jsonb_typeof(${e}) = 'null' OR ${e} = to_jsonb(${p.sql}))`;
}

const elements = (arr: string) => `jsonb_array_elements(CASE WHEN jsonb_typeof(${arr}) = 'array' THEN ${arr} END) WITH ORDINALITY AS t(e, n)`;
const orNull = (arr: string, sql: string) => `(CASE WHEN jsonb_typeof(${arr}) = 'array' THEN COALESCE(${sql}, '[]'::jsonb) END)`;

/** Forward (or backward) fill: each missing element takes the nearest present one before (after) it. */
function fill(backward: boolean) {
  return (c: Call): Scalar => {
    if (c.args.length > 2) throw c.ctx.unsupported(`the extra arguments of ${c.node.Name!.SimpleName}()`, c.args[2]!);
    const arr = series(c).sql;
    const dir = backward ? "DESC" : "ASC";
    const isMissing = missing(c, 1, "t.e");
    const groups = `SELECT t.n, t.e, (${isMissing}) AS m, count(*) FILTER (WHERE NOT (${isMissing})) OVER (ORDER BY t.n ${dir}) AS g FROM ${elements(arr)}`;
    const filled = `SELECT s.n, CASE WHEN s.g = 0 OR NOT s.m THEN s.e ELSE first_value(s.e) OVER (PARTITION BY s.g ORDER BY s.n ${dir}) END AS v FROM (${groups}) AS s`;
    return { sql: orNull(arr, `(SELECT jsonb_agg(f.v ORDER BY f.n) FROM (${filled}) AS f)`), type: "dynamic" };
  };
}

/**
 * series_fill_linear(series[, placeholder[, fill_edges[, constant]]]): a missing element between two present ones
 * takes the value on the straight line between them; at the edges the nearest present value (unless fill_edges is
 * false); a series with nothing present is all `constant` (0 by default; a null constant keeps it). A series whose
 * present elements are all integers gets integer results: the page's example shows 73.5 → 73 and 32.667 → 32, so
 * the fraction is cut (toward zero, as a .NET cast does).
 */
function fillLinear(c: Call): Scalar {
  const arr = series(c).sql;
  const isMissing = missing(c, 1, "t.e");
  const fillEdges = c.args.length > 2 ? c.arg(2) : { sql: "true", type: "bool" as const };
  if (fillEdges.type !== "bool") throw c.ctx.semantic(`fill_edges of series_fill_linear() must be bool, got ${fillEdges.type}`, c.args[2]!);
  const constant = c.args.length > 3 ? c.arg(3) : { sql: "0.0", type: "real" as const };
  if (!/^NULL::/.test(constant.sql) && !["int", "long", "real", "decimal"].includes(constant.type)) {
    throw c.ctx.semantic(`constant_value of series_fill_linear() must be a number, got ${constant.type}`, c.args[3]!);
  }
  const allMissingFill = /^NULL::/.test(constant.sql) ? "s.e" : `to_jsonb(${constant.sql})`;
  // per element: missing or not, its number, and the count of present elements up to it from either side
  const marked = `SELECT t.n, t.e, (${isMissing}) AS m, CASE WHEN jsonb_typeof(t.e) = 'number' THEN (t.e #>> '{}')::float8 END AS v FROM ${elements(arr)}`;
  const counted = `SELECT k.*, count(*) FILTER (WHERE NOT k.m) OVER (ORDER BY k.n) AS gp, count(*) FILTER (WHERE NOT k.m) OVER (ORDER BY k.n DESC) AS gn,
    count(*) FILTER (WHERE NOT k.m) OVER () AS present, COALESCE(bool_and((k.e #>> '{}') ~ '^-?[0-9]+$') FILTER (WHERE NOT k.m) OVER (), false) AS ints FROM (${marked}) AS k`;
  // the present element that opens each run: the previous (gp) and next (gn) neighbours of the missing ones in it
  const neighbours = `SELECT g.*, first_value(g.n) OVER (PARTITION BY g.gp ORDER BY g.n) AS pn, first_value(g.v) OVER (PARTITION BY g.gp ORDER BY g.n) AS pv,
    first_value(g.e) OVER (PARTITION BY g.gp ORDER BY g.n) AS pe, first_value(g.n) OVER (PARTITION BY g.gn ORDER BY g.n DESC) AS nn,
    first_value(g.v) OVER (PARTITION BY g.gn ORDER BY g.n DESC) AS nv, first_value(g.e) OVER (PARTITION BY g.gn ORDER BY g.n DESC) AS ne FROM (${counted}) AS g`;
  const line = `s.pv + (s.nv - s.pv) * (s.n - s.pn)::float8 / (s.nn - s.pn)`;
  const value = `CASE WHEN NOT s.m THEN s.e WHEN s.present = 0 THEN ${allMissingFill}
    WHEN s.gp = 0 THEN CASE WHEN ${fillEdges.sql} THEN s.ne ELSE s.e END
    WHEN s.gn = 0 THEN CASE WHEN ${fillEdges.sql} THEN s.pe ELSE s.e END
    WHEN s.ints THEN to_jsonb(trunc(${line})::bigint) ELSE to_jsonb(${line}) END`;
  return { sql: orNull(arr, `(SELECT jsonb_agg(${value} ORDER BY s.n) FROM (${neighbours}) AS s)`), type: "dynamic" };
}

export const seriesImpls: Impls = {
  series_fill_linear: fillLinear,
  // its columns come from extend/project items (tabular/rel.ts); nested in an expression there is no one value
  series_stats: (c) => {
    throw c.ctx.unsupported("series_stats() inside an expression (it gives several columns: make it an extend or project item)", c.node);
  },
  series_fill_const: (c) => {
    const arr = series(c).sql;
    const value = c.arg(1);
    return {
      sql: orNull(arr, `(SELECT jsonb_agg(CASE WHEN ${missing(c, 2, "t.e")} THEN to_jsonb(${value.sql}) ELSE t.e END ORDER BY t.n) FROM ${elements(arr)})`),
      type: "dynamic",
    };
  },
  series_fill_forward: fill(false),
  series_fill_backward: fill(true),
};

/**
 * series_stats(series[, ignore_nonfinite]): min, min_idx, max, max_idx, avg, stdev, variance of the numbers in the
 * array (sample variance and deviation; an index is the first position of its value). Without ignore_nonfinite, an
 * element that is no finite number (null included) makes every statistic null. Keyed by the analyser's column
 * suffixes (`series_stats_x_min`, ...), in its order.
 */
export function seriesStats(ctx: CompileContext, args: Scalar[], node: Kusto.Language.Syntax.FunctionCallExpression): Map<string, Scalar> {
  const [arr, ignore] = args;
  if (arr?.type !== "dynamic") throw ctx.semantic(`series_stats() needs a dynamic array, got ${arr?.type}`, node);
  if (ignore && ignore.type !== "bool") throw ctx.semantic(`ignore_nonfinite of series_stats() must be bool, got ${ignore.type}`, node);
  const values = `(SELECT t.n, CASE WHEN jsonb_typeof(t.e) = 'number' THEN (t.e #>> '{}')::float8 END AS v FROM ${elements(arr.sql)})`;
  const finite = `(SELECT u.n, u.v FROM ${values} AS u WHERE u.v IS NOT NULL)`;
  // null when the array is no array, or (unless ignored) holds anything but finite numbers
  const valid = `(jsonb_typeof(${arr.sql}) = 'array' AND (${ignore ? ignore.sql : "false"} OR NOT EXISTS (SELECT 1 FROM ${values} AS w WHERE w.v IS NULL)))`;
  const stat = (agg: string): string => `(CASE WHEN ${valid} THEN (SELECT ${agg} FROM ${finite} AS f) END)`;
  const firstAt = (agg: string): string => `(CASE WHEN ${valid} THEN (SELECT f.n - 1 FROM ${finite} AS f WHERE f.v = (SELECT ${agg} FROM ${finite} AS g) ORDER BY f.n LIMIT 1) END)`;
  return new Map<string, Scalar>([
    ["min", { sql: stat("min(f.v)"), type: "real" }],
    ["min_idx", { sql: firstAt("min(g.v)"), type: "long" }],
    ["max", { sql: stat("max(f.v)"), type: "real" }],
    ["max_idx", { sql: firstAt("max(g.v)"), type: "long" }],
    ["avg", { sql: stat("avg(f.v)"), type: "real" }],
    ["stdev", { sql: stat("stddev_samp(f.v)"), type: "real" }],
    ["variance", { sql: stat("var_samp(f.v)"), type: "real" }],
  ]);
}
