/**
 * Functions over dynamic values (JSON arrays and property bags, stored as jsonb). Kusto's rule throughout: a function
 * given something that is not the array or bag it needs answers null rather than failing.
 */
import type { CompileContext, Scalar } from "../context";
import { elems, kindName, type KExpr } from "../kusto";
import { toStringSql } from "../scalar";
import { compactJsonText } from "../text-sql";
import { fromDynamic } from "./convert";
import { isNumeric } from "../types";
import { needType, type Call, type Impls } from "./call";

export { compactJsonText };

/** A scalar as a jsonb value: numbers and booleans as JSON ones, everything else as Kusto prints it. */
export function toJsonb(s: Scalar): string {
  if (s.type === "dynamic") return s.sql;
  if (isNumeric(s.type) || s.type === "bool") return `to_jsonb(${s.sql})`;
  if (s.type === "string") return `to_jsonb(${s.sql})`;
  // datetimes, timespans and guids live in a dynamic value as their text; null stays JSON null
  return `(CASE WHEN ${s.sql} IS NULL THEN 'null'::jsonb ELSE to_jsonb(${toStringSql(s)}) END)`;
}


/** The JSON text of a `dynamic(...)` literal, built from the syntax tree (Kusto accepts more than JSON here). */
export function dynamicLiteralJson(ctx: CompileContext, e: KExpr): string | null {
  const kind = kindName(e.Kind);
  switch (kind) {
    case "NullLiteralExpression":
      return null;
    case "JsonObjectExpression": {
      const pairs = elems<Kusto.Language.Syntax.JsonPair>((e as Kusto.Language.Syntax.JsonObjectExpression).Pairs);
      const parts = pairs.map((p) => {
        const value = (p as unknown as { Value: KExpr }).Value;
        return `${JSON.stringify(p.Name!.ValueText ?? "")}:${dynamicLiteralJson(ctx, value) ?? "null"}`;
      });
      return `{${parts.join(",")}}`;
    }
    case "JsonArrayExpression": {
      const values = elems<KExpr>((e as Kusto.Language.Syntax.JsonArrayExpression).Values);
      return `[${values.map((v) => dynamicLiteralJson(ctx, v) ?? "null").join(",")}]`;
    }
    case "StringLiteralExpression":
      return JSON.stringify((e as Kusto.Language.Syntax.LiteralExpression).Token!.ValueText ?? "");
    case "BooleanLiteralExpression":
      return /^true$/i.test(ctx.text(e)) ? "true" : "false";
    case "LongLiteralExpression":
    case "IntLiteralExpression":
    case "RealLiteralExpression": {
      const text = (e as Kusto.Language.Syntax.LiteralExpression).Token!.ValueText ?? "";
      const n = Number(text);
      if (!Number.isFinite(n)) throw ctx.unsupported(`the value '${text}' inside a dynamic literal`, e);
      if (kind !== "RealLiteralExpression") return text.replace(/^(-?)0+(?=\d)/, "$1");
      // a real keeps a fraction, so gettype() still says real (jsonb keeps "42.0" as written)
      const json = JSON.stringify(n);
      return /[.e]/.test(json) ? json : `${json}.0`;
    }
    case "UnaryMinusExpression": {
      const inner = dynamicLiteralJson(ctx, (e as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!);
      if (inner === null || !/^\d/.test(inner)) throw ctx.unsupported(`the value '${ctx.text(e)}' inside a dynamic literal`, e);
      return `-${inner}`;
    }
    case "DateTimeLiteralExpression":
    case "GuidLiteralExpression":
    case "TimespanLiteralExpression":
      // Kusto keeps these typed inside the bag; here they would only be text: refuse rather than change their type
      throw ctx.unsupported(`a ${kind.replace("LiteralExpression", "").toLowerCase()} inside a dynamic literal`, e);
    default:
      throw ctx.unsupported(`the value '${ctx.text(e)}' inside a dynamic literal`, e);
  }
}

/**
 * parse_json/todynamic of a string: its JSON value, or (per the docs) the string itself as a dynamic string when it is
 * not valid JSON. Postgres 15 has no "is valid JSON" test and a failed cast aborts the query, so validity is decided
 * first: the text must be a run of JSON tokens; then each string and scalar is reduced to a letter and innermost
 * arrays and objects are folded until one value (or something that is not JSON) is left. Six folds inline cover
 * usual nesting; deeper documents go on folding in a recursive query. `concat()` is stable, which keeps the planner
 * from casting a constant text at plan time (where a CASE does not protect it).
 */
function parseJsonSql(s: string): string {
  const chars = `[^"\\\\\\u0000-\\u001f]*`;
  const str = (escape: string) => `"${chars}(?:\\\\(?:["\\\\/bfnrt]|${escape})${chars})*"`;
  const scalar = `-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null`;
  const tokens = (escape: string) => `'^[ \\t\\n\\r]*(?:(?:${str(escape)}|${scalar}|[\\]\\[{}:,])[ \\t\\n\\r]*)*$'`;
  // Postgres' jsonb refuses \u0000 and unpaired surrogates: text with such escapes gets the slower exact test
  const anyEscape = "u[0-9a-fA-F]{4}";
  const holdable = "u(?!0000|[dD][89a-fA-F])[0-9a-fA-F]{4}|u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}";
  const lexical = `(${s} ~ ${tokens(anyEscape)} AND (${s} !~ '\\\\u(0000|[dD][89a-fA-F])' OR ${s} ~ ${tokens(holdable)}))`;
  // strings become s, other scalars v; whitespace goes; a number must not run into another token ("1 2" stays "vv")
  const reduced = `regexp_replace(regexp_replace(regexp_replace(${s}, '${str(anyEscape)}', 's', 'g'), '${scalar}', 'v', 'g'), '[ \\t\\n\\r]+', '', 'g')`;
  const fold = (t: string) =>
    `regexp_replace(regexp_replace(${t}, '\\[(?:[sv](?:,[sv])*)?\\]', 'v', 'g'), '\\{(?:s:[sv](?:,s:[sv])*)?\\}', 'v', 'g')`;
  let folded = reduced;
  for (let i = 0; i < 6; i += 1) folded = fold(folded);
  const deeper = `(WITH RECURSIVE f(t, prev) AS (SELECT x.t, ''::text UNION ALL SELECT ${fold("f.t")}, f.t FROM f WHERE f.t <> f.prev AND f.t ~ '[\\[{]') SELECT bool_or(f.t ~ '^[sv]$') FROM f)`;
  const structural = `(SELECT CASE WHEN x.t ~ '^[sv]$' THEN true WHEN x.t ~ '[\\[{]' THEN ${deeper} ELSE false END FROM (SELECT ${folded} AS t) AS x)`;
  return `(CASE WHEN ${s} = '' THEN NULL WHEN ${lexical} AND ${structural} THEN concat(${s})::jsonb ELSE to_jsonb(${s}) END)`;
}

/** Whether JSON text escapes a surrogate without its partner (JSON.parse accepts it, Postgres' jsonb does not). */
function hasLoneSurrogate(text: string): boolean {
  const escapes = [...text.matchAll(/\\u([dD][89a-fA-F][0-9a-fA-F]{2})/g)];
  return escapes.some((m) => {
    const high = /^[dD][89abAB]/.test(m[1]!);
    const next = text.slice(m.index + 6, m.index + 12);
    const prev = text.slice(Math.max(0, m.index - 6), m.index);
    return high ? !/^\\u[dD][c-fC-F]/.test(next) : !/^\\u[dD][89abAB]/.test(prev);
  });
}

function parseJson(c: Call): Scalar {
  const a = c.arg(0);
  if (a.type === "dynamic") return a;
  if (a.type !== "string") return { sql: toJsonb(a), type: "dynamic" };
  // a constant is judged here, where a real JSON parser is at hand
  const m = /^\$(\d+)::text$/.exec(a.sql);
  const value = m ? c.ctx.params.values[Number(m[1]) - 1] : undefined;
  // an empty string parses to null (the isempty/isnull pages' examples)
  if (value === "") return { sql: "NULL::jsonb", type: "dynamic" };
  if (typeof value === "string") {
    let json = JSON.stringify(value);
    try {
      JSON.parse(value);
      if (!/\\u0000/.test(value) && !hasLoneSurrogate(value)) json = value;
    } catch {
      // not JSON: the string itself
    }
    return { sql: c.ctx.params.add(json, "jsonb"), type: "dynamic" };
  }
  return { sql: parseJsonSql(a.sql), type: "dynamic" };
}

const isArray = (sql: string) => `jsonb_typeof(${sql}) = 'array'`;
const isBag = (sql: string) => `jsonb_typeof(${sql}) = 'object'`;

function dyn(c: Call, i: number): string {
  return needType(c, i, "dynamic").sql;
}

/** Elements of a jsonb array as rows (e, n) with n counting from 0. */
const elements = (arr: string, alias = "x") => `jsonb_array_elements(${arr}) WITH ORDINALITY AS ${alias}(e, n1)`;

/** A set function's arrays: distinct elements in order of first appearance, filtered by `keep`. */
function setOf(c: Call, keep: (e: string) => string): Scalar {
  const arrays = c.args.map((_, i) => dyn(c, i));
  const all = arrays.map((a, i) => `SELECT e, ${i} AS a, n1 FROM jsonb_array_elements(${a}) WITH ORDINALITY AS x(e, n1)`).join(" UNION ALL ");
  const firsts = `SELECT DISTINCT ON (e) e, a, n1 FROM (${all}) u ORDER BY e, a, n1`;
  return {
    sql: `(CASE WHEN ${arrays.map(isArray).join(" AND ")} THEN COALESCE((SELECT jsonb_agg(f.e ORDER BY f.a, f.n1) FROM (${firsts}) f WHERE ${keep("f.e")}), '[]'::jsonb) END)`,
    type: "dynamic",
  };
}

/** Sort key of an array element: nulls apart, numbers by value, strings by code point, the rest by JSON text. */
const sortKeys = (e: string, dir: "ASC" | "DESC") =>
  `(CASE WHEN jsonb_typeof(${e}) = 'number' THEN (${e})::numeric END) ${dir}, (CASE WHEN jsonb_typeof(${e}) = 'string' THEN ${e} #>> '{}' END) COLLATE "C" ${dir}, (${e})::text COLLATE "C" ${dir}`;

function arraySort(c: Call, dir: "ASC" | "DESC"): Scalar {
  if (c.args.length > 2) throw c.ctx.unsupported(`${c.node.Name!.SimpleName}() of more than one array`, c.node);
  const arr = dyn(c, 0);
  let nullsLast = "true";
  if (c.args.length === 2) {
    const b = needType(c, 1, "bool");
    nullsLast = b.sql;
  }
  const isNull = `(jsonb_typeof(x.e) = 'null')`;
  return {
    sql: `(CASE WHEN ${isArray(arr)} THEN COALESCE((SELECT jsonb_agg(x.e ORDER BY (CASE WHEN ${nullsLast} THEN ${isNull} ELSE NOT ${isNull} END), ${sortKeys("x.e", dir)}) FROM ${elements(arr)}), '[]'::jsonb) END)`,
    type: "dynamic",
  };
}

/** gettype(): a typed value's Kusto type name; a dynamic value's JSON kind in Kusto's words. */
function getType(c: Call): Scalar {
  const a = c.arg(0);
  if (a.type !== "dynamic") return { sql: c.ctx.params.add(a.type, "text"), type: "string" };
  const number = `(CASE WHEN (${a.sql})::text ~ '^-?[0-9]+$' THEN 'long' ELSE 'real' END)`;
  return {
    sql: `COALESCE(CASE jsonb_typeof(${a.sql}) WHEN 'object' THEN 'dictionary' WHEN 'array' THEN 'array' WHEN 'string' THEN 'string' WHEN 'boolean' THEN 'bool' WHEN 'number' THEN ${number} END, 'null')`,
    type: "string",
  };
}

/** A JSONPath of plain steps (`$.a.b`, `$['a b']`, `$.a[0]`) as jsonb path elements; anything richer is refused. */
function jsonPathSteps(c: Call, i: number): string[] {
  const path = constantStringArg(c, i);
  if (!path.startsWith("$")) throw c.ctx.semantic(`${c.node.Name!.SimpleName}(): a JSONPath starts with $`, c.args[i]!);
  const steps: string[] = [];
  const step = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\])/;
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = step.exec(rest);
    if (!m) throw c.ctx.unsupported(`the JSONPath '${path}' (only $.name, $['name'] and [index] steps are translated)`, c.args[i]!);
    steps.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function constantStringArg(c: Call, i: number): string {
  const s = needType(c, i, "string");
  const m = /^\$(\d+)::text$/.exec(s.sql);
  const value = m ? c.ctx.params.values[Number(m[1]) - 1] : undefined;
  if (typeof value !== "string") throw c.ctx.unsupported(`a non-constant argument ${i + 1} of ${c.node.Name!.SimpleName}()`, c.args[i]!);
  return value;
}

