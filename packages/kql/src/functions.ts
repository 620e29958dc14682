/** Kusto scalar functions, each translated to Postgres with Kusto's null and type rules (one module per family in fn/). */
import type { CompileContext, Scalar, Scope } from "./context";
import { compileAggregate, isAggregate } from "./aggregates";
import { parameterName, readTracker } from "./arg-reads";
import { elems, type KExpr } from "./kusto";
import { compileScalar } from "./scalar";
import type { Call, Impls } from "./fn/call";
import { convertImpls } from "./fn/convert";
import { datetimeImpls } from "./fn/datetime";
import { dynamicImpls } from "./fn/dynamic";
import { logicImpls } from "./fn/logic";
import { mathImpls } from "./fn/math";
import { stringImpls } from "./fn/strings";
import { seriesImpls } from "./fn/series";
import { windowImpls } from "./fn/window";
import { callUserScalar } from "./tabular/functions";

export { fromDynamic } from "./fn/convert";
export { readTracker } from "./arg-reads";

const impls: Impls = { ...convertImpls, ...datetimeImpls, ...dynamicImpls, ...logicImpls, ...mathImpls, ...stringImpls, ...windowImpls, ...seriesImpls };

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
  // every argument an implementation does not read would be silently ignored: track the reads and refuse the rest
  const { tracked: trackedArgs, read, firstUnread } = readTracker(args);
  const call: Call = {
    ctx,
    node,
    args: trackedArgs,
    scope,
    arg(i) {
      const a = args[i];
      if (!a) throw ctx.semantic(`${name}() needs at least ${i + 1} arguments`, node);
      read.add(i);
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
  const ignored = firstUnread();
  if (ignored >= 0) throw ctx.unsupported(`the ${parameterName(node, ignored)} argument of ${name}()`, args[ignored]!);
  return result.type === "string" ? { sql: result.sql, type: "string" } : result;
}
