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
    return { sql: `date_bin(${size.sql}, ${x.sql}, '0001-01-01T00:00:00Z'::timestamptz)`, type: "datetime" };
  }
  if (x.type === "timespan") {
    const secs = `extract(epoch from ${size.sql})`;
    return { sql: `make_interval(secs => floor(extract(epoch from ${x.sql}) / ${secs}) * ${secs})`, type: "timespan" };
  }
  if (!isNumeric(x.type)) throw c.ctx.semantic(`bin() cannot round a ${x.type}`, c.args[0]!);
  return { sql: `(floor((${x.sql})::numeric / NULLIF((${size.sql})::numeric, 0)) * (${size.sql})::numeric)::${pgTypeOf[type]}`, type };
}

export const mathImpls: Impls = {
  round: (c) => {
    const x = c.arg(0);
    const digits = c.args.length > 1 ? `(${c.arg(1).sql})::int` : "0";
    const type = c.type();
    // numeric rounding goes half away from zero, as .NET's Math.Round(x, MidpointRounding.AwayFromZero) that Kusto uses
    return { sql: `round((${x.sql})::numeric, ${digits})::${pgTypeOf[type]}`, type };
  },
  abs: (c) => ({ sql: `abs(${c.arg(0).sql})`, type: c.type() }),
  sqrt: (c) => ({ sql: `(CASE WHEN ${c.arg(0).sql} >= 0 THEN sqrt((${c.arg(0).sql})::float8) END)`, type: "real" }),
  pow: (c) => ({ sql: `power((${c.arg(0).sql})::float8, (${c.arg(1).sql})::float8)`, type: "real" }),
  max_of: (c) => ({ sql: `GREATEST(${c.args.map((_, i) => castTo(c.arg(i), c.type()).sql).join(", ")})`, type: c.type() }),
  min_of: (c) => ({ sql: `LEAST(${c.args.map((_, i) => castTo(c.arg(i), c.type()).sql).join(", ")})`, type: c.type() }),
  bin: (c) => binFn(c),
  floor: (c) => (c.args.length === 1 ? { sql: `floor(${c.arg(0).sql})`, type: c.type() } : binFn(c)),
};
