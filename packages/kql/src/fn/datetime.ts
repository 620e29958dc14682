/** Date and time functions. Datetimes are timestamptz and read in UTC, as Kusto's are. */
import type { Scalar } from "../context";
import { needType, literalText, periods, type Call, type Impls } from "./call";

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
};
