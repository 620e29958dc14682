/**
 * Tabular sources that need no table: `print`, `range`, `datatable`.
 * range and datatable rows come out in order (Kusto serializes them), held by a hidden ordinal column.
 */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar } from "../context";
import { elems, type KExpr } from "../kusto";
import { castTo, compileScalar } from "../scalar";
import { ident } from "../sql";
import { pgTypeOf } from "../types";
import { emptyScope, namedItems, ordinalOrder, outputColumns, type Rel } from "./rel";

/** The Rel of a table-less source, or null when `e` is not one. */
export function compileSource(ctx: CompileContext, e: KExpr): Rel | null {
  if (e instanceof Kusto.Language.Syntax.PrintOperator) return print(ctx, e);
  if (e instanceof Kusto.Language.Syntax.RangeOperator) return range(ctx, e);
  if (e instanceof Kusto.Language.Syntax.DataTableExpression) return datatable(ctx, e);
  return null;
}

/** `print a = 1, 2`: one row; unnamed items are print_0, print_1, ... (the analyser's names). */
function print(ctx: CompileContext, e: Kusto.Language.Syntax.PrintOperator): Rel {
  const out = outputColumns(ctx, e);
  const items = namedItems(ctx, elems<KExpr>(e.Expressions), emptyScope(), new Set(), out, false);
  const byName = new Map(items.map((i) => [i.name, i.value]));
  const select = out.map((c) => {
    const v = byName.get(c.name);
    if (!v) throw ctx.unsupported("this form of print", e);
    return `${castTo(v, c.type).sql} AS ${ident(c.name)}`;
  });
  return { sql: `SELECT ${select.join(", ")}`, cols: out, ingestion: false, order: [] };
}

/** `range x from A to B step S`: A, A+S, ... while not past B (an empty result when S points away from B or is 0). */
function range(ctx: CompileContext, e: Kusto.Language.Syntax.RangeOperator): Rel {
  const out = outputColumns(ctx, e);
  const col = out[0]!;
  const from = compileScalar(ctx, e.From!, emptyScope());
  const to = compileScalar(ctx, e.To!, emptyScope());
  const step = compileScalar(ctx, e.Step!, emptyScope());
  const name = ident(col.name);
  const series = (sql: string) => `SELECT ${sql} FROM generate_series`;
  let sql: string;
  switch (col.type) {
    case "long":
    case "int": {
      need(ctx, e, [from, to, step], ["long", "int"]);
      const t = pgTypeOf[col.type];
      sql = `${series(`g.v::${t} AS ${name}, g.n AS "__vw_o1"`)}((${from.sql})::bigint, (${to.sql})::bigint, NULLIF((${step.sql})::bigint, 0)) WITH ORDINALITY AS g(v, n)`;
      break;
    }
    case "real":
    case "decimal": {
      need(ctx, e, [from, to, step], ["long", "int", "real", "decimal"]);
      const num = (s: Scalar) => `(${s.sql})::numeric`;
      sql = `${series(`g.v::${pgTypeOf[col.type]} AS ${name}, g.n AS "__vw_o1"`)}(${num(from)}, ${num(to)}, NULLIF(${num(step)}, 0)) WITH ORDINALITY AS g(v, n)`;
      break;
    }
    case "datetime":
      need(ctx, e, [from, to], ["datetime"]);
      need(ctx, e, [step], ["timespan"]);
      sql = `${series(`g.v AS ${name}, g.n AS "__vw_o1"`)}(${from.sql}, ${to.sql}, NULLIF(${step.sql}, interval '0')) WITH ORDINALITY AS g(v, n)`;
      break;
    case "timespan": {
      need(ctx, e, [from, to, step], ["timespan"]);
      // Postgres has no series of intervals: count them as instants from the epoch
      const at = (s: Scalar) => `('epoch'::timestamptz + ${s.sql})`;
      sql = `${series(`(g.v - 'epoch'::timestamptz) AS ${name}, g.n AS "__vw_o1"`)}(${at(from)}, ${at(to)}, NULLIF(${step.sql}, interval '0')) WITH ORDINALITY AS g(v, n)`;
      break;
    }
    default:
      throw ctx.unsupported(`range over ${col.type} values`, e);
  }
  return { sql, cols: out, ingestion: false, order: ordinalOrder() };
}

function need(ctx: CompileContext, e: KExpr, values: Scalar[], types: KustoType[]) {
  for (const v of values) {
    if (!types.includes(v.type)) throw ctx.semantic(`range bounds and step must be ${types.join(" or ")}, got ${v.type}`, e);
  }
}

/** `datatable(a:long, b:string) [1, "x", 2, "y"]`: values fill the rows left to right. */
function datatable(ctx: CompileContext, e: Kusto.Language.Syntax.DataTableExpression): Rel {
  const out = outputColumns(ctx, e);
  const values = elems<KExpr>(e.Values);
  if (out.length === 0) throw ctx.semantic("datatable needs at least one column", e);
  if (values.length % out.length !== 0) {
    throw ctx.semantic(`datatable has ${values.length} values for ${out.length} columns: the count must be a multiple of the column count`, e);
  }
  const names = [...out.map((c) => ident(c.name)), `"__vw_o1"`].join(", ");
  const rows: string[] = [];
  for (let r = 0; r * out.length < values.length; r++) {
    const cells = out.map((c, i) => {
      const node = values[r * out.length + i]!;
      return valueAs(ctx, compileScalar(ctx, node, emptyScope()), c.type, node);
    });
    rows.push(`(${[...cells, String(r + 1)].join(", ")})`);
  }
  const sql = rows.length
    ? `SELECT * FROM (VALUES ${rows.join(", ")}) AS v(${names})`
    : `SELECT ${out.map((c) => `NULL::${pgTypeOf[c.type]} AS ${ident(c.name)}`).join(", ")}, 0 AS "__vw_o1" WHERE false`;
  return { sql, cols: out, ingestion: false, order: ordinalOrder() };
}

/** A datatable cell as its column's type; a scalar in a dynamic column becomes that JSON value. */
function valueAs(ctx: CompileContext, v: Scalar, type: KustoType, node: KExpr): string {
  if (v.type === type) return `(${v.sql})::${pgTypeOf[type]}`;
  if (type === "dynamic") return `to_jsonb(${v.sql})`;
  const numeric = (t: KustoType) => t === "long" || t === "int" || t === "real" || t === "decimal";
  if (numeric(type) && numeric(v.type)) return `(${castTo(v, type).sql})`;
  // a null literal of any type fits any column
  if (/^NULL::/.test(v.sql)) return `NULL::${pgTypeOf[type]}`;
  throw ctx.semantic(`a ${v.type} value in a ${type} column of datatable`, node);
}
