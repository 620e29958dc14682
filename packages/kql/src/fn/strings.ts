/** String functions. Kusto strings are never null: an absent string is "". */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar, Scope } from "../context";
import { elems, kindName, type KExpr } from "../kusto";
import { regexArg, constantString } from "../regex";
import { compileScalar, toStringSql } from "../scalar";
import { regexEscape } from "../sql";
import { toBool, toDatetime, toDouble, toInteger } from "./convert";
import { dynamicLiteralJson } from "./dynamic";
import { needType, type Call, type Impls } from "./call";

/** Argument i as a string; Kusto casts a non-string argument of these functions with tostring(). */
const text = (c: Call, i: number) => toStringSql(c.arg(i));
const str = (sql: string): Scalar => ({ sql, type: "string" });
/** A string argument where the analyser also admits a dynamic value (read as its text). */
/** A long as a Postgres int, clamped: positions and counts past ±2^31 mean "beyond the string" either way. */
const int32 = (sql: string) =>
  `(CASE WHEN (${sql}) > 2147483647 THEN 2147483647 WHEN (${sql}) < -2147483648 THEN -2147483648 ELSE (${sql}) END)::int`;
const strArg = (c: Call, i: number) => toStringSql(needType(c, i, "string", "dynamic"));

/** The string a regex function extracted (SQL NULL when nothing matched) as the requested type. */
function extracted(c: Call, sql: string, type: KustoType): Scalar {
  const s: Scalar = { sql, type: "string" };
  switch (type) {
    case "string":
      return str(`COALESCE(${sql}, '')`);
    case "long":
    case "int":
      return { sql: toInteger(s, type === "long" ? "bigint" : "integer"), type };
    case "real":
      return { sql: toDouble(s), type };
    case "datetime":
      return { sql: toDatetime(s), type };
    case "bool":
      return { sql: toBool(s), type };
    default:
      throw c.ctx.unsupported(`extract() to a ${type}`, c.node);
  }
}

/** An integer literal argument (a capture group number). */
function intLiteral(c: Call, i: number): number {
  const a = c.args[i]!;
  const t = c.ctx.text(a).trim();
  if (!/^\d+$/.test(t)) throw c.ctx.unsupported(`a non-literal argument ${i + 1} of ${c.node.Name!.SimpleName}()`, a);
  return Number(t);
}

function extract(c: Call): Scalar {
  const { sql: re, re: info } = regexArg(c.ctx, c.args[0]!, "capture", c.arg(0));
  const group = intLiteral(c, 1);
  if (group > info.groups) throw c.ctx.semantic(`extract(): the regular expression has no capture group ${group}`, c.args[1]!);
  const source = text(c, 2);
  // the typeLiteral argument shows in the call's type
  if (c.args.length > 3 && kindName(c.args[3]!.Kind) !== "TypeOfLiteralExpression") throw c.ctx.semantic("extract(): typeLiteral must be typeof(...)", c.args[3]!);
  return extracted(c, `regexp_substr(${source}, ${re}, 1, 1, '', ${group})`, c.type());
}

function extractAll(c: Call): Scalar {
  const { sql: re, re: info } = regexArg(c.ctx, c.args[0]!, "capture", c.arg(0));
  if (info.groups === 0) throw c.ctx.semantic("extract_all(): the regular expression needs at least one capture group", c.args[0]!);
  let groups = Array.from({ length: info.groups }, (_, i) => i + 1);
  if (c.args.length === 3) {
    const listNode = c.args[1]!;
    if (kindName(listNode.Kind) !== "DynamicExpression") throw c.ctx.unsupported("extract_all() capture groups that are not a dynamic literal", listNode);
    const list = JSON.parse(dynamicLiteralJson(c.ctx, (listNode as Kusto.Language.Syntax.DynamicExpression).Expression!) ?? "null") as unknown;
    if (!Array.isArray(list) || list.length === 0) throw c.ctx.semantic("extract_all(): captureGroups must be a non-empty array", listNode);
    groups = list.map((g) => {
      const n = typeof g === "string" ? info.names.indexOf(g) + 1 : typeof g === "number" ? g : 0;
      if (!Number.isInteger(n) || n < 1 || n > info.groups) throw c.ctx.semantic(`extract_all(): no capture group ${JSON.stringify(g)}`, listNode);
      return n;
    });
  }
  const source = text(c, c.args.length - 1);
  const cell = (g: number) => `to_jsonb(COALESCE(m.g[${g}], ''))`;
  const item = groups.length === 1 ? cell(groups[0]!) : `jsonb_build_array(${groups.map(cell).join(", ")})`;
  // no match at all gives null, as documented
  return { sql: `(SELECT jsonb_agg(${item} ORDER BY m.n) FROM regexp_matches(${source}, ${re}, 'g') WITH ORDINALITY AS m(g, n))`, type: "dynamic" };
}