/** extract_json(path, json[, type]): the element as text (a string without its quotes), "" when absent. */
function extractJson(c: Call): Scalar {
  const steps = jsonPathSteps(c, 0);
  const source = c.arg(1);
  const doc = source.type === "dynamic" ? source.sql : source.type === "string" ? parseJsonSql(source.sql) : null;
  if (doc === null) throw c.ctx.semantic(`${c.node.Name!.SimpleName}() reads a string or dynamic value`, c.args[1]!);
  const element: Scalar = { sql: `(${doc} #> ${c.ctx.params.add(steps, "text[]")})`, type: "dynamic" };
  if (c.args.length > 2 && kindName(c.args[2]!.Kind) !== "TypeOfLiteralExpression") throw c.ctx.semantic("typeLiteral must be typeof(...)", c.args[2]!);
  const type = c.type();
  if (type === "string" || type === "dynamic") return type === "string" ? { sql: toStringSql(element), type } : element;
  const converted = fromDynamic(element, type);
  if (converted.type !== type) throw c.ctx.unsupported(`${c.node.Name!.SimpleName}() to a ${type}`, c.node);
  return converted;
}

/**
 * array_index_of(array, value[, start[, length[, occurrence]]]) (https://learn.microsoft.com/kusto/query/array-index-of-function):
 * the position of the occurrence-th match among `length` elements from `start` (negative: counted from the end,
 * -1 length: to the end), -1 when there is none, null for an occurrence below 0 or a length below -1.
 */
