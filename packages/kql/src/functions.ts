/** Kusto scalar functions, each translated to Postgres with Kusto's null and type rules. */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar, Scope } from "./context";
import { compileAggregate, isAggregate } from "./aggregates";
import { elems, kindName, type KExpr } from "./kusto";
import { castTo, compileCondition, compileScalar, stringLiteralValue, toStringSql } from "./scalar";
import { isNumeric, pgTypeOf } from "./types";

type Call = {
  ctx: CompileContext;
  node: Kusto.Language.Syntax.FunctionCallExpression;
  args: KExpr[];
  scope: Scope;
  /** Compile argument i. */
  arg(i: number): Scalar;
  /** The analyser's result type of the call. */
  type(): KustoType;
};

type Impl = (c: Call) => Scalar;

const NUMBER_RE = `'^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$'`;
const INTEGER_RE = `'^\\s*[+-]?\\d{1,18}\\s*$'`;
// ISO 8601 dates with optional time and offset; anything else converts to null as Kusto's todatetime() does
const DATETIME_RE = `'^\\s*\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])([ T]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,7})?)?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?\\s*$'`;

const periods: Record<string, string> = {
  year: "year",
  quarter: "quarter",
  month: "month",
  week: "week",
  day: "day",
  hour: "hour",
  minute: "minute",
  second: "second",
  millisecond: "millisecond",
  microsecond: "microsecond",
};

function needType(c: Call, i: number, ...types: KustoType[]): Scalar {
  const s = c.arg(i);
  if (!types.includes(s.type)) {
    throw c.ctx.semantic(`argument ${i + 1} of ${c.node.Name!.SimpleName}() must be ${types.join(" or ")}, got ${s.type}`, c.args[i]!);
  }
  return s;
}

function literalText(c: Call, i: number): string {
  const a = c.args[i];
  if (!a || kindName(a.Kind) !== "StringLiteralExpression") {
    throw c.ctx.unsupported(`a non-literal argument ${i + 1} of ${c.node.Name!.SimpleName}()`, a ?? c.node);
  }
  return stringLiteralValue(a);
}

const toDouble = (s: Scalar): string => {
  switch (s.type) {
    case "string":
      return `(CASE WHEN ${s.sql} ~ ${NUMBER_RE} THEN (${s.sql})::double precision END)`;
    case "bool":
      return `(CASE WHEN ${s.sql} THEN 1.0 WHEN NOT ${s.sql} THEN 0.0 END)::double precision`;
    case "dynamic":
      return toDouble({ sql: `(${s.sql} #>> '{}')`, type: "string" });
    case "timespan":
      return `(extract(epoch from ${s.sql}) * 10000000)::double precision`;
    default:
      return `(${s.sql})::double precision`;
  }
};

const toInteger = (s: Scalar, pg: "bigint" | "integer"): string => {
  switch (s.type) {
    case "string":
      return `(CASE WHEN ${s.sql} ~ ${INTEGER_RE} THEN (${s.sql})::numeric::${pg} END)`;
    case "real":
    case "decimal":
      return `(CASE WHEN abs(${s.sql}) < ${pg === "bigint" ? "9.2e18" : "2147483648"} THEN trunc(${s.sql})::${pg} END)`;
    case "bool":
      return `(CASE WHEN ${s.sql} THEN 1 WHEN NOT ${s.sql} THEN 0 END)::${pg}`;
    case "dynamic":
      return toInteger({ sql: `(${s.sql} #>> '{}')`, type: "string" }, pg);
    default:
      return `(${s.sql})::${pg}`;
  }
};

const toDatetime = (s: Scalar): string => {
  switch (s.type) {
    case "datetime":
      return s.sql;
    case "string": {
      // the regex admits Feb 30; the nested CASE (evaluated in order, unlike AND) keeps such a value null
      const part = (from: number, len: number) => `substr(ltrim(${s.sql}), ${from}, ${len})::int`;
      const validDay = `extract(month from make_date(${part(1, 4)}, ${part(6, 2)}, 1) + (${part(9, 2)} - 1)) = ${part(6, 2)}`;
      return `(CASE WHEN ${s.sql} ~ ${DATETIME_RE} THEN (CASE WHEN ${validDay} THEN (${s.sql})::timestamptz END) END)`;
    }
    case "dynamic":
      return toDatetime({ sql: `(${s.sql} #>> '{}')`, type: "string" });
    default:
      return `NULL::timestamptz`;
  }
};

