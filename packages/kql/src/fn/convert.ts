/** Conversions between Kusto types (to*() functions, and the implicit ones from dynamic), null when a value does not convert. */
import type { KustoType } from "@vaultwatch/schemas";
import type { Scalar } from "../context";
import { toStringSql } from "../scalar";
import { isNumeric, pgTypeOf } from "../types";
import { needType, type Impls } from "./call";

const NUMBER_RE = `'^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$'`;
const INTEGER_RE = `'^\\s*[+-]?\\d{1,19}\\s*$'`;
// ISO 8601 dates with optional time and offset; anything else converts to null as Kusto's todatetime() does
const DATETIME_RE = `'^\\s*\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])([ T]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,7})?)?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?\\s*$'`;

/**
 * The other forms Kusto's datetime page lists for todatetime() (https://learn.microsoft.com/kusto/query/scalar-data-types/datetime):
 * RFC 822 ("Sat, 8 Nov 14 15:05:02 GMT", "8 Nov 14 15:05") and RFC 850 ("Saturday, 08-Nov-14 15:05:02 GMT",
 * "08-Nov-14 15:05"): optional weekday, day, month name, 2- or 4-digit year, time with optional seconds and zone.
 * Also the month-first date .NET's invariant culture reads ("12-02-2022" is December 2nd).
 */
const RFC_RE = `'^(?:[a-z]{3,9},\\s*)?(\\d{1,2})[ -]([a-z]{3})[ -](\\d{2}|\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*(gmt|ut|utc|z|[ecmp][sd]t|[+-]\\d{4}))?$'`;
const US_DATE_RE = `'^(\\d{1,2})[-/](\\d{1,2})[-/](\\d{4})(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$'`;
// a cheap test that skips the parsing subquery for text that is neither form
const RFC_OR_US_HINT = `'^\\s*([a-z]{3,9},\\s*)?\\d{1,2}[ /-]'`;

/** Minutes east of UTC for an RFC 822 zone (GMT/UT/Z, the US zones, or ±hhmm). */
const zoneMinutes = (z: string) =>
  `(CASE upper(COALESCE(${z}, 'GMT')) WHEN 'GMT' THEN 0 WHEN 'UT' THEN 0 WHEN 'UTC' THEN 0 WHEN 'Z' THEN 0 WHEN 'EST' THEN -300 WHEN 'EDT' THEN -240 WHEN 'CST' THEN -360 WHEN 'CDT' THEN -300 WHEN 'MST' THEN -420 WHEN 'MDT' THEN -360 WHEN 'PST' THEN -480 WHEN 'PDT' THEN -420 ELSE (CASE WHEN left(${z}, 1) = '-' THEN -1 ELSE 1 END) * (substr(${z}, 2, 2)::int * 60 + substr(${z}, 4, 2)::int) END)`;

/** A UTC datetime from integer parts, null (never a Postgres error) when they name no real instant. */
function datetimeFromParts(y: string, mo: string, d: string, h: string, mi: string, sec: string, zone: string): string {
  const inRange = `${y} >= 1 AND ${mo} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND 31 AND ${h} < 24 AND ${mi} < 60 AND ${sec} < 60`;
  const realDay = `extract(month from make_date(${y}, ${mo}, 1) + (${d} - 1)) = ${mo}`;
  return `(CASE WHEN ${inRange} THEN (CASE WHEN ${realDay} THEN make_timestamptz(${y}, ${mo}, ${d}, ${h}, ${mi}, ${sec}, 'UTC') - make_interval(mins => ${zone}) END) END)`;
}

/** The RFC 822/850 or month-first match (regexp_match arrays `rfc` and `us` of one row) as a datetime. */
function rfcDatetime(rfc: string): string {
  const us = rfc.replace(/rfc$/, "us");
  const g = (m: string, i: number) => `${m}[${i}]::int`;
  const months = "'janfebmaraprmayjunjulaugsepoctnovdec'";
  const monthAt = `strpos(${months}, lower(${rfc}[2]))`;
  const month = `(CASE WHEN ${monthAt} % 3 = 1 THEN (${monthAt} + 2) / 3 ELSE 0 END)`;
  // .NET reads two-digit years 00-49 as 20xx and 50-99 as 19xx
  const year = `(CASE WHEN length(${rfc}[3]) = 2 THEN ${g(rfc, 3)} + CASE WHEN ${g(rfc, 3)} < 50 THEN 2000 ELSE 1900 END ELSE ${g(rfc, 3)} END)`;
  const fromRfc = datetimeFromParts(year, month, g(rfc, 1), g(rfc, 4), g(rfc, 5), `COALESCE(${g(rfc, 6)}, 0)`, zoneMinutes(`${rfc}[7]`));
  const fromUs = datetimeFromParts(g(us, 3), g(us, 1), g(us, 2), `COALESCE(${g(us, 4)}, 0)`, `COALESCE(${g(us, 5)}, 0)`, `COALESCE(${g(us, 6)}, 0)`, "0");
  return `(CASE WHEN ${rfc} IS NOT NULL THEN ${fromRfc} WHEN ${us} IS NOT NULL THEN ${fromUs} END)`;
}