function arrayIndexOf(c: Call): Scalar {
  const a = dyn(c, 0);
  const v = toJsonb(c.arg(1));
  const int = (i: number, otherwise: string) => (c.args.length > i ? needType(c, i, "long", "int").sql : otherwise);
  const start = int(2, "0");
  const length = int(3, "-1");
  const occurrence = int(4, "1");
  const from = `(CASE WHEN ${start} < 0 THEN greatest(jsonb_array_length(${a}) + ${start}, 0) ELSE ${start} END)`;
  const inRange = `x.n1 - 1 >= ${from} AND (${length} = -1 OR x.n1 - 1 < ${from} + ${length})`;
  // no occurrence 0 among the matches: -1
  const nth = `(SELECT x.n1 - 1 FROM ${elements(a)} WHERE x.e = ${v} AND ${inRange} ORDER BY x.n1 OFFSET greatest(${occurrence} - 1, 0) LIMIT 1)`;
  return {
    sql: `(CASE WHEN NOT ${isArray(a)} OR ${occurrence} < 0 OR ${length} < -1 THEN NULL WHEN ${occurrence} = 0 THEN -1 ELSE COALESCE(${nth}, -1) END)::bigint`,
    type: "long",
  };
}

export const dynamicImpls: Impls = {
  extract_json: extractJson,
  extractjson: extractJson,
  gettype: getType,
  parse_json: parseJson,
  todynamic: parseJson,
  toobject: parseJson,
  pack_array: (c) => ({ sql: `jsonb_build_array(${c.args.map((_, i) => toJsonb(c.arg(i))).join(", ")})`, type: "dynamic" }),
  bag_pack: (c) => bagPack(c),
  pack: (c) => bagPack(c),
  array_length: (c) => {
    const a = dyn(c, 0);
    return { sql: `(CASE WHEN ${isArray(a)} THEN jsonb_array_length(${a})::bigint END)`, type: "long" };
  },
  array_concat: (c) => {
    const arrays = c.args.map((_, i) => dyn(c, i));
    return { sql: `(CASE WHEN ${arrays.map(isArray).join(" AND ")} THEN ${arrays.join(" || ")} END)`, type: "dynamic" };
  },
  array_slice: (c) => {
    const a = dyn(c, 0);
    const len = `jsonb_array_length(${a})`;
    const at = (i: number) => {
      const v = needType(c, i, "long", "int").sql;
      return `(CASE WHEN ${v} < 0 THEN ${len} + ${v} ELSE ${v} END)`;
    };
    return {
      sql: `(CASE WHEN ${isArray(a)} THEN COALESCE((SELECT jsonb_agg(x.e ORDER BY x.n1) FROM ${elements(a)} WHERE x.n1 - 1 BETWEEN ${at(1)} AND ${at(2)}), '[]'::jsonb) END)`,
      type: "dynamic",
    };
  },
  array_index_of: arrayIndexOf,
  set_union: (c) => setOf(c, () => "true"),
  set_intersect: (c) => {
    const others = c.args.slice(1).map((_, i) => dyn(c, i + 1));
    return setOf(c, (e) => `f.a = 0 AND ${others.map((o) => `${e} IN (SELECT y.e FROM jsonb_array_elements(${o}) AS y(e))`).join(" AND ")}`);
  },
  set_difference: (c) => {
    const others = c.args.slice(1).map((_, i) => dyn(c, i + 1));
    return setOf(c, (e) => `f.a = 0 AND ${others.map((o) => `${e} NOT IN (SELECT y.e FROM jsonb_array_elements(${o}) AS y(e))`).join(" AND ")}`);
  },
  bag_keys: (c) => {
    const b = dyn(c, 0);
    return {
      sql: `(CASE WHEN ${isBag(b)} THEN COALESCE((SELECT jsonb_agg(k ORDER BY k COLLATE "C") FROM jsonb_object_keys(${b}) AS k), '[]'::jsonb) END)`,
      type: "dynamic",
    };
  },
  bag_merge: (c) => {
    // on a key in several bags the leftmost bag's value wins; jsonb || keeps the right one, so merge right to left
    const bags = c.args.map((_, i) => dyn(c, i)).reverse();
    return { sql: `(${bags.map((b) => `(CASE WHEN ${isBag(b)} THEN ${b} ELSE '{}'::jsonb END)`).join(" || ")})`, type: "dynamic" };
  },
  array_reverse: (c) => {
    const a = dyn(c, 0);
    return { sql: `(CASE WHEN ${isArray(a)} THEN COALESCE((SELECT jsonb_agg(x.e ORDER BY x.n1 DESC) FROM ${elements(a)}), '[]'::jsonb) END)`, type: "dynamic" };
  },
  array_sum: (c) => {
    const a = dyn(c, 0);
    // null when an element is not a number, as for any real arithmetic on a non-number
    return {
      sql: `(CASE WHEN ${isArray(a)} THEN (SELECT CASE WHEN bool_and(jsonb_typeof(x.e) = 'number') THEN sum((x.e)::float8) END FROM ${elements(a)}) END)`,
      type: "real",
    };
  },
  set_has_element: (c) => {
    const a = dyn(c, 0);
    return { sql: `(CASE WHEN ${isArray(a)} THEN EXISTS (SELECT 1 FROM ${elements(a)} WHERE x.e = ${toJsonb(c.arg(1))}) END)`, type: "bool" };
  },
  bag_has_key: (c) => {
    const b = dyn(c, 0);
    const key = plainKey(c, 1);
    return { sql: `(CASE WHEN ${isBag(b)} THEN ${b} ? ${key} ELSE false END)`, type: "bool" };
  },
  bag_remove_keys: (c) => {
    const b = dyn(c, 0);
    const keysNode = c.args[1]!;
    if (kindName(keysNode.Kind) !== "DynamicExpression") throw c.ctx.unsupported("bag_remove_keys() with keys that are not a dynamic literal", keysNode);
    const keys = JSON.parse(dynamicLiteralJson(c.ctx, (keysNode as Kusto.Language.Syntax.DynamicExpression).Expression!) ?? "[]") as unknown;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) throw c.ctx.semantic("bag_remove_keys(): keys must be an array of strings", keysNode);
    if (keys.some((k: string) => k.startsWith("$"))) throw c.ctx.unsupported("JSONPath keys in bag_remove_keys()", keysNode);
    return { sql: `(CASE WHEN ${isBag(b)} THEN ${b} - ${c.ctx.params.add(keys, "text[]")} END)`, type: "dynamic" };
  },
  array_sort_asc: (c) => arraySort(c, "ASC"),
  array_sort_desc: (c) => arraySort(c, "DESC"),
};

/** A key argument that names one top-level key (JSONPath forms like "$.a.b" are refused). */
function plainKey(c: Call, i: number): string {
  const key = needType(c, i, "string");
  const m = /^\$(\d+)::text$/.exec(key.sql);
  const value = m ? c.ctx.params.values[Number(m[1]) - 1] : undefined;
  if (typeof value !== "string") throw c.ctx.unsupported(`a key of ${c.node.Name!.SimpleName}() that is not a constant string`, c.args[i]!);
  if (value.startsWith("$")) throw c.ctx.unsupported(`JSONPath keys in ${c.node.Name!.SimpleName}()`, c.args[i]!);
  return key.sql;
}

function bagPack(c: Call): Scalar {
  if (c.args.length % 2 !== 0) throw c.ctx.semantic(`${c.node.Name!.SimpleName}() needs key/value pairs`, c.node);
  const parts: string[] = [];
  for (let i = 0; i < c.args.length; i += 2) parts.push(`${needType(c, i, "string").sql}, ${toJsonb(c.arg(i + 1))}`);
  return { sql: `jsonb_build_object(${parts.join(", ")})`, type: "dynamic" };
}
