/**
 * Summarize items, including the aggregates that give several columns (the analyser types them as a tuple):
 * arg_max/arg_min (learn.microsoft.com/kusto/query/arg-max-aggregation-function), take_any with several arguments
 * or `*` (take-any-aggregation-function), percentiles and percentilesw (percentiles-aggregation-function).
 */
import type { KustoType } from "@vaultwatch/schemas";
import { aggregateValue, percentileFraction, percentileOf, percentileWeight, RANKABLE, weightedPercentileOf } from "./aggregates";
import type { CompileContext, Scalar, Scope } from "./context";
import { elems, kindName, Sym, Syn, toArray, type KExpr } from "./kusto";
import { compileScalar, ordered } from "./scalar";
import { kustoTypeFromName, pgTypeOf } from "./types";

type Call = Kusto.Language.Syntax.FunctionCallExpression;

/** The expression of a summarize item, without its `Name =` or `(A, B) =` naming. */
function unnamed(e: KExpr): KExpr {
  return kindName(e.Kind).endsWith("NamedExpression") ? ((e as Kusto.Language.Syntax.SimpleNamedExpression).Expression ?? e) : e;
}

function tupleCall(e: KExpr): Call | null {
  return e instanceof Syn.FunctionCallExpression && e.ResultType instanceof Sym.TupleSymbol ? e : null;
}

function tupleColumns(ctx: CompileContext, call: Call): { name: string; type: KustoType }[] {
  return toArray<Kusto.Language.Symbols.ColumnSymbol>((call.ResultType as Kusto.Language.Symbols.TupleSymbol).Columns).map((c) => {
    const type = kustoTypeFromName(c.Type?.Name);
    if (!type) throw ctx.semantic(`cannot determine the type of column '${c.Name}'`, call);
    return { name: c.Name!, type };
  });
}

/**
 * The per-row values behind a tuple aggregate's columns, in the tuple's order: arg_max/arg_min's maximised
 * expression then the returned ones, take_any's returned ones. `*` stands for the input columns the analyser lists.
 */
export function tupleRowValues(ctx: CompileContext, call: Call, scope: Scope): Scalar[] {
  const cols = tupleColumns(ctx, call);
  const args = elems<KExpr>(call.ArgumentList!.Expressions);
  const values: Scalar[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Syn.StarExpression) {
      const explicitAfter = args.slice(i + 1).filter((a) => !(a instanceof Syn.StarExpression)).length;
      for (const c of cols.slice(values.length, cols.length - explicitAfter)) {
        const v = scope.columns.get(c.name);
        if (!v) throw ctx.unsupported(`${call.Name!.SimpleName}(*) over the column '${c.name}'`, arg);
        values.push(v);
      }
    } else {
      values.push(compileScalar(ctx, unnamed(arg), scope));
    }
  });
  if (values.length !== cols.length) throw ctx.unsupported(`this form of ${call.Name!.SimpleName}()`, call);
  return values;
}

/** A tuple aggregate's columns as aggregates, for a summarize that has other items too. */
function tupleAggregate(ctx: CompileContext, call: Call, scope: Scope): Scalar[] {
  const name = call.Name!.SimpleName!;
  const cols = tupleColumns(ctx, call);
  const typed = (sql: string, i: number): Scalar => ({ sql: `(${sql})::${pgTypeOf[cols[i]!.type]}`, type: cols[i]!.type });
  if (name === "percentiles" || name === "percentilesw") {
    const args = elems<KExpr>(call.ArgumentList!.Expressions);
    const x = aggregateValue(ctx, args[0], scope, call, RANKABLE);
    if (name === "percentiles") return args.slice(1).map((p, i) => typed(percentileOf(x, percentileFraction(ctx, p, scope, call)), i));
    const w = percentileWeight(ctx, args[1], scope, call);
    return args.slice(2).map((p, i) => typed(weightedPercentileOf(x, w, percentileFraction(ctx, p, scope, call)), i));
  }
  const values = tupleRowValues(ctx, call, scope);
  if (name === "take_any" || name === "any") {
    // one aggregation feeds every aggregate the rows in the same order: the first of each comes from one row
    return values.map((v, i) => typed(`(array_agg(${v.sql}))[1]`, i));
  }
  if (name === "arg_max" || name === "arg_min") {
    const x = values[0]!;
    if (x.type === "dynamic") throw ctx.unsupported(`${name}() of a dynamic value`, call);
    // rows whose value is null lose to any other (Kusto picks one of them only when all are null); the remaining
    // values break ties, so every column's separately sorted aggregate picks the same row
    const keys = [`${ordered(x)} ${name === "arg_max" ? "DESC" : "ASC"} NULLS LAST`, ...values.slice(1).map((v) => ordered(v))];
    return values.map((v, i) => typed(`(array_agg(${v.sql} ORDER BY ${keys.join(", ")}))[1]`, i));
  }
  throw ctx.unsupported(`the aggregate ${name}()`, call);
}

/** The summarize items as aggregated values, one per output column after the `by` columns. */
export function summarizeItems(ctx: CompileContext, items: KExpr[], scope: Scope): Scalar[] {
  const aggScope: Scope = { ...scope, aggregating: true };
  return items.flatMap((item) => {
    const e = unnamed(item);
    const call = tupleCall(e);
    return call ? tupleAggregate(ctx, call, scope) : [compileScalar(ctx, e, aggScope)];
  });
}