const toBool = (s: Scalar): string => {
  switch (s.type) {
    case "bool":
      return s.sql;
    case "string":
      return `(CASE lower(trim(${s.sql})) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END)`;
    case "dynamic":
      return toBool({ sql: `(${s.sql} #>> '{}')`, type: "string" });
    default:
      if (isNumeric(s.type)) return `((${s.sql}) <> 0)`;
      return "NULL::boolean";
  }
};

/** A dynamic value read as a scalar of `type` (Kusto converts implicitly when a dynamic meets a typed value). */
export function fromDynamic(s: Scalar, type: KustoType): Scalar {
  switch (type) {
    case "string":
      return { sql: toStringSql(s), type };
    case "bool":
      return { sql: toBool(s), type };
    case "datetime":
      return { sql: toDatetime(s), type };
    case "long":
    case "int":
      return { sql: toInteger(s, type === "long" ? "bigint" : "integer"), type };
    case "real":
    case "decimal":
      return { sql: `(${toDouble(s)})::${pgTypeOf[type]}`, type };
    case "guid":
      return { sql: `(CASE WHEN (${s.sql} #>> '{}') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${s.sql} #>> '{}')::uuid END)`, type };
    default:
      return s;
  }
}

/** .NET custom date format → Postgres to_char, for the specifiers format_datetime() documents. */
function toCharFormat(c: Call, format: string): string {
  const tokens: [RegExp, string][] = [
    [/^yyyy/, "YYYY"],
    [/^yy/, "YY"],
    [/^MM/, "MM"],
    [/^M/, "FMMM"],
    [/^dd/, "DD"],
    [/^d/, "FMDD"],
    [/^HH/, "HH24"],
    [/^H/, "FMHH24"],
    [/^hh/, "HH12"],
    [/^h/, "FMHH12"],
    [/^mm/, "MI"],
    [/^m/, "FMMI"],
    [/^ss/, "SS"],
    [/^s/, "FMSS"],
    [/^fffffff/, 'US"0"'],
    [/^ffffff/, "US"],
    [/^fffff/, "FF5"],
    [/^ffff/, "FF4"],
    [/^fff/, "MS"],
    [/^ff/, "FF2"],
    [/^f/, "FF1"],
    [/^tt/, "AM"],
  ];
  let out = "";
  let rest = format;
  while (rest.length > 0) {
    const hit = tokens.find(([re]) => re.test(rest));
    if (hit) {
      out += hit[1];
      rest = rest.replace(hit[0], "");
      continue;
    }
    const ch = rest[0]!;
    if (!/[\s/\-:,._[\]]/.test(ch)) throw c.ctx.unsupported(`the format specifier '${ch}' in format_datetime()`, c.args[1]!);
    out += `"${ch}"`;
    rest = rest.slice(1);
  }
  return out;
}

/** datetime_diff counts period boundaries crossed between b and a, as Kusto does. */
function datetimeDiff(period: string, a: string, b: string): string {
  const epoch = (x: string) => `extract(epoch from ${x})`;
  const floorDiv = (unit: number) => `(floor(${epoch(a)} / ${unit}) - floor(${epoch(b)} / ${unit}))::bigint`;
  switch (period) {
    case "year":
      return `(extract(year from ${a}) - extract(year from ${b}))::bigint`;
    case "quarter":
      return `((extract(year from ${a}) - extract(year from ${b})) * 4 + extract(quarter from ${a}) - extract(quarter from ${b}))::bigint`;
    case "month":
      return `((extract(year from ${a}) - extract(year from ${b})) * 12 + extract(month from ${a}) - extract(month from ${b}))::bigint`;
    case "week":
      // weeks start on Sunday; 1970-01-04 was one
      return `(floor((${epoch(a)} - 259200) / 604800) - floor((${epoch(b)} - 259200) / 604800))::bigint`;
    case "day":
      return floorDiv(86400);
    case "hour":
      return floorDiv(3600);
    case "minute":
      return floorDiv(60);
    case "second":
      return floorDiv(1);
    case "millisecond":
      return `(floor(${epoch(a)} * 1000) - floor(${epoch(b)} * 1000))::bigint`;
    default:
      return `(floor(${epoch(a)} * 1000000) - floor(${epoch(b)} * 1000000))::bigint`;
  }
}

