/** What every scalar function's implementation receives, and the checks they share. */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext, Scalar, Scope } from "../context";
import { kindName, type KExpr } from "../kusto";
import { stringLiteralValue } from "../scalar";

export type Call = {
  ctx: CompileContext;
  node: Kusto.Language.Syntax.FunctionCallExpression;
  args: KExpr[];
  scope: Scope;
  /** Compile argument i. */
  arg(i: number): Scalar;
  /** The analyser's result type of the call. */
  type(): KustoType;
};

export type Impl = (c: Call) => Scalar;

/** A module's functions, by Kusto name. */
export type Impls = Record<string, Impl>;

export const periods: Record<string, string> = {
  year: "year",
  quarter: "quarter",
  month: "month",
  week: "week",
  day: "day",
  hour: "hour",
  minute: "minute",
  second: "second",
  millisecond: "millisecond",
  microsecond: "microsecond",
};

export function needType(c: Call, i: number, ...types: KustoType[]): Scalar {
  const s = c.arg(i);
  if (!types.includes(s.type)) {
    throw c.ctx.semantic(`argument ${i + 1} of ${c.node.Name!.SimpleName}() must be ${types.join(" or ")}, got ${s.type}`, c.args[i]!);
  }
  return s;
}

export function literalText(c: Call, i: number): string {
  const a = c.args[i];
  if (!a || kindName(a.Kind) !== "StringLiteralExpression") {
    throw c.ctx.unsupported(`a non-literal argument ${i + 1} of ${c.node.Name!.SimpleName}()`, a ?? c.node);
  }
  return stringLiteralValue(a);
}
