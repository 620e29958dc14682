/**
 * `serialize [name = expr, ...]`: freezes the current row order so that window functions (row_number, prev, next,
 * row_cumsum) can see it. Rows that have no order yet (a table) get one: their order as read.
 */
import type { CompileContext } from "../context";
import type { KExpr } from "../kusto";
import { elems } from "../kusto";
import { extend } from "../tabular";
import { ordinalOrder, type Rel } from "./rel";

export function serialize(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.SerializeOperator, pipe: KExpr): Rel {
  let ordered = rel;
  if (rel.order.length === 0) {
    const a = ctx.alias();
    ordered = { ...rel, sql: `SELECT ${a}.*, row_number() OVER () AS "__vw_o1" FROM (${rel.sql}) AS ${a}`, order: ordinalOrder() };
  }
  const items = elems<KExpr>(op.Expressions);
  if (items.length === 0) return ordered;
  // `serialize x = f()` is an extend over the serialized rows
  return extend(ctx, ordered, op as unknown as Kusto.Language.Syntax.ExtendOperator, pipe);
}
