/**
 * `x in (T | project c)` / `x !in (...)` / `in~`: membership in the first column of a tabular expression.
 * Kusto's rule that null equals nothing holds: a null x is never in the set, so `!in` keeps it.
 */
import type { CompileContext, Scalar, Scope } from "../context";
import { elems, type KExpr } from "../kusto";
import { compileLookedUp } from "../tabular";
import { ident } from "../sql";
import { isNumeric } from "../types";

/** The tabular operand of an `in` expression, or null when its right side is a list of scalars. */
export function tabularOperand(e: Kusto.Language.Syntax.InExpression): KExpr | null {
  const items = elems<KExpr>((e.Right as unknown as Kusto.Language.Syntax.ExpressionList).Expressions);
  const only = items.length === 1 ? items[0]! : null;
  return only && only.ResultType instanceof Kusto.Language.Symbols.TableSymbol ? only : null;
}

export function inSubquery(ctx: CompileContext, e: Kusto.Language.Syntax.InExpression, left: Scalar, operand: KExpr, _scope: Scope): Scalar {
  ctx.planner.joins = true;
  const opText = e.Operator!.Text ?? "";
  const caseInsensitive = opText.endsWith("~");
  const negate = opText.startsWith("!");
  const rel = compileLookedUp(ctx, operand);
  const first = rel.cols[0];
  if (!first) throw ctx.semantic("the tabular expression of 'in' has no columns", operand);
  if (first.type !== left.type && !(isNumeric(first.type) && isNumeric(left.type))) {
    throw ctx.semantic(`Cannot compare values of types ${left.type} and ${first.type} in '${ctx.text(e).slice(0, 60)}'`, e);
  }
  if (caseInsensitive && left.type !== "string") throw ctx.semantic(`'${opText}' needs a string on its left`, e);
  const a = ctx.alias("in");
  const col = `${a}.${ident(first.name)}`;
  const cond = caseInsensitive ? `lower(${col}) = lower(${left.sql})` : `${col} = ${left.sql}`;
  return { sql: `(${negate ? "NOT " : ""}EXISTS (SELECT 1 FROM (${rel.sql}) AS ${a} WHERE ${cond}))`, type: "bool" };
}