/** Kusto's rewrite pattern (`\0` whole match, `\1`..`\9` groups) in regexp_replace's syntax (`\&`, `\1`). */
function rewritePattern(c: Call, node: KExpr, compiled: Scalar, groups: number): string {
  const value = constantString(c.ctx, node, compiled);
  if (value === null) throw c.ctx.unsupported("a rewrite pattern that is not a constant string", node);
  return value.replace(/\\(.?)/g, (whole, ch: string) => {
    if (ch === "0") return "\\&";
    if (/[1-9]/.test(ch)) {
      if (Number(ch) > groups) throw c.ctx.semantic(`the rewrite pattern refers to capture group ${ch}, which the regular expression does not have`, node);
      return whole;
    }
    if (ch === "\\") return "\\\\";
    throw c.ctx.unsupported(`'${whole}' in a rewrite pattern`, node);
  });
}

/**
 * indexof(source, lookup[, start[, length[, occurrence]]]). The documented examples pin down how occurrences are
 * found: each search looks at `length` characters from just after the previous find (the window slides), so
 * indexof("abcdefgabcdefg", "cde", 1, 10, 2) is 9 although 9 + 3 is past 1 + 10.
 */
function indexOf(c: Call): Scalar {
  const source = text(c, 0);
  const lookup = text(c, 1);
  const int = (i: number, dflt: string) => (c.args.length > i ? `(${needType(c, i, "long", "int").sql})::bigint` : dflt);
  const start = int(2, "0");
  const length = int(3, "-1");
  const occurrence = int(4, "1");
  const len = `char_length(${source})::bigint`;
  // a negative start counts back from the end
  const from = `(CASE WHEN ${start} < 0 THEN GREATEST(${len} + ${start}, 0) ELSE ${start} END)`;
  const window = (at: string) => `substr(${source}, ${int32(`(${at})::numeric + 1`)}, ${int32(`CASE WHEN ${length} = -1 THEN ${len} + 1 ELSE ${length} END`)})`;
  const find = (at: string) => `(CASE WHEN strpos(${window(at)}, ${lookup}) > 0 THEN ${at} + strpos(${window(at)}, ${lookup}) - 1 ELSE -1 END)::bigint`;
  const found = `(WITH RECURSIVE o(k, p) AS (SELECT 1, ${find(from)} UNION ALL SELECT o.k + 1, ${find("o.p + 1")} FROM o WHERE o.k < ${occurrence} AND o.p >= 0) SELECT o.p FROM o WHERE o.k = ${occurrence})`;
  return {
    sql: `(CASE WHEN ${start} IS NULL OR ${length} IS NULL OR ${occurrence} IS NULL OR ${occurrence} < 0 OR ${length} < -1 THEN NULL ELSE COALESCE(${found}, -1) END)::bigint`,
    type: "long",
  };
}

/** countof(source, search[, kind]): plain matches overlap, regex matches do not. */
function countOf(c: Call): Scalar {
  const source = text(c, 0);
  const kind = c.args.length > 2 ? constantString(c.ctx, c.args[2]!) : "normal";
  if (kind === "regex") {
    const { sql: re } = regexArg(c.ctx, c.args[1]!, "capture", c.arg(1));
    return { sql: `regexp_count(${source}, ${re})::bigint`, type: "long" };
  }
  if (kind !== "normal") throw c.ctx.semantic(`countof(): kind must be "normal" or "regex"`, c.args[2] ?? c.node);
  const search = strArg(c, 1);
  return {
    sql: `(CASE WHEN ${search} = '' THEN 0 ELSE (SELECT count(*) FROM generate_series(1, char_length(${source}) - char_length(${search}) + 1) AS i WHERE substr(${source}, i, char_length(${search})) = ${search}) END)::bigint`,
    type: "long",
  };
}

