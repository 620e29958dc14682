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

export const toDatetime = (s: Scalar): string => {
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
    return {
      sql: `(CASE WHEN ${s.sql} ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN (${s.sql})::uuid END)`,
      type: "guid",
    };
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
