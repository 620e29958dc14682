/** Numeric functions. */
import { castTo } from "../scalar";
import { isNumeric, pgTypeOf } from "../types";
import type { Scalar } from "../context";
import type { Call, Impls } from "./call";

/** bin(x, size): rounds down to a multiple of size; datetimes align on 0001-01-01 as in Kusto. */
function binFn(c: Call): Scalar {
  const x = c.arg(0);
  const size = c.arg(1);
  const type = c.type();
  if (x.type === "datetime") {
    if (size.type !== "timespan") throw c.ctx.semantic("bin() of a datetime needs a timespan size", c.args[1]!);
    return { sql: `(CASE WHEN ${size.sql} > interval '0' THEN date_bin(${size.sql}, ${x.sql}, '0001-01-01T00:00:00Z'::timestamptz) END)`, type: "datetime" };
  }
  if (x.type === "timespan") {
    const secs = `extract(epoch from ${size.sql})`;
    return { sql: `(CASE WHEN ${secs} > 0 THEN make_interval(secs => floor(extract(epoch from ${x.sql}) / ${secs}) * ${secs}) END)`, type: "timespan" };
  }
  if (!isNumeric(x.type)) throw c.ctx.semantic(`bin() cannot round a ${x.type}`, c.args[0]!);
  // "a null bin size, or a negative bin size will result in null"
  return { sql: `(CASE WHEN ${size.sql} > 0 THEN (floor((${x.sql})::numeric / (${size.sql})::numeric) * (${size.sql})::numeric)::${pgTypeOf[type]} END)`, type };
}

const real = (c: Call, i: number) => `(${c.arg(i).sql})::float8`;
const isFinite = (x: string) => `(${x} NOT IN ('Infinity'::float8, '-Infinity'::float8, 'NaN'::float8))`;

/**
 * x^y without Postgres' errors (overflow, 0 to a negative power, a negative base to a fractional power): Kusto, like
 * .NET's Math.Pow, answers ±∞ or NaN instead.
 */
function powSql(x: string, y: string): string {
  // in numeric: y * ln|x| itself overflows a double for the exponents that matter here
  const magnitude = `((${y})::numeric * ln(NULLIF(abs(${x}), 0))::numeric)`;
  const oddInt = `(${y} = trunc(${y}) AND abs(${y}) < 9e15 AND mod(${y}::numeric, 2) <> 0)`;
  return `(CASE
    WHEN ${x} IS NULL OR ${y} IS NULL THEN NULL
    WHEN NOT ${isFinite(x)} OR NOT ${isFinite(y)} THEN power(${x}, ${y})
    WHEN ${x} = 0 AND ${y} < 0 THEN 'Infinity'::float8
    WHEN ${x} < 0 AND ${y} <> trunc(${y}) THEN 'NaN'::float8
    WHEN ${x} <> 0 AND ${magnitude} > 709 THEN (CASE WHEN ${x} < 0 AND ${oddInt} THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END)
    WHEN ${x} <> 0 AND ${magnitude} < -745 THEN 0::float8
    ELSE power(${x}, ${y}) END)`.replace(/\s+/g, " ");
}

/** A logarithm: null for x <= 0 (Postgres would fail), as Kusto documents; other bases in numeric, so log2(8) is 3 exactly. */
const logSql = (x: string, base: number | null) =>
  `(CASE WHEN ${x} = 'Infinity'::float8 THEN ${x} WHEN ${x} > 0 THEN ${base ? `log(${base}::numeric, (${x})::numeric)::float8` : `ln(${x})`} END)`;

/** exp without Postgres' overflow error: ∞ past the largest double, as .NET's Math.Exp. */
const expSql = (x: string) => `(CASE WHEN ${x} > 709.78 THEN 'Infinity'::float8 WHEN ${x} < -745.2 THEN 0::float8 ELSE exp(${x}) END)`;

/** Functions of a real defined on [-1, 1] give NaN outside it (Postgres fails). */
const unitDomain = (fn: string, x: string) => `(CASE WHEN ${x} BETWEEN -1 AND 1 THEN ${fn}(${x}) WHEN ${x} IS NOT NULL THEN 'NaN'::float8 END)`;

/** max_of/min_of: nulls are ignored (null only when every argument is); strings compare by code point. */
function extremum(c: Call, fn: "GREATEST" | "LEAST"): Scalar {
  const type = c.type();
  const parts = c.args.map((_, i) => castTo(c.arg(i), type).sql);
  return { sql: `${fn}(${parts.map((p) => (type === "string" ? `(${p} COLLATE "C")` : p)).join(", ")})`, type };
}