/** trim/trim_start/trim_end(regex, source): remove the pattern's consecutive matches at the ends. */
function trimFn(c: Call, start: boolean, end: boolean): Scalar {
  const { sql: re } = regexArg(c.ctx, c.args[0]!, "capture", c.arg(0), (r) => {
    if (r.lazy) throw c.ctx.unsupported(`lazy quantifiers in the regular expression of ${c.node.Name!.SimpleName}()`, c.args[0]!);
    const alternatives = [start ? `^(?:${r.body})+` : null, end ? `(?:${r.body})+$` : null].filter(Boolean);
    return r.options + alternatives.join("|");
  });
  return str(`regexp_replace(${text(c, 1)}, ${re}, '', 'g')`);
}

/** UTF-8 byte sequences Postgres can hold in text (well-formed, no NUL), as a regex over their hex digits. */
const UTF8_HEX =
  "^(0[1-9a-f]|[1-7][0-9a-f]|c[2-9a-f][89ab][0-9a-f]|d[0-9a-f][89ab][0-9a-f]|e0[ab][0-9a-f][89ab][0-9a-f]|e[1-9a-cef][89ab][0-9a-f][89ab][0-9a-f]|ed[89][0-9a-f][89ab][0-9a-f]|f0[9ab][0-9a-f][89ab][0-9a-f][89ab][0-9a-f]|f[1-3][89ab][0-9a-f][89ab][0-9a-f][89ab][0-9a-f]|f48[0-9a-f][89ab][0-9a-f][89ab][0-9a-f])*$";

/** bytea → text when the bytes are UTF-8 Postgres can hold, else NULL (never a failed conversion). */
const utf8OrNull = (bytes: string) => `(CASE WHEN encode(${bytes}, 'hex') ~ '${UTF8_HEX}' THEN convert_from(${bytes}, 'UTF8') END)`;

/** HttpUtility.UrlEncode's rules (Kusto's url_encode): letters, digits and -_.!*() stay, bytes become %xx (lowercase). */
function urlEncode(sql: string, space: string): string {
  const byteEscapes = `(SELECT string_agg('%' || lpad(to_hex(get_byte(b.v, i)), 2, '0'), '' ORDER BY i) FROM (SELECT convert_to(ch.c, 'UTF8') AS v) b, generate_series(0, octet_length(b.v) - 1) AS i)`;
  return `COALESCE((SELECT string_agg(CASE WHEN ch.c ~ '^[A-Za-z0-9_.!*()-]$' THEN ch.c WHEN ch.c = ' ' THEN '${space}' ELSE ${byteEscapes} END, '' ORDER BY ch.n) FROM regexp_split_to_table(${sql}, '') WITH ORDINALITY AS ch(c, n)), '')`;
}

/** Percent-decoding: `+` is a space, runs of %xx become UTF-8 text; a run that is not UTF-8 is left as written. */
function urlDecode(sql: string): string {
  const run = `decode(replace(r.m[1], '%', ''), 'hex')`;
  return `COALESCE((SELECT string_agg(CASE WHEN r.m[1] ~ '^(%[0-9A-Fa-f]{2})+$' THEN COALESCE(${utf8OrNull(run)}, r.m[1]) ELSE r.m[1] END, '' ORDER BY r.n) FROM regexp_matches(replace(${sql}, '+', ' '), '((?:%[0-9A-Fa-f]{2})+|%|[^%]+)', 'g') WITH ORDINALITY AS r(m, n)), '')`;
}

/** A term match as `has` does it: the term, bounded by non-alphanumerics or the ends of the text. */
function hasTermSql(textSql: string, termSql: string, caseSensitive: boolean): string {
  return `(${textSql} ${caseSensitive ? "~" : "~*"} ('(^|[^[:alnum:]])' || ${termSql} || '($|[^[:alnum:]])'))`;
}
const sqlRegexEscape = (sql: string) => `regexp_replace(${sql}, '([\\\\^$.*+?()[\\]{}|-])', '\\\\\\1', 'g')`;

