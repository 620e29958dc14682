/** Date and time functions. Datetimes are timestamptz and read in UTC, as Kusto's are. */
import type { Scalar } from "../context";
import { needType, literalText, periods, type Call, type Impls } from "./call";
import { formatDatetime, formatTimespan } from "./datetime-format";

/** The start of date's day/week/month/year in UTC; weeks start on Sunday, as Kusto's do. */
function startOf(period: "day" | "week" | "month" | "year", d: string): string {
  if (period !== "week") return `date_trunc('${period}', ${d}, 'UTC')`;
  return `(date_trunc('day', ${d}, 'UTC') - make_interval(days => extract(dow from ${d} AT TIME ZONE 'UTC')::int))`;
}

/**
 * startof*(date [, offset]) and endof*(date [, offset]): the period `offset` periods away from date's
 * (https://learn.microsoft.com/kusto/query/startofday-function, .../endofday-function and their siblings). Kusto's
 * end of a period is its last 100 ns tick; datetimes here hold microseconds, so it is the last microsecond
 * (23:59:59.999999): every stored value compares the same way against it.
 */
function boundary(c: Call, period: "day" | "week" | "month" | "year", end: boolean): Scalar {
  const d = needType(c, 0, "datetime").sql;
  const unit = period === "week" ? "7 days" : `1 ${period}`;
  const offset = c.args.length > 1 ? `(${needType(c, 1, "int", "long").sql})` : "0";
  const shift = end ? `(${offset} + 1)` : offset;
  const start = `(${startOf(period, d)} + ${shift} * interval '${unit}')`;
  return { sql: end ? `(${start} - interval '1 microsecond')` : start, type: "datetime" };
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

export const datetimeImpls: Impls = {
  now: (c) =>
    c.args.length === 0
      ? { sql: c.ctx.nowSql, type: "datetime" }
      : { sql: `(${c.ctx.nowSql} + ${needType(c, 0, "timespan").sql})`, type: "datetime" },
  ago: (c) => ({ sql: `(${c.ctx.nowSql} - ${needType(c, 0, "timespan").sql})`, type: "datetime" }),
  startofday: (c) => boundary(c, "day", false),
  startofweek: (c) => boundary(c, "week", false),
  startofmonth: (c) => boundary(c, "month", false),
  startofyear: (c) => boundary(c, "year", false),
  endofday: (c) => boundary(c, "day", true),
  endofweek: (c) => boundary(c, "week", true),
  endofmonth: (c) => boundary(c, "month", true),
  endofyear: (c) => boundary(c, "year", true),
  dayofweek: (c) => ({
    sql: `make_interval(days => extract(dow from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int)`,
    type: "timespan",
  }),
  getyear: (c) => ({ sql: `extract(year from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  getmonth: (c) => ({ sql: `extract(month from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  dayofmonth: (c) => ({ sql: `extract(day from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  hourofday: (c) => ({ sql: `extract(hour from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  format_datetime: (c) => formatDatetime(c),
  format_timespan: (c) => formatTimespan(c),
  datetime_diff: (c) => {
    const period = periodArg(c, "datetime_diff");
    const a = needType(c, 1, "datetime").sql;
    const b = needType(c, 2, "datetime").sql;
    return { sql: datetimeDiff(period, a, b), type: "long" };
  },
  datetime_add: (c) => {
    const period = periodArg(c, "datetime_add");
    const n = needType(c, 1, "long", "int").sql;
    const d = needType(c, 2, "datetime").sql;
    const unit = period === "quarter" ? "3 months" : `1 ${period}`;
    return { sql: `(${d} + (${n}) * interval '${unit}')`, type: "datetime" };
  },
  datetime_part: (c) => {
    const part = literalText(c, 0).toLowerCase();
    const d = `(${needType(c, 1, "datetime").sql} AT TIME ZONE 'UTC')`;
    if (part === "nanosecond") throw nanoseconds(c);
    const field = datetimeParts[part];
    if (!field) throw c.ctx.semantic(`unknown part '${literalText(c, 0)}' in datetime_part()`, c.args[0]!);
    return { sql: `(${field(d)})::int`, type: "int" };
  },
  dayofyear: (c) => ({ sql: `extract(doy from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  monthofyear: (c) => ({ sql: `extract(month from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  // ISO 8601 weeks (Monday first; week 1 holds the year's first Thursday), as Postgres' "week" field counts them
  weekofyear: (c) => ({ sql: `extract(week from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  week_of_year: (c) => ({ sql: `extract(week from ${needType(c, 0, "datetime").sql} AT TIME ZONE 'UTC')::int`, type: "int" }),
  make_datetime: (c) => makeDatetime(c),
  make_timespan: (c) => makeTimespan(c),
  bin_at: (c) => binAt(c),
};

/** datetime_part()'s parts (https://learn.microsoft.com/kusto/query/datetime-part-function), over a UTC timestamp. */
const datetimeParts: Record<string, (d: string) => string> = {
  year: (d) => `extract(year from ${d})`,
  quarter: (d) => `extract(quarter from ${d})`,
  month: (d) => `extract(month from ${d})`,
  week_of_year: (d) => `extract(week from ${d})`,
  day: (d) => `extract(day from ${d})`,
  dayofyear: (d) => `extract(doy from ${d})`,
  hour: (d) => `extract(hour from ${d})`,
  minute: (d) => `extract(minute from ${d})`,
  second: (d) => `floor(extract(second from ${d}))`,
  millisecond: (d) => `(extract(microseconds from ${d})::bigint % 1000000) / 1000`,
  microsecond: (d) => `extract(microseconds from ${d})::bigint % 1000000`,
};

/**
 * Datetimes are held to the microsecond (a literal's 7th fraction digit is cut): an answer in nanoseconds would look
 * exact and be wrong (`datetime_diff('nanosecond', …0000000, …0000007)` would give 0, not -700), so it is refused.
 */
const nanoseconds = (c: Call) => c.ctx.unsupported("the nanosecond period (datetimes are held to the microsecond)", c.args[0]!);

/** The period argument of datetime_add/datetime_diff: Kusto's names; nanosecond is refused. */
function periodArg(c: Call, fn: string): string {
  const name = literalText(c, 0).toLowerCase();
  if (name === "nanosecond") throw nanoseconds(c);
  const period = periods[name];
  if (!period) throw c.ctx.semantic(`unknown period '${literalText(c, 0)}' in ${fn}()`, c.args[0]!);
  return period;
}

/**
 * make_datetime(year, month, day [, hour, minute [, second]]): null when the parts name no datetime Kusto can hold
 * (https://learn.microsoft.com/kusto/query/make-datetime-function).
 */
function makeDatetime(c: Call): Scalar {
  const n = c.args.length;
  if (n !== 3 && n !== 5 && n !== 6) throw c.ctx.semantic("make_datetime() takes year, month, day [, hour, minute [, second]]", c.node);
  const int = (i: number) => `(${needType(c, i, "int", "long").sql})`;
  const [y, mo, d] = [int(0), int(1), int(2)];
  const h = n > 3 ? int(3) : "0";
  const mi = n > 3 ? int(4) : "0";
  const sec = n > 5 ? `(${needType(c, 5, "int", "long", "real").sql})::float8` : "0";
  const inRange = `${y} BETWEEN 1 AND 9999 AND ${mo} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND 31 AND ${h} BETWEEN 0 AND 23 AND ${mi} BETWEEN 0 AND 59 AND ${sec} >= 0 AND ${sec} < 60`;
  const realDay = `extract(month from make_date(${y}::int, ${mo}::int, 1) + (${d}::int - 1)) = ${mo}`;
  return {
    sql: `(CASE WHEN ${inRange} THEN (CASE WHEN ${realDay} THEN make_timestamptz(${y}::int, ${mo}::int, ${d}::int, ${h}::int, ${mi}::int, ${sec}, 'UTC') END) END)`,
    type: "datetime",
  };
}

/**
 * make_timespan(hour, minute), (hour, minute, second) or (day, hour, minute, second)
 * (https://learn.microsoft.com/kusto/query/make-timespan-function).
 */
function makeTimespan(c: Call): Scalar {
  const n = c.args.length;
  if (n < 2 || n > 4) throw c.ctx.semantic("make_timespan() takes (hour, minute), (hour, minute, second) or (day, hour, minute, second)", c.node);
  const num = (i: number) => `(${needType(c, i, "int", "long", "real").sql})::float8`;
  const [days, first] = n === 4 ? [num(0), 1] : ["0", 0];
  const secs = n >= 3 ? num(first + 2) : "0";
  const total = `(${days} * 86400 + ${num(first)} * 3600 + ${num(first + 1)} * 60 + ${secs})`;
  // beyond Kusto's timespan range (about 10,675,199 days) there is no value
  return { sql: `(CASE WHEN abs(${total}) < 922337203685 THEN make_interval(secs => ${total}) END)`, type: "timespan" };
}

/**
 * bin_at(value, size, fixed_point): value rounded down to fixed_point + k * size
 * (https://learn.microsoft.com/kusto/query/bin-at-function), for datetimes, timespans and numbers.
 */
function binAt(c: Call): Scalar {
  const x = c.arg(0);
  const size = c.arg(1);
  const fixed = c.arg(2);
  const type = c.type();
  if (x.type === "datetime" || x.type === "timespan") {
    needType(c, 1, "timespan");
    needType(c, 2, x.type);
    const secs = `extract(epoch from ${size.sql})`;
    const steps = `floor(extract(epoch from (${x.sql} - ${fixed.sql})) / NULLIF(${secs}, 0))`;
    return { sql: `(${fixed.sql} + make_interval(secs => ${steps} * ${secs}))`, type: x.type };
  }
  needType(c, 0, "int", "long", "real", "decimal");
  needType(c, 1, "int", "long", "real", "decimal");
  needType(c, 2, "int", "long", "real", "decimal");
  const n = (s: Scalar) => `(${s.sql})::numeric`;
  return { sql: `(${n(fixed)} + floor((${n(x)} - ${n(fixed)}) / NULLIF(${n(size)}, 0)) * ${n(size)})::${type === "real" ? "float8" : type === "int" ? "integer" : type === "decimal" ? "numeric" : "bigint"}`, type };
}