export const mathImpls: Impls = {
  round: (c) => {
    const x = c.arg(0);
    // numeric rounds to at most ±16383 places; further is the same answer for a double
    const digits = c.args.length > 1 ? `LEAST(GREATEST((${c.arg(1).sql})::bigint, -1000), 1000)::int` : "0";
    const type = c.type();
    // numeric rounding goes half away from zero, as .NET's Math.Round(x, MidpointRounding.AwayFromZero) that Kusto uses
    const rounded = `round((${x.sql})::numeric, ${digits})::${pgTypeOf[type]}`;
    if (x.type !== "real") return { sql: rounded, type };
    return { sql: `(CASE WHEN ${isFinite(x.sql)} THEN ${rounded} ELSE ${x.sql} END)`, type };
  },
  abs: (c) => {
    const x = c.arg(0);
    // Postgres has no abs(interval)
    if (x.type === "timespan") return { sql: `(CASE WHEN ${x.sql} < interval '0' THEN -${x.sql} ELSE ${x.sql} END)`, type: "timespan" };
    return { sql: `abs(${x.sql})`, type: c.type() };
  },
  sign: (c) => ({ sql: `sign(${c.arg(0).sql})::${pgTypeOf[c.type()]}`, type: c.type() }),
  // "null if the argument is negative"
  sqrt: (c) => ({ sql: `(CASE WHEN ${c.arg(0).sql} >= 0 THEN sqrt(${real(c, 0)}) END)`, type: "real" }),
  pow: (c) => ({ sql: powSql(real(c, 0), real(c, 1)), type: "real" }),
  exp: (c) => ({ sql: expSql(real(c, 0)), type: "real" }),
  exp2: (c) => ({ sql: powSql("2::float8", real(c, 0)), type: "real" }),
  exp10: (c) => ({ sql: powSql("10::float8", real(c, 0)), type: "real" }),
  log: (c) => ({ sql: logSql(real(c, 0), null), type: "real" }),
  log2: (c) => ({ sql: logSql(real(c, 0), 2), type: "real" }),
  log10: (c) => ({ sql: logSql(real(c, 0), 10), type: "real" }),
  pi: () => ({ sql: "pi()", type: "real" }),
  cos: (c) => ({ sql: `cos(${real(c, 0)})`, type: "real" }),
  sin: (c) => ({ sql: `sin(${real(c, 0)})`, type: "real" }),
  tan: (c) => ({ sql: `tan(${real(c, 0)})`, type: "real" }),
  cot: (c) => ({ sql: `(1 / NULLIF(tan(${real(c, 0)}), 0))`, type: "real" }),
  acos: (c) => ({ sql: unitDomain("acos", real(c, 0)), type: "real" }),
  asin: (c) => ({ sql: unitDomain("asin", real(c, 0)), type: "real" }),
  atan: (c) => ({ sql: `atan(${real(c, 0)})`, type: "real" }),
  atan2: (c) => ({ sql: `atan2(${real(c, 0)}, ${real(c, 1)})`, type: "real" }),
  degrees: (c) => {
    const x = real(c, 0);
    // ±∞ past the largest double, where Postgres' multiplication fails
    const overflows = `abs((${x})::numeric * 180 / pi()::numeric) > 1.7976931348623157e308`;
    return { sql: `(CASE WHEN NOT ${isFinite(x)} THEN degrees(${x}) WHEN ${overflows} THEN sign(${x}) * 'Infinity'::float8 ELSE degrees(${x}) END)`, type: "real" };
  },
  radians: (c) => ({ sql: `radians(${real(c, 0)})`, type: "real" }),
  // "true if x is NaN and false otherwise": a null is no NaN, no infinity and no finite number either
  isnan: (c) => ({ sql: `COALESCE(${real(c, 0)} = 'NaN'::float8, false)`, type: "bool" }),
  isinf: (c) => ({ sql: `COALESCE(${real(c, 0)} IN ('Infinity'::float8, '-Infinity'::float8), false)`, type: "bool" }),
  isfinite: (c) => ({ sql: `COALESCE(${isFinite(real(c, 0))}, false)`, type: "bool" }),
  max_of: (c) => extremum(c, "GREATEST"),
  min_of: (c) => extremum(c, "LEAST"),
  bin: (c) => binFn(c),
  floor: (c) => (c.args.length === 1 ? { sql: `floor(${c.arg(0).sql})`, type: c.type() } : binFn(c)),
  ceiling: (c) => {
    const x = c.arg(0);
    // an integer is its own ceiling (through a double, the largest longs would overflow)
    if (x.type === "long" || x.type === "int") return castTo(x, c.type());
    return { sql: `ceiling(${x.sql})::${pgTypeOf[c.type()]}`, type: c.type() };
  },
};