/** `x has_any (...)` / `x has_all (...)`: the list may hold strings and dynamic arrays of strings. */
export function hasAnyAll(ctx: CompileContext, e: Kusto.Language.Syntax.InExpression, scope: Scope, all: boolean): Scalar {
  const left = compileScalar(ctx, e.Left!, scope);
  const subject = toStringSql(left);
  const list = e.Right as unknown as Kusto.Language.Syntax.ExpressionList;
  const tests: string[] = [];
  for (const item of elems<KExpr>(list.Expressions)) {
    if (kindName(item.Kind) === "DynamicExpression") {
      const values = JSON.parse(dynamicLiteralJson(ctx, (item as Kusto.Language.Syntax.DynamicExpression).Expression!) ?? "[]") as unknown;
      for (const v of Array.isArray(values) ? values : [values]) {
        if (v === null || typeof v === "object") throw ctx.unsupported("has_any/has_all with nested arrays or bags", item);
        tests.push(hasTermSql(subject, ctx.params.add(regexEscape(String(v)), "text"), false));
      }
      continue;
    }
    const value = compileScalar(ctx, item, scope);
    if (value.type === "dynamic") {
      const term = hasTermSql(subject, sqlRegexEscape("t.v"), false);
      tests.push(
        all
          ? `(NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(${value.sql}) AS t(v) WHERE NOT ${term}))`
          : `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${value.sql}) AS t(v) WHERE ${term})`,
      );
      continue;
    }
    const constant = constantString(ctx, item, value);
    const termSql = constant !== null ? ctx.params.add(regexEscape(constant), "text") : sqlRegexEscape(toStringSql(value));
    tests.push(hasTermSql(subject, termSql, false));
  }
  if (tests.length === 0) return { sql: all ? "true" : "false", type: "bool" };
  return { sql: `(${tests.join(all ? " AND " : " OR ")})`, type: "bool" };
}

/** 32 hex digits of a guid ↔ .NET's byte order (the first 4, 2 and 2 bytes reversed); the mapping is its own inverse. */
function guidByteOrder(hex: string): string {
  const at = (from: number) => `substr(${hex}, ${from}, 2)`;
  return `(${[7, 5, 3, 1, 11, 9, 15, 13].map(at).join(" || ")} || substr(${hex}, 17))`;
}

/** A hash function's input: Kusto hashes other types through their binary form, which we cannot reproduce. */
function hashInput(c: Call): string {
  const a = c.arg(0);
  if (a.type !== "string") throw c.ctx.unsupported(`${c.node.Name!.SimpleName}() of a ${a.type}`, c.args[0]!);
  return a.sql;
}

