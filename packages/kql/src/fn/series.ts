/**
 * Series functions over the dynamic arrays make-series builds: series_fill_const, series_fill_forward,
 * series_fill_backward (https://learn.microsoft.com/kusto/query/series-fill-forward-function and siblings).
 * A missing element is a JSON null, or equals the placeholder argument when one is given. Leading (forward) or
 * trailing (backward) missing elements stay as they are. series_fill_linear and series_stats are left to the
 * "not supported" path: their rounding of integer series is not something Postgres would reproduce bit for bit.
 */
import type { Scalar } from "../context";
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

export const seriesImpls: Impls = {
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