export const toDouble = (s: Scalar): string => {
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

const integerRange = { bigint: ["-9223372036854775808", "9223372036854775807"], integer: ["-2147483648", "2147483647"] } as const;

/** A number that does not fit the integer type converts to null (a failed conversion), never to a Postgres error. */
export const toInteger = (s: Scalar, pg: "bigint" | "integer"): string => {
  const [lo, hi] = integerRange[pg];
  const inRange = (n: string) => `(CASE WHEN ${n} BETWEEN ${lo} AND ${hi} THEN (${n})::${pg} END)`;
  switch (s.type) {
    case "string":
      return `(CASE WHEN ${s.sql} ~ ${INTEGER_RE} THEN ${inRange(`(${s.sql})::numeric`)} END)`;
    case "real":
    case "decimal":
      return `(CASE WHEN abs(${s.sql}) < ${pg === "bigint" ? "9.2e18" : "2147483648"} THEN trunc(${s.sql})::${pg} END)`;
    case "bool":
      return `(CASE WHEN ${s.sql} THEN 1 WHEN NOT ${s.sql} THEN 0 END)::${pg}`;
    case "dynamic":
      return toInteger({ sql: `(${s.sql} #>> '{}')`, type: "string" }, pg);
    case "long":
      return pg === "integer" ? inRange(s.sql) : s.sql;
    default:
      return `(${s.sql})::${pg}`;
  }
};

/** An ISO text with a 7th fraction digit cut (Postgres would round it, and .9999999 would become the next second). */
const isoMicros = (text: string) => `regexp_replace(${text}, '(\\.\\d{6})\\d', '\\1')`;

export const toDatetime = (s: Scalar): string => {
  switch (s.type) {
    case "datetime":
      return s.sql;
    case "string": {
      // the regex admits Feb 30; the nested CASE (evaluated in order, unlike AND) keeps such a value null
      const part = (from: number, len: number) => `substr(ltrim(${s.sql}), ${from}, ${len})::int`;
      const validDay = `extract(month from make_date(${part(1, 4)}, ${part(6, 2)}, 1) + (${part(9, 2)} - 1)) = ${part(6, 2)}`;
      const other = `(SELECT ${rfcDatetime("_m.rfc")} FROM (SELECT regexp_match(btrim(${s.sql}), ${RFC_RE}, 'i') AS rfc, regexp_match(btrim(${s.sql}), ${US_DATE_RE}) AS us) AS _m)`;
      return `(CASE WHEN ${s.sql} ~ ${DATETIME_RE} THEN (CASE WHEN ${validDay} THEN ${isoMicros(s.sql)}::timestamptz END) WHEN ${s.sql} ~* ${RFC_OR_US_HINT} THEN ${other} END)`;
    }
    case "dynamic":
      return toDatetime({ sql: `(${s.sql} #>> '{}')`, type: "string" });
    default:
      return `NULL::timestamptz`;
  }
};

export const toBool = (s: Scalar): string => {
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

/** A guid from its text (32 hex digits, dashes optional), null when the text is no guid. */
export const guidFromText = (t: string): string =>
  `(CASE WHEN ${t} ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN (${t})::uuid END)`;

export const convertImpls: Impls = {
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
    return { sql: guidFromText(s.sql), type: "guid" };
  },
  totimespan: (c) => {
    const s = c.arg(0);
    if (s.type === "timespan") return s;
    if (s.type === "long" || s.type === "int" || s.type === "real") {
      // a number is a count of 100 ns ticks
      return { sql: `make_interval(secs => (${s.sql})::float8 / 10000000)`, type: "timespan" };
    }
    if (s.type === "string") return { sql: timespanFromText(s.sql), type: "timespan" };
    if (s.type === "dynamic") return { sql: timespanFromText(`(${s.sql} #>> '{}')`), type: "timespan" };
    throw c.ctx.unsupported(`totimespan() of a ${s.type}`, c.node);
  },
};

// [-][d.]hh:mm[:ss[.fffffff]] (https://learn.microsoft.com/kusto/query/scalar-data-types/timespan), and the
// literal forms 2d, 1.5h, 30m, 10s, 100ms
const TIMESPAN_CLOCK_RE = `'^\\s*(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,7}))?)?\\s*$'`;
const TIMESPAN_UNIT_RE = `'^\\s*(-)?(\\d+(?:\\.\\d+)?)\\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?|ms|milli|millis|milliseconds?|microseconds?|ticks?)\\s*$'`;
const unitSeconds: [RegExp, number][] = [
  [/^d|^day/, 86400],
  [/^h/, 3600],
  [/^m$|^min/, 60],
  [/^s/, 1],
  [/^ms|^milli/, 0.001],
  [/^micro/, 0.000001],
  [/^tick/, 0.0000001],
];

export function timespanFromText(t: string): string {
  const clock = `(SELECT CASE WHEN _c.m IS NOT NULL AND _c.m[4]::int < 60 AND COALESCE(_c.m[5]::int, 0) < 60 AND COALESCE(_c.m[2], '0')::numeric < 10675199 THEN (CASE WHEN _c.m[1] = '-' THEN -1 ELSE 1 END) * make_interval(days => COALESCE(_c.m[2], '0')::int, hours => _c.m[3]::int, mins => _c.m[4]::int, secs => (COALESCE(_c.m[5], '0')::int + ('0.' || COALESCE(_c.m[6], '0'))::numeric)::float8) END FROM (SELECT regexp_match(${t}, ${TIMESPAN_CLOCK_RE}) AS m) AS _c)`;
  const units = unitSeconds.map(([re, secs]) => `WHEN lower(_u.m[3]) ~ '${re.source}' THEN ${secs}`).join(" ");
  const unit = `(SELECT CASE WHEN _u.m IS NOT NULL AND _u.m[2]::numeric < 1e12 THEN (CASE WHEN _u.m[1] = '-' THEN -1 ELSE 1 END) * make_interval(secs => (_u.m[2]::numeric * (CASE ${units} END))::float8) END FROM (SELECT regexp_match(${t}, ${TIMESPAN_UNIT_RE}, 'i') AS m) AS _u)`;
  return `COALESCE(${clock}, ${unit})`;
}