export const stringImpls: Impls = {
  strcat: (c) => str(`concat(${c.args.map((_, i) => text(c, i)).join(", ")})`),
  strcat_delim: (c) => str(`concat_ws(${text(c, 0)}, ${c.args.slice(1).map((_, i) => text(c, i + 1)).join(", ")})`),
  strcat_array: (c) => {
    const arr = needType(c, 0, "dynamic").sql;
    const item = toStringSql({ sql: "x.e", type: "dynamic" });
    return str(`COALESCE((SELECT string_agg(${item}, ${text(c, 1)} ORDER BY x.n) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${arr}) = 'array' THEN ${arr} END) WITH ORDINALITY AS x(e, n)), '')`);
  },
  tolower: (c) => str(`lower(${text(c, 0)})`),
  toupper: (c) => str(`upper(${text(c, 0)})`),
  // code points, as Kusto counts (not UTF-16 units)
  strlen: (c) => ({ sql: `char_length(${strArg(c, 0)})::bigint`, type: "long" }),
  substring: (c) => {
    const s = text(c, 0);
    // a negative start counts back from the end of the string
    const i = `(${needType(c, 1, "long", "int").sql})::bigint`;
    const start = int32(`CASE WHEN ${i} < 0 THEN GREATEST(char_length(${s}) + ${i}, 0) ELSE ${i} END::numeric + 1`);
    // a null start or length gives null, which for a string is ""
    return str(`COALESCE(${c.args.length > 2 ? `substr(${s}, ${start}, GREATEST(${int32(needType(c, 2, "long", "int").sql)}, 0))` : `substr(${s}, ${start})`}, '')`);
  },
  replace_string: (c) => str(`replace(${text(c, 0)}, ${strArg(c, 1)}, ${text(c, 2)})`),
  replace_regex: (c) => {
    const { sql: re, re: info } = regexArg(c.ctx, c.args[1]!, "capture", c.arg(1));
    const rewrite = rewritePattern(c, c.args[2]!, c.arg(2), info.groups);
    return str(`regexp_replace(${text(c, 0)}, ${re}, ${c.ctx.params.add(rewrite, "text")}, 'g')`);
  },
  reverse: (c) => {
    const a = c.arg(0);
    // the documented example reverses a datetime with all seven fraction digits ("Z0000000.00:00:21T51-01-7102")
    if (a.type === "datetime") {
      const fraction = `lpad(((extract(microseconds from ${a.sql})::bigint % 1000000) * 10)::text, 7, '0')`;
      return str(`COALESCE(reverse(to_char(${a.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || ${fraction} || 'Z'), '')`);
    }
    return str(`reverse(${toStringSql(a)})`);
  },
  split: (c) => {
    const s = text(c, 0);
    const d = strArg(c, 1);
    // Postgres gives {} for an empty source, Kusto [""]
    const parts = `(CASE WHEN ${s} = '' THEN ARRAY['']::text[] ELSE string_to_array(${s}, ${d}) END)`;
    if (c.args.length < 3) return { sql: `to_jsonb(${parts})`, type: "dynamic" };
    const i = int32(needType(c, 2, "long", "int").sql);
    return {
      sql: `(CASE WHEN ${i} >= 0 AND ${i} < cardinality(${parts}) THEN jsonb_build_array((${parts})[${i} + 1]) ELSE '[]'::jsonb END)`,
      type: "dynamic",
    };
  },
  strrep: (c) => {
    const n = `LEAST(GREATEST(${int32(needType(c, 1, "long", "int").sql)}, 0), 1024)`;
    const delim = c.args.length > 2 ? text(c, 2) : "''";
    return str(`array_to_string(array_fill(${text(c, 0)}, ARRAY[${n}]), ${delim})`);
  },
  indexof: indexOf,
  countof: countOf,
  extract,
  extract_all: extractAll,
  extractall: extractAll,
  trim: (c) => trimFn(c, true, true),
  trim_start: (c) => trimFn(c, true, false),
  trim_end: (c) => trimFn(c, false, true),
  url_encode: (c) => str(urlEncode(text(c, 0), "+")),
  url_encode_component: (c) => str(urlEncode(text(c, 0), "%20")),
  url_decode: (c) => str(urlDecode(text(c, 0))),
  base64_encode_tostring: (c) => str(`translate(encode(convert_to(${text(c, 0)}, 'UTF8'), 'base64'), E'\\n', '')`),
  // .NET's Guid.ToByteArray (what Kusto encodes) stores the first three groups little-endian
  base64_encode_fromguid: (c) => {
    const hex = `replace((${needType(c, 0, "guid").sql})::text, '-', '')`;
    return str(`COALESCE(encode(decode(${guidByteOrder(hex)}, 'hex'), 'base64'), '')`);
  },
  base64_decode_toguid: (c) => {
    const s = text(c, 0);
    const hex = `encode(decode(${s}, 'base64'), 'hex')`;
    return { sql: `(CASE WHEN ${s} ~ '^[A-Za-z0-9+/]{22}==$' THEN (${guidByteOrder(hex)})::uuid END)`, type: "guid" };
  },
  strcmp: (c) => ({
    sql: `(CASE WHEN ${text(c, 0)} COLLATE "C" < ${text(c, 1)} COLLATE "C" THEN -1 WHEN ${text(c, 0)} = ${text(c, 1)} THEN 0 ELSE 1 END)::bigint`,
    type: "long",
  }),
  // bytes of the UTF-8 text
  string_size: (c) => ({ sql: `octet_length(${strArg(c, 0)})::bigint`, type: "long" }),
  translate: (c) => {
    const search = strArg(c, 0);
    const replacement = strArg(c, 1);
    // a replacement list shorter than the search list repeats its last character; an empty one deletes
    const padded = `(CASE WHEN ${replacement} = '' THEN '' ELSE rpad(${replacement}, GREATEST(char_length(${search}), char_length(${replacement})), right(${replacement}, 1)) END)`;
    return str(`translate(${text(c, 2)}, ${search}, ${padded})`);
  },
  base64_decode_tostring: (c) => {
    const s = text(c, 0);
    const valid = `(${s} ~ '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$')`;
    // invalid base64, or bytes that are not UTF-8: Kusto answers null, which for a string is ""
    return str(`COALESCE(CASE WHEN ${valid} THEN ${utf8OrNull(`decode(${s}, 'base64')`)} END, '')`);
  },
  hash_md5: (c) => str(`md5(convert_to(${hashInput(c)}, 'UTF8'))`),
  hash_sha256: (c) => str(`encode(sha256(convert_to(${hashInput(c)}, 'UTF8')), 'hex')`),
};