const impls: Record<string, Impl> = {
  now: (c) =>
    c.args.length === 0
      ? { sql: c.ctx.nowSql, type: "datetime" }
      : { sql: `(${c.ctx.nowSql} + ${needType(c, 0, "timespan").sql})`, type: "datetime" },
  ago: (c) => ({ sql: `(${c.ctx.nowSql} - ${needType(c, 0, "timespan").sql})`, type: "datetime" }),
  todatetime: (c) => ({ sql: toDatetime(c.arg(0)), type: "datetime" }),
  todouble: (c) => ({ sql: toDouble(c.arg(0)), type: "real" }),
  toreal: (c) => ({ sql: toDouble(c.arg(0)), type: "real" }),
  toint: (c) => ({ sql: toInteger(c.arg(0), "integer"), type: "int" }),
  tolong: (c) => ({ sql: toInteger(c.arg(0), "bigint"), type: "long" }),
  tostring: (c) => ({ sql: toStringSql(c.arg(0)), type: "string" }),
  tobool: (c) => ({ sql: toBool(c.arg(0)), type: "bool" }),
  toboolean: (c) => ({ sql: toBool(c.arg(0)), type: "bool" }),
  toguid: (c) => {
    const s = needType(c, 0, "string", "guid");
    if (s.type === "guid") return s;
    return {
      sql: `(CASE WHEN ${s.sql} ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN (${s.sql})::uuid END)`,
      type: "guid",
    };
  },
  iff: (c) => conditional(c),
  iif: (c) => conditional(c),
  case: (c) => {
    const type = c.type();
    const arms: string[] = [];
    for (let i = 0; i + 1 < c.args.length; i += 2) {
      arms.push(`WHEN ${compileCondition(c.ctx, c.args[i]!, c.scope)} THEN ${castTo(c.arg(i + 1), type).sql}`);
    }
    return { sql: `(CASE ${arms.join(" ")} ELSE ${castTo(c.arg(c.args.length - 1), type).sql} END)`, type };
  },
  strcat: (c) => ({ sql: `concat(${c.args.map((_, i) => toStringSql(c.arg(i))).join(", ")})`, type: "string" }),
  tolower: (c) => ({ sql: `lower(${toStringSql(c.arg(0))})`, type: "string" }),
  toupper: (c) => ({ sql: `upper(${toStringSql(c.arg(0))})`, type: "string" }),
  strlen: (c) => ({ sql: `char_length(${needType(c, 0, "string").sql})::bigint`, type: "long" }),
  substring: (c) => {
    const s = toStringSql(c.arg(0));
    const start = `GREATEST((${c.arg(1).sql})::int, 0) + 1`;
    return {
      sql: c.args.length > 2 ? `substr(${s}, ${start}, GREATEST((${c.arg(2).sql})::int, 0))` : `substr(${s}, ${start})`,
      type: "string",
    };
  },
  replace_string: (c) => ({
    sql: `replace(${needType(c, 0, "string").sql}, ${needType(c, 1, "string").sql}, ${needType(c, 2, "string").sql})`,
    type: "string",
  }),
  isempty: (c) => {
    const s = c.arg(0);
    return { sql: s.type === "string" ? `(${s.sql} = '')` : `(${s.sql} IS NULL)`, type: "bool" };
  },
  isnotempty: (c) => {
    const s = c.arg(0);
    return { sql: s.type === "string" ? `(${s.sql} <> '')` : `(${s.sql} IS NOT NULL)`, type: "bool" };
  },
  // strings are never null in Kusto, even empty ones
  isnull: (c) => {
    const s = c.arg(0);
    return { sql: s.type === "string" ? "false" : `(${s.sql} IS NULL)`, type: "bool" };
  },
  isnotnull: (c) => {
    const s = c.arg(0);
    return { sql: s.type === "string" ? "true" : `(${s.sql} IS NOT NULL)`, type: "bool" };
  },
  not: (c) => ({ sql: `(NOT ${compileCondition(c.ctx, c.args[0]!, c.scope)})`, type: "bool" }),
  coalesce: (c) => {
    const type = c.type();
    const parts = c.args.map((_, i) => castTo(c.arg(i), type).sql);
    // for strings Kusto takes the first non-empty value
    if (type === "string") return { sql: `COALESCE(${parts.map((p) => `NULLIF(${p}, '')`).join(", ")}, '')`, type };
    return { sql: `COALESCE(${parts.join(", ")})`, type };
  },
  columnifexists: (c) => {
    const name = literalText(c, 0);
    const col = c.scope.columns.get(name);
    const type = c.type();
    if (!col) return castTo(c.arg(1), type);
    if (col.type !== type) {
      throw c.ctx.unsupported(`columnifexists('${name}', ...) with a default of another type than the column's (${col.type})`, c.node);
    }
    return col;
  },
  ingestion_time: (c) => {
    if (!c.scope.ingestion) throw c.ctx.unsupported("ingestion_time() after summarize, join, union or distinct", c.node);
    return { sql: c.scope.ingestion, type: "datetime" };
  },
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
  startofday: (c) => ({ sql: `date_trunc('day', ${needType(c, 0, "datetime").sql}, 'UTC')`, type: "datetime" }),
  startofmonth: (c) => ({ sql: `date_trunc('month', ${needType(c, 0, "datetime").sql}, 'UTC')`, type: "datetime" }),
  startofyear: (c) => ({ sql: `date_trunc('year', ${needType(c, 0, "datetime").sql}, 'UTC')`, type: "datetime" }),
  startofweek: (c) => {
    const d = needType(c, 0, "datetime").sql;
    return { sql: `(date_trunc('day', ${d}, 'UTC') - make_interval(days => extract(dow from ${d} AT TIME ZONE 'UTC')::int))`, type: "datetime" };
  },
  dayofweek: (c) => ({
    sql: `make_interval(days => extract(dow from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int)`,
    type: "timespan",
  }),
  getyear: (c) => ({ sql: `extract(year from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  getmonth: (c) => ({ sql: `extract(month from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  dayofmonth: (c) => ({ sql: `extract(day from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  hourofday: (c) => ({ sql: `extract(hour from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  format_datetime: (c) => {
    const d = needType(c, 0, "datetime").sql;
    return { sql: `COALESCE(to_char(${d} AT TIME ZONE 'UTC', '${toCharFormat(c, literalText(c, 1)).replace(/'/g, "''")}'), '')`, type: "string" };
  },
  datetime_diff: (c) => {
    const period = periods[literalText(c, 0).toLowerCase()];
    if (!period) throw c.ctx.semantic(`unknown period '${literalText(c, 0)}' in datetime_diff()`, c.args[0]!);
    const a = needType(c, 1, "datetime").sql;
    const b = needType(c, 2, "datetime").sql;
    return { sql: datetimeDiff(period, a, b), type: "long" };
  },
  datetime_add: (c) => {
    const period = periods[literalText(c, 0).toLowerCase()];
    if (!period) throw c.ctx.semantic(`unknown period '${literalText(c, 0)}' in datetime_add()`, c.args[0]!);
    const n = needType(c, 1, "long", "int").sql;
    const d = needType(c, 2, "datetime").sql;
    const unit = period === "quarter" ? "3 months" : `1 ${period}`;
    return { sql: `(${d} + (${n}) * interval '${unit}')`, type: "datetime" };
  },
  totimespan: (c) => {
    const s = c.arg(0);
    if (s.type === "timespan") return s;
    if (s.type === "long" || s.type === "int" || s.type === "real") {
      return { sql: `make_interval(secs => (${s.sql})::float8 / 10000000)`, type: "timespan" };
    }
    throw c.ctx.unsupported(`totimespan() of a ${s.type}`, c.node);
  },
};

function conditional(c: Call): Scalar {
  const type = c.type();
  const test = compileCondition(c.ctx, c.args[0]!, c.scope);
  return { sql: `(CASE WHEN ${test} THEN ${castTo(c.arg(1), type).sql} ELSE ${castTo(c.arg(2), type).sql} END)`, type };
}

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

export function callFunction(ctx: CompileContext, node: Kusto.Language.Syntax.FunctionCallExpression, scope: Scope): Scalar {
  const name = node.Name!.SimpleName!;
  if (isAggregate(name)) {
    if (!scope.aggregating) throw ctx.semantic(`${name}() is an aggregate: use it in summarize`, node);
    // the aggregate's own arguments are evaluated per row
    const { aggregating: _, ...rowScope } = scope;
    return compileAggregate(ctx, node, rowScope);
  }
  const impl = impls[name];
  if (!impl) {
    if (ctx.tabularLets.has(name) || ctx.scalarLets.has(name)) throw ctx.unsupported(`calling '${name}' as a function`, node);
    throw ctx.unsupported(`the function ${name}()`, node);
  }
  const args = elems<KExpr>(node.ArgumentList!.Expressions);
  const cache = new Map<number, Scalar>();
  const call: Call = {
    ctx,
    node,
    args,
    scope,
    arg(i) {
      const a = args[i];
      if (!a) throw ctx.semantic(`${name}() needs at least ${i + 1} arguments`, node);
      let s = cache.get(i);
      if (!s) {
        s = compileScalar(ctx, a, scope);
        cache.set(i, s);
      }
      return s;
    },
    type: () => ctx.typeOf(node),
  };
  const result = impl(call);
  return result.type === "string" ? { sql: result.sql, type: "string" } : result;
}
