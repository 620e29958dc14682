/**
 * toscalar(tabular expression): the first column of the first row, as a scalar subquery
 * (https://learn.microsoft.com/kusto/query/toscalar-function); no rows gives null. Tables read here are looked up in
 * full, like a join's right side, outside an alert run's ingestion window. Kusto evaluates it once, not per row, so
 * its tabular expression never reads the row's columns and can sit in a statement-level CTE.
 */
import type { CompileContext, Scalar } from "../context";
import { ident } from "../sql";
import { compileLookedUp } from "../tabular";
import { orderBy } from "./rel";

export function toScalar(ctx: CompileContext, e: Kusto.Language.Syntax.ToScalarExpression): Scalar {
  const rel = compileLookedUp(ctx, e.Expression!);
  const first = rel.cols[0];
  if (!first) throw ctx.semantic("the tabular expression of toscalar() has no columns", e);
  const type = ctx.typeOf(e);
  if (type !== first.type) throw ctx.unsupported(`toscalar() of a ${first.type} column read as ${type}`, e);
  // a materialised CTE: an expression may repeat the value (a division tests its divisor), the query runs once
  const a = ctx.alias("ts");
  const cte = ctx.alias("toscalar");
  ctx.ctes.push(`${cte} AS MATERIALIZED (SELECT ${a}.${ident(first.name)} AS v FROM (${rel.sql}) AS ${a}${orderBy(rel.order, a)} LIMIT 1)`);
  return { sql: `(SELECT v FROM ${cte})`, type };
}
