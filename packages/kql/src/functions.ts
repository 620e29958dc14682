/** Kusto scalar functions, each translated to Postgres with Kusto's null and type rules (one module per family in fn/). */
import type { CompileContext, Scalar, Scope } from "./context";
import { compileAggregate, isAggregate } from "./aggregates";
import { elems, type KExpr } from "./kusto";
import { compileScalar } from "./scalar";
import type { Call, Impls } from "./fn/call";
import { convertImpls } from "./fn/convert";
import { datetimeImpls } from "./fn/datetime";
import { dynamicImpls } from "./fn/dynamic";
import { logicImpls } from "./fn/logic";
import { mathImpls } from "./fn/math";
import { stringImpls } from "./fn/strings";
import { windowImpls } from "./fn/window";
import { callUserScalar } from "./tabular/functions";

export { fromDynamic } from "./fn/convert";

const impls: Impls = { ...convertImpls, ...datetimeImpls, ...dynamicImpls, ...logicImpls, ...mathImpls, ...stringImpls, ...windowImpls };

/** Whether the local engine implements the scalar function `name`. */
export const isSupportedFunction = (name: string): boolean => name in impls;

export function callFunction(ctx: CompileContext, node: Kusto.Language.Syntax.FunctionCallExpression, scope: Scope): Scalar {
  const name = node.Name!.SimpleName!;
  if (ctx.userFunctions.has(name)) return callUserScalar(ctx, node, scope);
  if (isAggregate(name)) {
    if (!scope.aggregating) throw ctx.semantic(`${name}() is an aggregate: use it in summarize`, node);
    // the aggregate's own arguments are evaluated per row
    const { aggregating: _, ...rowScope } = scope;
    return compileAggregate(ctx, node, rowScope);
  }
  const impl = impls[name];
  if (!impl) {
    if (ctx.tabularLets.has(name) || ctx.scalarLets.has(name)) throw ctx.unsupported(`calling '${name}' as a function`, node);
    throw ctx.unsupported(`the function ${name}()`, node);
  }
  const args = elems<KExpr>(node.ArgumentList!.Expressions);
  const cache = new Map<number, Scalar>();
  const call: Call = {
    ctx,
    node,
    args,
    scope,
    arg(i) {
      const a = args[i];
      if (!a) throw ctx.semantic(`${name}() needs at least ${i + 1} arguments`, node);
      let s = cache.get(i);
      if (!s) {
        s = compileScalar(ctx, a, scope);
        cache.set(i, s);
      }
      return s;
    },
    type: () => ctx.typeOf(node),
  };
  const result = impl(call);
  return result.type === "string" ? { sql: result.sql, type: "string" } : result;
}
