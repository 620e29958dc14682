/** Conditionals, null and emptiness tests, and functions that read the row's scope. */
import { castTo, compileCondition } from "../scalar";
import type { Scalar } from "../context";
import { literalText, type Call, type Impls } from "./call";

function conditional(c: Call): Scalar {
  const type = c.type();
  const test = compileCondition(c.ctx, c.args[0]!, c.scope);
  return { sql: `(CASE WHEN ${test} THEN ${castTo(c.arg(1), type).sql} ELSE ${castTo(c.arg(2), type).sql} END)`, type };
}

/**
 * isnull()/isempty(): a string is empty when "" and never null; a dynamic JSON null (parse_json("")) is null like a
 * missing value (https://learn.microsoft.com/kusto/query/isnull-function, .../isempty-function).
 */
function isNullSql(s: Scalar, emptyString: boolean): string {
  if (s.type === "string") return emptyString ? `(${s.sql} = '')` : "false";
  if (s.type === "dynamic") return `(${s.sql} IS NULL OR jsonb_typeof(${s.sql}) = 'null')`;
  return `(${s.sql} IS NULL)`;
}

export const logicImpls: Impls = {
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
  isempty: (c) => ({ sql: isNullSql(c.arg(0), true), type: "bool" }),
  isnotempty: (c) => ({ sql: `(NOT ${isNullSql(c.arg(0), true)})`, type: "bool" }),
  // strings are never null in Kusto, even empty ones
  isnull: (c) => ({ sql: isNullSql(c.arg(0), false), type: "bool" }),
  isnotnull: (c) => ({ sql: `(NOT ${isNullSql(c.arg(0), false)})`, type: "bool" }),
  not: (c) => ({ sql: `(NOT ${compileCondition(c.ctx, c.args[0]!, c.scope)})`, type: "bool" }),
  coalesce: (c) => {
    const type = c.type();
    const parts = c.args.map((_, i) => castTo(c.arg(i), type).sql);
    // for strings Kusto takes the first non-empty value
    if (type === "string") return { sql: `COALESCE(${parts.map((p) => `NULLIF(${p}, '')`).join(", ")}, '')`, type };
    return { sql: `COALESCE(${parts.join(", ")})`, type };
  },
  // column_ifexists() is the documented name, columnifexists() its deprecated alias
  column_ifexists: (c) => columnIfExists(c),
  columnifexists: (c) => columnIfExists(c),
  ingestion_time: (c) => {
    if (!c.scope.ingestion) throw c.ctx.unsupported("ingestion_time() after summarize, join, union or distinct", c.node);
    return { sql: c.scope.ingestion, type: "datetime" };
  },
};

/** The column when the input has it, else the default (https://learn.microsoft.com/kusto/query/column-ifexists-function). */
function columnIfExists(c: Call): Scalar {
  const name = literalText(c, 0);
  const col = c.scope.columns.get(name);
  const type = c.type();
  // the default is typed by the analyser even when the column exists (it gives the result's type)
  const fallback = c.arg(1);
  if (!col) return castTo(fallback, type);
  if (col.type !== type) {
    throw c.ctx.unsupported(`${c.node.Name!.SimpleName}('${name}', ...) with a default of another type than the column's (${col.type})`, c.node);
  }
  return col;
}
