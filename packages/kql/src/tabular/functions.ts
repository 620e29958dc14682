/**
 * `let` statements and user-defined functions. A call is compiled inline: Kusto's analyser expands the function's
 * body at the call site (`GetExpansion`, typed with the actual arguments, so `(T:(*))` parameters work), and the
 * parameters are bound to the compiled arguments while the body compiles.
 */
import type { CompileContext, Scalar, Scope } from "../context";
import { elems, kindName, Syn, type KExpr, type KSyntax } from "../kusto";
import { compileScalar } from "../scalar";
import { compileTabular } from "../tabular";
import { emptyScope, type Rel } from "./rel";

type FunctionDeclaration = Kusto.Language.Syntax.FunctionDeclaration;

/** One `let` statement: a scalar value, a tabular expression (compiled where it is used) or a function. */
export function defineLet(ctx: CompileContext, st: Kusto.Language.Syntax.LetStatement) {
  const name = st.Name!.SimpleName!;
  const e = st.Expression!;
  ctx.userFunctions.delete(name);
  ctx.tabularLets.delete(name);
  ctx.scalarLets.delete(name);
  if (e instanceof Syn.FunctionDeclaration) {
    ctx.userFunctions.set(name, e);
  } else if (e.ResultType instanceof Kusto.Language.Symbols.TableSymbol) {
    ctx.tabularLets.set(name, e);
  } else if (kindName(e.Kind) === "MaterializedViewCombineExpression" || e.ResultType instanceof Kusto.Language.Symbols.DatabaseSymbol) {
    throw ctx.unsupported(`the let value '${ctx.text(e).slice(0, 40)}'`, e);
  } else {
    ctx.scalarLets.set(name, compileScalar(ctx, e, emptyScope()));
  }
}

/** The statements of a query block or function body: lets, then the one expression they lead to. */
export function defineStatements(ctx: CompileContext, statements: Kusto.Language.Syntax.Statement[]) {
  for (const st of statements) {
    if (st instanceof Syn.LetStatement) defineLet(ctx, st);
    else throw ctx.unsupported(`the statement '${ctx.text(st).slice(0, 40)}'`, st);
  }
}

const isTabularParam = (p: Kusto.Language.Syntax.FunctionParameter) => !(p.NameAndType!.Type instanceof Syn.PrimitiveTypeExpression);

function parametersOf(decl: FunctionDeclaration) {
  return elems<Kusto.Language.Syntax.FunctionParameter>(decl.Parameters!.Parameters);
}

/** The expanded body of a user-function call (or a parameterless one named without parentheses). */
function expansion(ctx: CompileContext, call: KSyntax): Kusto.Language.Syntax.FunctionBody {
  const body = call.GetExpansion();
  if (!(body instanceof Syn.FunctionBody)) throw ctx.unsupported(`this call of a user-defined function ('${ctx.text(call).slice(0, 40)}')`, call);
  return body;
}

/**
 * Runs `compile` with the function's parameters bound (scalars to compiled values, tables to compiled relations) and
 * the body's own lets defined, then restores every name it shadowed.
 */
