/**
 * Scalar expressions → SQL. Kusto's rules, not SQL's: strings are never null (absent is ""), `==` is case-sensitive
 * and `=~` is not, `has` matches whole terms, comparisons of mismatched types are errors rather than coercions.
 */
import type { KustoType } from "@vaultwatch/schemas";
import { type CompileContext, type Scalar, type Scope } from "./context";
import { callFunction, fromDynamic } from "./functions";
import { dynamicLiteralJson } from "./fn/dynamic";
import { hasAnyAll } from "./fn/strings";
import { regexArg } from "./regex";
import { elems, kindName, Syn, type KExpr } from "./kusto";
import { regexEscape, likeEscape } from "./sql";
import { toStringSql } from "./text-sql";
import { isNumeric, nullOf, pgTypeOf } from "./types";
import { inSubquery, tabularOperand } from "./tabular/in-subquery";
import { toScalar } from "./tabular/toscalar";
import { starComparison } from "./tabular/any-column";

export function compileScalar(ctx: CompileContext, e: KExpr, scope: Scope): Scalar {
  const kind = kindName(e.Kind);
  switch (kind) {
    case "ParenthesizedExpression": {
      const inner = compileScalar(ctx, (e as Kusto.Language.Syntax.ParenthesizedExpression).Expression!, scope);
      return { sql: `(${inner.sql})`, type: inner.type };
    }
    case "StringLiteralExpression":
    case "CompoundStringLiteralExpression":
      return { sql: ctx.params.add(stringLiteralValue(e), "text"), type: "string" };
    case "LongLiteralExpression":
    case "IntLiteralExpression":
    case "RealLiteralExpression":
    case "DecimalLiteralExpression":
    case "BooleanLiteralExpression":
    case "DateTimeLiteralExpression":
    case "TimespanLiteralExpression":
    case "GuidLiteralExpression":
      return literal(ctx, e as Kusto.Language.Syntax.LiteralExpression);
    case "NameReference":
      return nameReference(ctx, e as Kusto.Language.Syntax.NameReference, scope);
    case "UnaryMinusExpression": {
      const x = compileScalar(ctx, (e as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!, scope);
      return { sql: `(-${x.sql})`, type: x.type };
    }
    case "UnaryPlusExpression":
      return compileScalar(ctx, (e as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!, scope);
    case "FunctionCallExpression":
      return callFunction(ctx, e as Kusto.Language.Syntax.FunctionCallExpression, scope);
    case "InExpression":
    case "InCsExpression":
    case "NotInExpression":
    case "NotInCsExpression":
      return inList(ctx, e as Kusto.Language.Syntax.InExpression, scope);
    case "BetweenExpression":
    case "NotBetweenExpression":
      return between(ctx, e as Kusto.Language.Syntax.BetweenExpression, scope, kind === "NotBetweenExpression");
    case "PathExpression":
    case "ElementExpression":
      return dynamicAccess(ctx, e, scope);
    case "ToScalarExpression":
      return toScalar(ctx, e as Kusto.Language.Syntax.ToScalarExpression);
    case "DynamicExpression":
      return dynamicLiteral(ctx, e as Kusto.Language.Syntax.DynamicExpression);
    case "HasAnyExpression":
    case "HasAllExpression":
      return hasAnyAll(ctx, e as Kusto.Language.Syntax.InExpression, scope, kind === "HasAllExpression");
    default:
      if (e instanceof Syn.BinaryExpression) return binary(ctx, e, scope, kind);
      throw ctx.unsupported(`the expression '${ctx.text(e)}' (${kind})`, e);
  }
}

/** A boolean-valued scalar (a `where` condition, an `iff` test). */
export function compileCondition(ctx: CompileContext, e: KExpr, scope: Scope): string {
  const c = compileScalar(ctx, e, scope);
  if (c.type !== "bool") throw ctx.semantic(`a condition must be a bool expression, '${ctx.text(e)}' is ${c.type}`, e);
  return c.sql;
}

export function stringLiteralValue(e: KExpr): string {
  if (e instanceof Syn.LiteralExpression) return e.Token!.ValueText ?? "";
  // "a" "b": adjacent literals concatenate
  const tokens = (e as unknown as { Tokens: unknown }).Tokens;
  return elems<Kusto.Language.Syntax.SyntaxToken>(tokens as never)
    .map((t) => t.ValueText ?? "")
    .join("");
}

function literal(ctx: CompileContext, e: Kusto.Language.Syntax.LiteralExpression): Scalar {
  const type = ctx.typeOf(e);
  if (e.LiteralValue === null || e.LiteralValue === undefined) return { sql: nullOf(type), type };
  const text = e.Token!.ValueText ?? "";
  switch (type) {
    case "long":
    case "int":
      // Kusto also writes integers in hexadecimal: 0xCAFEF00D (learn.microsoft.com/kusto/query/scalar-data-types/long)
      if (/^0x[0-9a-f]+$/i.test(text)) return { sql: `${BigInt(text).toString()}::${pgTypeOf[type]}`, type };
      if (!/^-?\d+$/.test(text)) throw ctx.semantic(`'${text}' is not an integer`, e);
      return { sql: `${text}::${pgTypeOf[type]}`, type };
    case "real":
    case "decimal": {
      const n = Number(text);
      if (Number.isNaN(n) && !/^nan$/i.test(text)) throw ctx.semantic(`'${text}' is not a number`, e);
      return { sql: ctx.params.add(String(n), pgTypeOf[type]), type };
    }
    case "bool":
      return { sql: /^true$/i.test(text) ? "true" : "false", type };
    case "datetime":
      return { sql: ctx.params.add(parseKustoDatetime(ctx, text, e), "timestamptz"), type };
    case "timespan": {
      const ticks = clockTicks(text) ?? (e.LiteralValue as { getTicks(): { toNumber(): number } }).getTicks().toNumber();
      // past Kusto's timespan range (about 10,675,199 days) the analyser's value falls back to zero
      if (Math.abs(ticks) > 9.2233720368e18 || (ticks === 0 && /[1-9]/.test(text))) {
        throw ctx.semantic(`the timespan '${text}' is outside the range of timespan values (about 10675199 days)`, e);
      }
      return { sql: ctx.params.add(`${ticks / 10} microseconds`, "interval"), type };
    }
    case "guid":
      return { sql: ctx.params.add(text.toLowerCase(), "uuid"), type };
    default:
      throw ctx.unsupported(`a ${type} literal`, e);
  }
}

const ticksPerUnit: [RegExp, number][] = [
  [/^(d|days?)$/, 864_000_000_000],
  [/^(h|hrs?|hours?)$/, 36_000_000_000],
  [/^(m|mins?|minutes?)$/, 600_000_000],
  [/^(s|secs?|seconds?)$/, 10_000_000],
  [/^(ms|millis?|milliseconds?)$/, 10_000],
  [/^microseconds?$/, 10],
  [/^ticks?$/, 1],
];

/**
 * The ticks of a `time(d.hh:mm:ss.fffffff)` or `time(2)` literal. The analyser's LiteralValue is 0 for these forms (only the
 * `1.5h` forms carry their value), so it is read here (https://learn.microsoft.com/kusto/query/scalar-data-types/timespan).
 */
function clockTicks(text: string): number | null {
  // time(2) is two days
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 864_000_000_000);
  // 1.5h, 100ms, time(15 seconds): the analyser's value wraps around past the range, so these are read here too
  const unit = /^\s*(-)?(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (unit) {
    const per = ticksPerUnit.find(([re]) => re.test(unit[3]!.toLowerCase()));
    if (!per) return null;
    const ticks = Math.round(Number(unit[2]) * per[1]);
    return unit[1] ? -ticks : ticks;
  }
  const m = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*$/.exec(text);
  if (!m) return null;
  const seconds = ((Number(m[2] ?? 0) * 24 + Number(m[3])) * 60 + Number(m[4])) * 60 + Number(m[5] ?? 0);
  const ticks = seconds * 10_000_000 + Number((m[6] ?? "").padEnd(7, "0"));
  return m[1] ? -ticks : ticks;
}

/** Kusto datetime literals are UTC unless they say otherwise; never read them in the process's time zone. */
function parseKustoDatetime(ctx: CompileContext, text: string, e: KExpr): string {
  const t = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!iso) {
    const parsed = Date.parse(t.endsWith("Z") || /GMT|UTC|[+-]\d{4}$/.test(t) ? t : `${t} UTC`);
    if (Number.isNaN(parsed)) throw ctx.semantic(`'${text}' is not a datetime`, e);
    return new Date(parsed).toISOString();
  }
  // Postgres holds microseconds: cut a 7th digit rather than round it, so the value floors as Kusto's ticks do
  // (bin, startof*, datetime_diff count boundaries below the value)
  const time = (iso[2] ?? "00:00:00").replace(/(\.\d{6})\d+$/, "$1");
  return `${iso[1]}T${time}${iso[3] ?? "Z"}`;
}

function nameReference(ctx: CompileContext, e: Kusto.Language.Syntax.NameReference, scope: Scope): Scalar {
  const name = e.SimpleName!;
  const col = scope.columns.get(name);
  if (col) return col;
  const v = ctx.scalarLets.get(name);
  if (v) return v;
  throw ctx.semantic(`The name '${name}' does not refer to any known column, table, variable or function.`, e);
}

type BinaryOp = (a: Scalar, b: Scalar) => Scalar;

function binary(ctx: CompileContext, e: Kusto.Language.Syntax.BinaryExpression, scope: Scope, kind: string): Scalar {
  // `* has "x"`: every column of the row (tabular/any-column.ts)
  if (e.Left instanceof Syn.StarExpression) return starComparison(ctx, e, scope);
  let a = compileScalar(ctx, e.Left!, scope);
  const literalRhs = e.Right instanceof Syn.LiteralExpression ? stringLiteralValueOrNull(e.Right) : null;
  // a literal right side of has/contains/startswith is folded into the pattern; compile it only when needed
  // (an unused parameter would leave Postgres unable to type it)
  let compiledB: Scalar | null = null;
  const rhs = (): Scalar => (compiledB ??= compileScalar(ctx, e.Right!, scope));
  const stringPattern = literalRhs !== null && (a.type === "string" || a.type === "dynamic");
  let b: Scalar = stringPattern && /Has|Contains|StartsWith|EndsWith/.test(kind) ? { sql: "", type: "string" } : rhs();
  // a dynamic value meeting a typed one is read as that type (Properties_d.status == "Succeeded")
  if (a.type === "dynamic" && b.type !== "dynamic") a = fromDynamic(a, b.type);
  else if (b.type === "dynamic" && a.type !== "dynamic") b = fromDynamic(b, a.type);
  else if (a.type === "dynamic" && /Has|Contains|StartsWith|EndsWith|Tilde|Regex/.test(kind)) {
    a = fromDynamic(a, "string");
    b = fromDynamic(b, "string");
  }
  const bool = (sql: string): Scalar => ({ sql, type: "bool" });
  const needStrings = () => {
    if (a.type !== "string" || b.type !== "string") {
      // Kusto converts a non-string left side with tostring() for the string operators; be explicit instead.
      throw ctx.semantic(`'${e.Operator!.Text}' needs string operands, got ${a.type} and ${b.type}`, e);
    }
  };
  const comparable = () => {
    if (a.type === b.type || (isNumeric(a.type) && isNumeric(b.type))) return;
    throw ctx.semantic(`Cannot compare values of types ${a.type} and ${b.type} in '${ctx.text(e)}'`, e);
  };
  const termRegex = (caseSensitive: boolean, edge: "term" | "prefix" | "suffix" = "term"): Scalar => {
    needStrings();
    // a term is a maximal run of letters and digits: the right side must sit between non-alphanumerics
    // (hasprefix: only at a term's start, hassuffix: only at its end)
    const body = literalRhs !== null ? ctx.params.add(regexEscape(literalRhs), "text") : sqlRegexEscape(b.sql);
    const before = edge === "suffix" ? "" : "'(^|[^[:alnum:]])' || ";
    const after = edge === "prefix" ? "" : " || '($|[^[:alnum:]])'";
    const pattern = `(${before}${body}${after})`;
    return bool(`(${a.sql} ${caseSensitive ? "~" : "~*"} ${pattern})`);
  };
  const like = (prefix: boolean, suffix: boolean, caseSensitive: boolean): Scalar => {
    needStrings();
    const body = literalRhs !== null ? ctx.params.add(likeEscape(literalRhs), "text") : sqlLikeEscape(b.sql);
    const pattern = `(${prefix ? "'%' || " : ""}${body}${suffix ? " || '%'" : ""})`;
    return bool(`(${a.sql} ${caseSensitive ? "LIKE" : "ILIKE"} ${pattern})`);
  };
  const not = (s: Scalar): Scalar => bool(`(NOT ${s.sql})`);

  const ops: Record<string, BinaryOp> = {
    AndExpression: () => bool(`(${cond(ctx, a, e.Left!)} AND ${cond(ctx, b, e.Right!)})`),
    OrExpression: () => bool(`(${cond(ctx, a, e.Left!)} OR ${cond(ctx, b, e.Right!)})`),
    EqualExpression: () => (comparable(), bool(equality(a, b, knownNotNull(e.Left!, a), knownNotNull(e.Right!, b), false))),
    NotEqualExpression: () => (comparable(), bool(equality(a, b, knownNotNull(e.Left!, a), knownNotNull(e.Right!, b), true))),
    LessThanExpression: () => (comparable(), bool(`(${ordered(a)} < ${ordered(b)})`)),
    LessThanOrEqualExpression: () => (comparable(), bool(`(${ordered(a)} <= ${ordered(b)})`)),
    GreaterThanExpression: () => (comparable(), bool(`(${ordered(a)} > ${ordered(b)})`)),
    GreaterThanOrEqualExpression: () => (comparable(), bool(`(${ordered(a)} >= ${ordered(b)})`)),
    EqualTildeExpression: () => (needStrings(), bool(`(lower(${a.sql}) = lower(${b.sql}))`)),
    BangTildeExpression: () => (needStrings(), bool(`(lower(${a.sql}) <> lower(${b.sql}))`)),
    HasExpression: () => termRegex(false),
    NotHasExpression: () => not(termRegex(false)),
    HasCsExpression: () => termRegex(true),
    NotHasCsExpression: () => not(termRegex(true)),
    HasPrefixExpression: () => termRegex(false, "prefix"),
    NotHasPrefixExpression: () => not(termRegex(false, "prefix")),
    HasPrefixCsExpression: () => termRegex(true, "prefix"),
    NotHasPrefixCsExpression: () => not(termRegex(true, "prefix")),
    HasSuffixExpression: () => termRegex(false, "suffix"),
    NotHasSuffixExpression: () => not(termRegex(false, "suffix")),
    HasSuffixCsExpression: () => termRegex(true, "suffix"),
    NotHasSuffixCsExpression: () => not(termRegex(true, "suffix")),
    ContainsExpression: () => like(true, true, false),
    NotContainsExpression: () => not(like(true, true, false)),
    ContainsCsExpression: () => like(true, true, true),
    NotContainsCsExpression: () => not(like(true, true, true)),
    StartsWithExpression: () => like(false, true, false),
    NotStartsWithExpression: () => not(like(false, true, false)),
    StartsWithCsExpression: () => like(false, true, true),
    NotStartsWithCsExpression: () => not(like(false, true, true)),
    EndsWithExpression: () => like(true, false, false),
    NotEndsWithExpression: () => not(like(true, false, false)),
    EndsWithCsExpression: () => like(true, false, true),
    NotEndsWithCsExpression: () => not(like(true, false, true)),
    MatchesRegexExpression: () => (needStrings(), bool(`(${a.sql} ~ ${regexArg(ctx, e.Right!, "match", b).sql})`)),
    AddExpression: () => arithmetic(ctx, e, a, b, "+"),
    SubtractExpression: () => arithmetic(ctx, e, a, b, "-"),
    MultiplyExpression: () => arithmetic(ctx, e, a, b, "*"),
    DivideExpression: () => divide(ctx, e, a, b),
    ModuloExpression: () => modulo(ctx, e, a, b),
  };
  const op = ops[kind];
  if (!op) throw ctx.unsupported(`the operator '${e.Operator?.Text ?? kind}'`, e);
  return op(a, b);
}

/**
 * Kusto's `==` / `!=` with nulls (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values): a null
 * and a non-null value are unequal (`==` false, `!=` true), two nulls compare to null. SQL's `=` would give null for
 * the first case, which `not()`, `iff()` and `countif()` then misread. Every equality test (`in`, `!in` too) goes
 * through here. When one side cannot be null the common case stays an indexable `a = b`.
 */
export function equality(a: Scalar, b: Scalar, aNotNull: boolean, bNotNull: boolean, negate: boolean): string {
  if (aNotNull && bNotNull) return `(${a.sql} ${negate ? "<>" : "="} ${b.sql})`;
  if (aNotNull || bNotNull) {
    const maybeNull = aNotNull ? b.sql : a.sql;
    return negate ? `(${a.sql} <> ${b.sql} OR ${maybeNull} IS NULL)` : `(${a.sql} = ${b.sql} AND ${maybeNull} IS NOT NULL)`;
  }
  const bothNull = `(${a.sql} IS NULL AND ${b.sql} IS NULL)`;
  return `(CASE WHEN ${bothNull} THEN NULL::boolean ELSE ${a.sql} IS ${negate ? "" : "NOT "}DISTINCT FROM ${b.sql} END)`;
}

/** Whether a compiled operand can never be null: strings never are in Kusto, nor is a non-null literal. */
export function knownNotNull(e: KExpr, s: Scalar): boolean {
  if (s.type === "string") return true;
  const kind = kindName(e.Kind);
  if (kind === "ParenthesizedExpression") return knownNotNull((e as Kusto.Language.Syntax.ParenthesizedExpression).Expression!, s);
  if (kind === "UnaryMinusExpression" || kind === "UnaryPlusExpression") {
    return knownNotNull((e as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!, s);
  }
  if (e instanceof Syn.LiteralExpression) return e.LiteralValue !== null && e.LiteralValue !== undefined;
  return false;
}

function cond(ctx: CompileContext, s: Scalar, node: KExpr): string {
  if (s.type !== "bool") throw ctx.semantic(`'and'/'or' need bool operands, '${ctx.text(node)}' is ${s.type}`, node);
  return s.sql;
}

/** Kusto orders strings by ordinal (code point), whatever the database's collation says. */
export function ordered(s: Scalar): string {
  return s.type === "string" ? `(${s.sql} COLLATE "C")` : s.sql;
}

function stringLiteralValueOrNull(e: Kusto.Language.Syntax.LiteralExpression): string | null {
  return kindName(e.Kind) === "StringLiteralExpression" ? (e.Token!.ValueText ?? "") : null;
}

export const sqlRegexEscape = (sql: string) => `regexp_replace(${sql}, '([\\\\^$.*+?()[\\]{}|-])', '\\\\\\1', 'g')`;
export const sqlLikeEscape = (sql: string) => `regexp_replace(${sql}, '([\\\\%_])', '\\\\\\1', 'g')`;

function arithmetic(ctx: CompileContext, e: KExpr, a: Scalar, b: Scalar, op: string): Scalar {
  const type = ctx.typeOf(e);
  if (a.type === "timespan" && b.type === "timespan" && op === "%") throw ctx.unsupported("timespan modulo", e);
  // int + int is a long in Kusto: widen the operands first, or Postgres computes (and overflows) in 32 bits
  if (isNumeric(type) && isNumeric(a.type) && isNumeric(b.type)) {
    const pg = pgTypeOf[type];
    return { sql: `((${a.sql})::${pg} ${op} (${b.sql})::${pg})`, type };
  }
  return { sql: `(${a.sql} ${op} ${b.sql})::${pgTypeOf[type]}`, type };
}

/**
 * Kusto's modulo is never negative: 0 <= N % D < abs(D), so `-14 % 12` is 10
 * (https://learn.microsoft.com/kusto/query/numerical-operators). Postgres keeps the dividend's sign and has no `%`
 * for double precision. A zero divisor gives null for integers and NaN for reals, as division by zero does.
 */
function modulo(ctx: CompileContext, e: KExpr, a: Scalar, b: Scalar): Scalar {
  const type = ctx.typeOf(e);
  if (!isNumeric(a.type) || !isNumeric(b.type)) throw ctx.unsupported(`'%' on ${a.type} and ${b.type}`, e);
  if (type === "real") {
    const x = `(${a.sql})::double precision`;
    const d = `abs((${b.sql})::double precision)`;
    return { sql: `(CASE WHEN ${d} = 0 THEN 'NaN'::float8 ELSE ${x} - ${d} * floor(${x} / ${d}) END)`, type };
  }
  const r = `mod((${a.sql})::numeric, NULLIF(abs((${b.sql})::numeric), 0))`;
  return { sql: `(CASE WHEN ${r} < 0 THEN ${r} + abs((${b.sql})::numeric) ELSE ${r} END)::${pgTypeOf[type]}`, type };
}

/** Integer division truncates as in Kusto; dividing by zero gives null for integers and ±∞/NaN for reals, never an error. */
function divide(ctx: CompileContext, e: KExpr, a: Scalar, b: Scalar): Scalar {
  const type = ctx.typeOf(e);
  if (a.type === "timespan" && b.type === "timespan") {
    return {
      sql: `(extract(epoch from ${a.sql}) / NULLIF(extract(epoch from ${b.sql}), 0))::double precision`,
      type: "real",
    };
  }
  if (type === "real") {
    const x = `(${a.sql})::double precision`;
    return {
      sql: `(CASE WHEN ${b.sql} = 0 THEN (CASE WHEN ${x} > 0 THEN 'Infinity'::float8 WHEN ${x} < 0 THEN '-Infinity'::float8 ELSE 'NaN'::float8 END) ELSE ${x} / ${b.sql} END)`,
      type,
    };
  }
  if (isNumeric(type) && isNumeric(a.type) && isNumeric(b.type)) {
    const pg = pgTypeOf[type];
    return { sql: `((${a.sql})::${pg} / NULLIF((${b.sql})::${pg}, 0))`, type };
  }
  return { sql: `(${a.sql} / NULLIF(${b.sql}, 0))::${pgTypeOf[type]}`, type };
}

function inList(ctx: CompileContext, e: Kusto.Language.Syntax.InExpression, scope: Scope): Scalar {
  let left = compileScalar(ctx, e.Left!, scope);
  const table = tabularOperand(e);
  if (table) return inSubquery(ctx, e, left, table, scope);
  if (left.type === "dynamic") {
    // `Properties.status in ("Failed", "Warning")`: a dynamic value meeting typed items is read as their type
    const typed = elems<KExpr>((e.Right as unknown as Kusto.Language.Syntax.ExpressionList).Expressions)
      .map((item) => ctx.typeOf(item))
      .find((t) => t !== "dynamic");
    if (typed) left = fromDynamic(left, typed);
  }
  // read the operator's text: the node kinds' names do not follow the case-sensitivity of in / in~
  const opText = e.Operator!.Text ?? "";
  const caseInsensitive = opText.endsWith("~");
  const negate = opText.startsWith("!");
  const list = e.Right as unknown as Kusto.Language.Syntax.ExpressionList;
  const items = elems<KExpr>(list.Expressions);
  if (caseInsensitive && left.type !== "string") throw ctx.semantic(`'in~' needs a string on its left`, e);
  const lower = (v: Scalar): Scalar => (caseInsensitive ? { sql: `lower(${v.sql})`, type: v.type } : v);
  const values: { v: Scalar; notNull: boolean }[] = [];
  // a dynamic array among the items stands for its elements (`x in (dynamic(["a", "b"]))`)
  const arrayTests: string[] = [];
  for (const item of items) {
    const literal = left.type !== "dynamic" ? dynamicArrayElements(ctx, item, left.type) : null;
    if (literal) {
      values.push(...literal.map((el) => ({ v: lower(el), notNull: true })));
      continue;
    }
    const v = compileScalar(ctx, item, scope);
    if (v.type === "dynamic" && left.type !== "dynamic") {
      arrayTests.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(${v.sql}) WHEN 'array' THEN ${v.sql} ELSE jsonb_build_array(${v.sql}) END) AS _in(v) WHERE ${lower(fromDynamic({ sql: "_in.v", type: "dynamic" }, left.type)).sql} = ${lower(left).sql})`);
      continue;
    }
    if (v.type !== left.type && !(isNumeric(v.type) && isNumeric(left.type))) {
      throw ctx.semantic(`Cannot compare values of types ${left.type} and ${v.type} in '${ctx.text(e)}'`, item);
    }
    values.push({ v: lower(v), notNull: knownNotNull(item, v) });
  }
  const lhs = lower(left);
  const lhsNotNull = knownNotNull(e.Left!, left);
  // `x in (a, b)` is `x == a or x == b` and `!in` its negation, with the null rules of equality()
  let listTest: string;
  if (values.length === 0) listTest = negate ? "true" : "false";
  else if (values.every((x) => x.notNull)) {
    const list = `(${values.map((x) => x.v.sql).join(", ")})`;
    if (lhsNotNull) listTest = `(${lhs.sql} ${negate ? "NOT IN" : "IN"} ${list})`;
    else listTest = negate ? `(${lhs.sql} NOT IN ${list} OR ${lhs.sql} IS NULL)` : `(${lhs.sql} IN ${list} AND ${lhs.sql} IS NOT NULL)`;
  } else {
    listTest = `(${values.map((x) => equality(lhs, x.v, lhsNotNull, x.notNull, negate)).join(negate ? " AND " : " OR ")})`;
  }
  if (arrayTests.length === 0) return { sql: listTest, type: "bool" };
  const tests = negate ? [listTest, ...arrayTests.map((t) => `NOT ${t}`)] : [listTest, ...arrayTests];
  return { sql: `(${tests.join(negate ? " AND " : " OR ")})`, type: "bool" };
}

/**
 * The elements of a literal dynamic array as values comparable with a `type` left side, or null when the item is no
 * dynamic literal or the type needs Postgres to convert (datetime, guid, timespan): the EXISTS form handles those.
 */
function dynamicArrayElements(ctx: CompileContext, item: KExpr, type: KustoType): Scalar[] | null {
  if (kindName(item.Kind) !== "DynamicExpression") return null;
  if (type !== "string" && type !== "bool" && !isNumeric(type)) return null;
  const json = dynamicLiteralJson(ctx, (item as Kusto.Language.Syntax.DynamicExpression).Expression!);
  const parsed = json === null ? null : (JSON.parse(json) as unknown);
  const elements = Array.isArray(parsed) ? parsed : [parsed];
  if (type === "string") {
    return elements.filter((el) => el !== null).map((el) => ({ sql: ctx.params.add(typeof el === "string" ? el : JSON.stringify(el), "text"), type }));
  }
  if (isNumeric(type)) return elements.filter((el) => typeof el === "number").map((el) => ({ sql: ctx.params.add(String(el), "numeric"), type: "decimal" as const }));
  if (type === "bool") return elements.filter((el) => typeof el === "boolean").map((el) => ({ sql: el ? "true" : "false", type }));
  return null;
}

function between(ctx: CompileContext, e: Kusto.Language.Syntax.BetweenExpression, scope: Scope, negate: boolean): Scalar {
  const x = compileScalar(ctx, e.Left!, scope);
  const couple = e.Right as unknown as Kusto.Language.Syntax.ExpressionCouple;
  const lo = compileScalar(ctx, couple.First!, scope);
  let hi = compileScalar(ctx, couple.Second!, scope);
  // `t between (datetime(...) .. 1d)`: a timespan upper bound counts from the lower bound
  if (x.type === "datetime" && lo.type === "datetime" && hi.type === "timespan") {
    hi = { sql: `(${lo.sql} + ${hi.sql})`, type: "datetime" };
  }
  for (const bound of [lo, hi]) {
    if (bound.type !== x.type && !(isNumeric(bound.type) && isNumeric(x.type))) {
      throw ctx.semantic(`Cannot compare values of types ${x.type} and ${bound.type} in '${ctx.text(e)}'`, e);
    }
  }
  const sql = `(${ordered(x)} BETWEEN ${ordered(lo)} AND ${ordered(hi)})`;
  return { sql: negate ? `(NOT ${sql})` : sql, type: "bool" };
}

/** `d.a.b`, `d["a"]`, `d[0]` on a dynamic column. */
function dynamicAccess(ctx: CompileContext, e: KExpr, scope: Scope): Scalar {
  if (e instanceof Syn.PathExpression) {
    const base = compileScalar(ctx, e.Expression!, scope);
    if (base.type !== "dynamic") throw ctx.unsupported(`member access on a ${base.type}`, e);
    const selector = (e as unknown as { Selector: Kusto.Language.Syntax.NameReference }).Selector;
    return { sql: `(${base.sql} -> ${ctx.params.add(selector.SimpleName, "text")})`, type: "dynamic" };
  }
  const el = e as Kusto.Language.Syntax.ElementExpression;
  const base = compileScalar(ctx, el.Expression!, scope);
  if (base.type !== "dynamic") throw ctx.unsupported(`indexing a ${base.type}`, e);
  const selector = (el as unknown as { Selector: Kusto.Language.Syntax.BracketedExpression }).Selector.Expression!;
  const key = compileScalar(ctx, selector, scope);
  if (key.type === "string") return { sql: `(${base.sql} -> ${key.sql})`, type: "dynamic" };
  if (key.type === "long" || key.type === "int") return { sql: `(${base.sql} -> (${key.sql})::int)`, type: "dynamic" };
  throw ctx.semantic(`an index must be a string or an integer`, selector);
}

function dynamicLiteral(ctx: CompileContext, e: Kusto.Language.Syntax.DynamicExpression): Scalar {
  const json = dynamicLiteralJson(ctx, e.Expression!);
  return { sql: json === null ? "NULL::jsonb" : ctx.params.add(json, "jsonb"), type: "dynamic" };
}

export { toStringSql };

/** Make a value of one type usable where Kusto expects another (iff/case arms, union columns). */
export function castTo(s: Scalar, type: KustoType): Scalar {
  if (s.type === type) return s;
  if (type === "string") return { sql: toStringSql(s), type };
  return { sql: `(${s.sql})::${pgTypeOf[type]}`, type };
}
