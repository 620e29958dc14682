/**
 * compileKql: a KQL query over one workspace's tables → one parameterised SQL statement and its result columns.
 * Kusto's own parser and analyser (Kusto.Language) do the syntax and name checks, so errors carry Kusto's messages
 * and positions; this module turns the analysed tree into SQL.
 */
import { columnsRead } from "./columns-read";
import { CompileContext, type CompileOptions, type TemplateOptions } from "./context";
import { KqlError } from "./errors";
import { checkQueryText } from "./limits";
import { elems, K, lineCol, Syn, toArray, warmUp, type KExpr } from "./kusto";
import { globalsFor } from "./schema";
import { ident } from "./sql";
import { bindTemplate, templateKey, templateOptions, type CompiledQuery, type CompiledTemplate } from "./template";
import { compileTabular, orderBy } from "./tabular";
import { defineLet } from "./tabular/functions";

export type { CompileOptions, CompiledQuery, CompiledTemplate, TemplateOptions };
export { bindTemplate, templateKey, templateOptions };

const templates = new Map<string, CompiledTemplate>();
const TEMPLATE_LIMIT = 1_000;

/**
 * Compiles once per (query, workspace, schema, options' shape): an alert rule runs the same text every minute, and
 * parsing and analysing cost milliseconds where executing often costs less. Run values (now, windows) are bound here.
 * Runs Kusto's parser on the calling thread: servers go through local-workspace's compile pool instead.
 */
export function compileKql(query: string, options: CompileOptions & { rowLimit?: number }): CompiledQuery {
  const shape = templateOptions(options);
  const key = templateKey(query, shape, options.tableSql("T"));
  let template = templates.get(key);
  if (template) {
    templates.delete(key);
  } else {
    template = compileTemplate(query, shape);
    if (templates.size >= TEMPLATE_LIMIT) templates.delete(templates.keys().next().value!);
  }
  templates.set(key, template);
  return bindTemplate(template, options);
}

/** Parse, analyse and compile (no cache): the expensive part, run on a compile thread by servers. */
export function compileTemplate(query: string, options: TemplateOptions): CompiledTemplate {
  checkQueryText(query);
  warmUp();
  const code = K.KustoCode.ParseAndAnalyze(query, globalsFor(options.tables))!;
  reportDiagnostics(code);

  const statements = elems<Kusto.Language.Syntax.Statement>((code.Syntax as Kusto.Language.Syntax.QueryBlock).Statements);
  const results = statements.filter((st): st is Kusto.Language.Syntax.ExpressionStatement => st instanceof Syn.ExpressionStatement);
  const ctx = new CompileContext(code, options, results.length === 1 ? columnsRead(code, results[0]!.Expression!) : null);
  let result: KExpr | null = null;
  for (const st of statements) {
    if (st instanceof Syn.LetStatement) {
      defineLet(ctx, st);
    } else if (st instanceof Syn.ExpressionStatement) {
      if (result) throw ctx.unsupported("more than one tabular result", st);
      result = st.Expression!;
    } else {
      throw ctx.unsupported(`the statement '${ctx.text(st).slice(0, 40)}'`, st);
    }
  }
  if (!result) throw new KqlError("semantic", "the query has no tabular expression to return");

  const rel = compileTabular(ctx, result);
  const select = rel.cols.map((c) => `q.${ident(c.name)}`).join(", ");
  const limit = options.rowLimit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.rowLimit))}` : "";
  return {
    sql: `${ctx.ctes.length ? `WITH ${ctx.ctes.join(", ")} ` : ""}SELECT ${select} FROM (${rel.sql}) AS q${ctx.params.unusedClause(`${ctx.ctes.join(" ")} ${rel.sql}`)}${orderBy(rel.order, "q")}${limit}`,
    params: ctx.params.values,
    columns: rel.cols,
    ...(ctx.planner.expansions && !ctx.planner.joins ? { nestedLoops: true } : {}),
  };
}

/**
 * An analyser error that Kusto's documentation contradicts, for a call the compiler translates as documented:
 * make_timespan()'s page gives `second` as a real and shows make_timespan(1,12,30,55.123) as 1.12:30:55.1230000,
 * where this analyser wants an integer there.
 */
function documentedOtherwise(code: Kusto.Language.KustoCode, d: Kusto.Language.Diagnostic): boolean {
  if (d.Message !== "The expression value must be an integer.") return false;
  let node: Kusto.Language.Syntax.SyntaxNode | null = code.Syntax?.GetTokenAt(d.Start)?.Parent ?? null;
  while (node && !(node instanceof Syn.FunctionCallExpression)) node = node.Parent;
  if (!node || node.Name?.SimpleName !== "make_timespan") return false;
  const args = elems<KExpr>(node.ArgumentList!.Expressions);
  // only the seconds argument, the last of three or four
  return args.length >= 3 && args[args.length - 1]!.TextStart <= d.Start && d.Start < args[args.length - 1]!.End;
}

/** The first error the parser or analyser found, as a KqlError with Kusto's message and position. */
function reportDiagnostics(code: Kusto.Language.KustoCode) {
  const errors = toArray<Kusto.Language.Diagnostic>(code.GetDiagnostics()).filter(
    (d) => d.Severity === "Error" && !documentedOtherwise(code, d),
  );
  const first = errors[0];
  if (!first) return;
  const syntax = toArray<Kusto.Language.Diagnostic>(code.GetSyntaxDiagnostics()).some((d) => d.Code === first.Code && d.Start === first.Start);
  const { line, column } = lineCol(code, first.Start);
  // a wildcard table name that matches nothing: local workspaces refuse wildcard names whatever they match
  if (!syntax && /^The name '[^']*\*[^']*' does not refer to any known table/.test(first.Message ?? "")) {
    throw new KqlError("unsupported", "wildcard table names are not supported by local workspaces", { line, column, length: first.Length }, "NotSupported");
  }
  // Kusto's documentation has count(expr) count every row, null or not (its count() page); the analyser here only
  // knows count() and count(predicate), so such a call is refused as unsupported rather than called a mistake
  if (!syntax && first.Message === "A value of type bool expected." && /\bcount\s*\(\s*$/.test((code.Text ?? "").slice(0, first.Start))) {
    throw new KqlError("unsupported", "count() of a value that is not a bool predicate is not supported by local workspaces (use count())", { line, column, length: first.Length }, "NotSupported");
  }
  throw new KqlError(syntax ? "syntax" : "semantic", first.Message ?? "invalid query", { line, column, length: first.Length }, first.Code ?? undefined);
}