function withBindings<T>(
  ctx: CompileContext,
  call: KSyntax,
  decl: FunctionDeclaration,
  args: KExpr[],
  callerScope: Scope,
  piped: Rel | null,
  compile: (body: Kusto.Language.Syntax.FunctionBody) => T,
): T {
  const params = parametersOf(decl);
  const names = params.map((p) => p.NameAndType!.Name!.SimpleName!);
  const supplied: (KExpr | Rel | null)[] = piped ? [piped] : [];
  for (const arg of args) {
    if (arg instanceof Syn.SimpleNamedExpression && names.includes(arg.Name!.SimpleName!)) {
      // a named argument: f(a=1, c=2)
      supplied[names.indexOf(arg.Name!.SimpleName!)] = arg.Expression!;
    } else {
      supplied.push(arg);
    }
  }
  if (supplied.length > params.length) throw ctx.semantic(`too many arguments for '${ctx.text(call).slice(0, 40)}'`, call);
  // arguments are compiled in the caller's context, before any parameter shadows a caller's name
  const bound = params.map((p, i): { name: string; table: Rel } | { name: string; scalar: Scalar } => {
    const name = p.NameAndType!.Name!.SimpleName!;
    const arg = supplied[i] ?? null;
    if (isTabularParam(p)) {
      if (!arg) throw ctx.semantic(`the tabular parameter '${name}' needs an argument`, call);
      return { name, table: "sql" in arg ? arg : compileTabular(ctx, arg) };
    }
    if (arg && "sql" in arg) throw ctx.semantic(`the parameter '${name}' takes a scalar`, call);
    const value = arg ?? p.DefaultValue?.Value ?? null;
    if (!value) throw ctx.semantic(`the parameter '${name}' needs an argument`, call);
    return { name, scalar: compileScalar(ctx, value, arg ? callerScope : emptyScope()) };
  });
  const saved = {
    scalar: new Map(ctx.scalarLets),
    tabular: new Map(ctx.tabularLets),
    functions: new Map(ctx.userFunctions),
  };
  ctx.callSites.push(call);
  try {
    for (const b of bound) {
      ctx.scalarLets.delete(b.name);
      ctx.tabularLets.delete(b.name);
      ctx.userFunctions.delete(b.name);
      if ("table" in b) ctx.tabularLets.set(b.name, b.table);
      else ctx.scalarLets.set(b.name, b.scalar);
    }
    const body = expansion(ctx, call);
    defineStatements(ctx, elems<Kusto.Language.Syntax.Statement>(body.Statements));
    return compile(body);
  } finally {
    ctx.callSites.pop();
    restore(ctx.scalarLets, saved.scalar);
    restore(ctx.tabularLets, saved.tabular);
    restore(ctx.userFunctions, saved.functions);
  }
}

function restore<K, V>(target: Map<K, V>, saved: Map<K, V>) {
  target.clear();
  for (const [k, v] of saved) target.set(k, v);
}

const argsOf = (call: Kusto.Language.Syntax.FunctionCallExpression) => elems<KExpr>(call.ArgumentList!.Expressions);

/** A user function called in an expression: `f(x, 2)`. */
export function callUserScalar(ctx: CompileContext, call: Kusto.Language.Syntax.FunctionCallExpression, scope: Scope): Scalar {
  const decl = ctx.userFunctions.get(call.Name!.SimpleName!)!;
  return withBindings(ctx, call, decl, argsOf(call), scope, null, (body) => {
    if (body.Expression!.ResultType instanceof Kusto.Language.Symbols.TableSymbol) {
      throw ctx.semantic(`'${ctx.text(call)}' returns a table, not a scalar`, call);
    }
    // the body sees its parameters and lets, not the caller's row
    const value = compileScalar(ctx, body.Expression!, { columns: new Map(), ...(scope.aggregating ? { aggregating: true } : {}) });
    return { sql: `(${value.sql})`, type: value.type };
  });
}

/** A user function used as a table: `f(3)`, `f`, or `T | invoke f(3)` (the piped table is its first argument). */
export function callUserTabular(ctx: CompileContext, call: KExpr, piped: Rel | null = null): Rel {
  const fn = call instanceof Syn.FunctionCallExpression ? call : null;
  const name = fn ? fn.Name!.SimpleName! : (call as Kusto.Language.Syntax.NameReference).SimpleName!;
  const decl = ctx.userFunctions.get(name);
  if (!decl) throw ctx.semantic(`'${name}' is not a user-defined function`, call);
  return withBindings(ctx, call, decl, fn ? argsOf(fn) : [], emptyScope(), piped, (body) => compileTabular(ctx, body.Expression!));
}

/** `T | invoke f(args)`. */
export function invoke(ctx: CompileContext, rel: Rel, op: Kusto.Language.Syntax.InvokeOperator): Rel {
  const call = op.Function!;
  if (!(call instanceof Syn.FunctionCallExpression) || !ctx.userFunctions.has(call.Name!.SimpleName!)) {
    throw ctx.unsupported(`invoke of '${ctx.text(call).slice(0, 40)}' (only let-defined functions)`, op);
  }
  return callUserTabular(ctx, call, rel);
}
