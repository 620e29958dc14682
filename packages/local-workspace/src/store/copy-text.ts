/**
 * Values → Postgres COPY text format (tab-separated, `\N` for null, backslash escapes), one Kusto type at a time.
 * Converters throw a plain message on a value the column cannot hold; the row encoder adds the row index and field,
 * so a bad value is a 400 naming its place instead of a COPY error naming a line of a stream the caller never saw.
 */
import type { KustoType } from "@vaultwatch/schemas";

export const COPY_NULL = "\\N";

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/** Escapes a text value for COPY text format. */
export function escapeCopyText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPES, (c) => ESCAPED[c] ?? c) : s;
}

type Converter = (value: unknown) => string | null;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_REALS = /^(?:NaN|[+-]?Infinity|[+-]?inf)$/i;
const KUSTO_TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const ISO_DURATION = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const describe = (v: unknown) =>
  typeof v === "string" ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return "";
  const s =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean" || typeof value === "bigint"
        ? String(value)
        : (JSON.stringify(value) ?? "");
  if (NUL.test(s)) throw new Error("a string may not contain the NUL character");
  return s;
}

function guid(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string" && UUID.test(value)) return value;
  throw new Error(`expected a guid, got ${describe(value)}`);
}

function datetime(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error("invalid date");
    return value.toISOString();
  }
  if (typeof value === "string") {
    const m = ISO_DATETIME.exec(value);
    // Kusto datetimes are UTC: a string without an offset is UTC, whatever the session time zone.
    const iso = m && (m[1] ? value : `${value}${value.length > 10 ? "" : "T00:00"}Z`);
    if (iso && !Number.isNaN(Date.parse(iso))) return iso;
  }
  throw new Error(`expected an ISO 8601 datetime, got ${describe(value)}`);
}

function real(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return String(value);
  if (typeof value === "string" && (NUMBER.test(value) || SPECIAL_REALS.test(value))) return value;
  throw new Error(`expected a number, got ${describe(value)}`);
}

function integer(min: bigint, max: bigint, what: string): Converter {
  return (value) => {
    if (value === null || value === undefined || value === "") return null;
    if (typeof value === "number" && Number.isInteger(value) && value >= Number(min) && value <= Number(max))
      return String(value);
    if ((typeof value === "string" && INTEGER.test(value)) || typeof value === "bigint") {
      const n = BigInt(value);
      if (n >= min && n <= max) return n.toString();
    }
    throw new Error(`expected ${what}, got ${describe(value)}`);
  };
}

function bool(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (value === true || value === false) return value ? "t" : "f";
  if (typeof value === "string") {
    const s = value.toLowerCase();
    if (s === "true") return "t";
    if (s === "false") return "f";
  }
  throw new Error(`expected true or false, got ${describe(value)}`);
}

// jsonb cannot hold \u0000 inside strings: an odd run of backslashes before "u0000" is an escaped NUL.
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

function dynamic(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`expected a JSON value, got ${typeof value}`);
  if (JSON_NUL.test(json)) throw new Error("a dynamic value may not contain the NUL character");
  return json;
}

function timespan(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string") {
    const m = KUSTO_TIMESPAN.exec(value);
    if (m) {
      const [, minus, days, h, min, s, fraction] = m;
      const seconds = Number(days ?? 0) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
      return `${minus ?? ""}${seconds}${fraction ? `.${fraction}` : ""} seconds`;
    }
    if (ISO_DURATION.test(value)) return value;
  }
  throw new Error(`expected a timespan such as "1.02:03:04" or "PT1H", got ${describe(value)}`);
}

function decimal(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && NUMBER.test(value)) return value;
  throw new Error(`expected a decimal number, got ${describe(value)}`);
}

const converters: Record<KustoType, Converter> = {
  string: text,
  guid,
  datetime,
  real,
  long: integer(LONG_MIN, LONG_MAX, "a long integer"),
  int: integer(BigInt(INT_MIN), BigInt(INT_MAX), "a 32-bit integer"),
  bool,
  dynamic,
  timespan,
  decimal,
};

/** The COPY text of one value for a column of the given type: escaped, or `\N`. Throws a message when invalid. */
export function copyField(type: KustoType, value: unknown): string {
  const s = converters[type](value);
  return s === null ? COPY_NULL : escapeCopyText(s);
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_OR_NUL = /[\\\n\r\t\u0000]/;
const passThroughStrings = new Set<KustoType>(["string", "guid", "datetime", "real", "long", "int", "decimal"]);

/**
 * copyField for values a schema has already checked and converted (coerceRow, the record mappings): strings,
 * numbers and booleans go out as they are, escaped; anything else takes the checking path. Postgres still parses
 * every value, so a bad one fails the COPY (reported with its row and column) instead of being stored wrongly; the
 * ingest transaction runs with TimeZone UTC so an offset-less datetime means UTC either way. About 3× faster.
 */
export function copyFieldValidated(type: KustoType, value: unknown): string {
  if (value === null || value === undefined) return type === "string" ? "" : COPY_NULL;
  if (typeof value === "string") {
    if (!passThroughStrings.has(type)) return copyField(type, value);
    if (value === "" && type !== "string") return COPY_NULL;
    return NEEDS_ESCAPE_OR_NUL.test(value) ? copyField(type, value) : value;
  }
  if (typeof value === "number" && type !== "string" && type !== "timespan" && type !== "bool") return String(value);
  if (typeof value === "boolean" && type === "bool") return value ? "t" : "f";
  return copyField(type, value);
}

/**
 * copyFieldValidated for one column type, specialised once per column (the COPY encoder calls it for every cell):
 * the same text for every value, without re-deciding the type's rules cell by cell.
 */
export function validatedEncoder(type: KustoType): (value: unknown) => string {
  switch (type) {
    case "string":
      return (value) => {
        if (typeof value === "string") return NEEDS_ESCAPE_OR_NUL.test(value) ? copyField(type, value) : value;
        return value === null || value === undefined ? "" : copyField(type, value);
      };
    case "guid":
    case "datetime":
    case "real":
    case "long":
    case "int":
    case "decimal":
      return (value) => {
        if (typeof value === "string") {
          if (value === "") return COPY_NULL;
          return NEEDS_ESCAPE_OR_NUL.test(value) ? copyField(type, value) : value;
        }
        if (typeof value === "number") return String(value);
        return value === null || value === undefined ? COPY_NULL : copyField(type, value);
      };
    case "bool":
      return (value) => {
        if (value === true) return "t";
        if (value === false) return "f";
        return value === null || value === undefined ? COPY_NULL : copyField(type, value);
      };
    case "timespan":
      return (value) => (value === null || value === undefined ? COPY_NULL : copyField(type, value));
    case "dynamic":
      return (value) => {
        if (typeof value === "number") return String(value);
        return value === null || value === undefined ? COPY_NULL : copyField(type, value);
      };
  }
}

/** Which Kusto type a JSON value would get in a column that does not exist yet and has no declared type. */
export function inferKustoType(value: unknown): KustoType | undefined {
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "real";
    case "bigint":
      return "long";
    case "boolean":
      return "bool";
    case "object":
      return value === null ? undefined : value instanceof Date ? "datetime" : "dynamic";
    default:
      return undefined;
  }
}
