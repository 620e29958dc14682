/**
 * `T | lookup [kind=leftouter|inner] (R) on keys`: a join that keeps the left table's key columns only
 * (https://learn.microsoft.com/kusto/query/lookup-operator). Every matching right row is joined, as with join kind=inner.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type { CompileContext } from "../context";
import type { KExpr } from "../kusto";
import { compileLookedUp, joinPairs } from "../tabular";
import { ident } from "../sql";
import { namedParameter, outputColumns, plain, scopeOf, type Rel } from "./rel";

export function lookup(ctx: CompileContext, left: Rel, op: Kusto.Language.Syntax.LookupOperator, pipe: KExpr): Rel {
  ctx.planner.joins = true;
  const kindExpr = namedParameter(op, "kind");
  const kind = kindExpr ? ctx.text(kindExpr).toLowerCase() : "leftouter";
  if (kind !== "leftouter" && kind !== "inner") throw ctx.semantic(`lookup kind=${kind}: lookup takes kind=leftouter or kind=inner`, kindExpr ?? op);
  const right = compileLookedUp(ctx, op.Expression!);
  const pairs = joinPairs(ctx, op, op.LookupClause);
  const l = ctx.alias("l");
  const r = ctx.alias("r");
  const ls = scopeOf(left, l);
  const rs = scopeOf(right, r);
  const on = pairs.map(([ln, rn]) => {
    const a = ls.columns.get(ln);
    const b = rs.columns.get(rn);
    if (!a || !b) throw ctx.semantic(`lookup column '${a ? rn : ln}' does not exist on the ${a ? "right" : "left"} side`, op);
    if (a.type !== b.type) throw ctx.semantic(`lookup columns '${ln}' (${a.type}) and '${rn}' (${b.type}) differ in type`, op);
    return `${a.sql} = ${b.sql}`;
  });
  const out = outputColumns(ctx, pipe);
  const rightKeys = new Set(pairs.map(([, rn]) => rn));
  const rightRest = right.cols.filter((c) => !rightKeys.has(c.name));
  if (out.length !== left.cols.length + rightRest.length) throw ctx.unsupported("this form of lookup", op);
  // an unmatched left row reads the right's strings as "" (Kusto strings are never null)
  const pick = (alias: string, src: ColumnSchema, dst: ColumnSchema, nullable: boolean) => {
    const ref = `${alias}.${ident(src.name)}`;
    return `${nullable && src.type === "string" ? `COALESCE(${ref}, '')` : ref} AS ${ident(dst.name)}`;
  };
  const select = out.map((c, i) =>
    i < left.cols.length ? pick(l, left.cols[i]!, c, false) : pick(r, rightRest[i - left.cols.length]!, c, kind === "leftouter"),
  );
  return plain(
    `SELECT ${select.join(", ")} FROM (${left.sql}) AS ${l} ${kind === "inner" ? "JOIN" : "LEFT JOIN"} (${right.sql}) AS ${r} ON ${on.join(" AND ")}`,
    out,
  );
}
