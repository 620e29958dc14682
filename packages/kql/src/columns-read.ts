/**
 * Which of its table's columns a query reads: the rest need not leave the table. Every pipe stage lists its columns,
 * so a table of 250 columns (AzureDiagnostics) put 250 columns through every nested SELECT: for a typical alert rule,
 * 36 KB of SQL that Postgres parsed and planned in ~3 ms to run it in 0.05 ms. Reading only what the query names
 * cuts that to ~0.5 ms.
 *
 * Conservative by construction: a column counts as read when its name is any token of the query's text (a name, a
 * keyword, a string literal: `column_ifexists("X", ...)`) or when the query returns it. Queries that could read a
 * column without naming it read them all: `*` and wildcards, operators over every column or several sources (search,
 * union, join, lookup, getschema, evaluate, as, mv-apply, invoke), `pack_all()`, and a tabular value used anywhere but
 * as the pipeline's source (`toscalar(T | take 1)` and `in (T)` take a first column by position).
 */
import { kindName, Sym, Syn, toArray, type KCode, type KExpr } from "./kusto";

/** Operators whose output columns follow from the names they are given, or that pass every row and column on. */
const NAMING_OPERATORS = new Set([
  "FilterOperator",
  "ExtendOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectReorderOperator",
  "ProjectRenameOperator",
  "DistinctOperator",
  "SummarizeOperator",
  "SortOperator",
  "TakeOperator",
  "TopOperator",
  "CountOperator",
  "RenderOperator",
  "SerializeOperator",
  "MvExpandOperator",
  "MakeSeriesOperator",
  "ParseOperator",
  "ParseWhereOperator",
  "ParseKvOperator",
  "TopNestedOperator",
]);

/** Scalar functions that read every column of the row. */
const ALL_COLUMN_FUNCTIONS = new Set(["pack_all"]);

export type ColumnsRead = {
  /** The one table the query reads. */
  table: string;
  /** Its columns the query reads, by name. */
  names: Set<string>;
  /** Its columns the query does not read: the analyser's symbols, which every stage that passes them on shares. */
  unread: Set<Kusto.Language.Symbols.ColumnSymbol>;
};

/** The columns of its one table that an analysed query reads, or null when it reads (or may read) them all. */
export function columnsRead(code: KCode, result: KExpr): ColumnsRead | null {
  const root = code.Syntax!;
  const nodes = toArray<Kusto.Language.Syntax.SyntaxNode>(root.GetDescendants(Syn.SyntaxNode));
  let source: Kusto.Language.Symbols.TableSymbol | null = null;
  for (const node of nodes) {
    if (node instanceof Syn.StarExpression || node instanceof Syn.WildcardedName) return null;
    if (node instanceof Syn.QueryOperator && !NAMING_OPERATORS.has(kindName(node.Kind))) return null;
    if (node instanceof Syn.FunctionCallExpression && ALL_COLUMN_FUNCTIONS.has(node.Name?.SimpleName ?? "")) return null;
    if (!(node instanceof Syn.Expression) || !(node.ResultType instanceof Sym.TableSymbol)) continue;
    // a tabular value: only the source table's own name may be one (the pipeline's operators, pipes and parentheses
    // around it are fine)
    if (node instanceof Syn.QueryOperator || node instanceof Syn.PipeExpression || node instanceof Syn.ParenthesizedExpression) continue;
    const referenced = node instanceof Syn.NameReference ? node.ReferencedSymbol : null;
    if (!(referenced instanceof Sym.TableSymbol) || source) return null;
    source = referenced;
  }
  if (!source || !(result.ResultType instanceof Sym.TableSymbol)) return null;

  const names = new Set<string>();
  for (const token of toArray<Kusto.Language.Syntax.SyntaxToken>(root.GetDescendants(Syn.SyntaxToken))) {
    if (token.ValueText) names.add(token.ValueText);
  }
  for (const c of toArray<Kusto.Language.Symbols.ColumnSymbol>(result.ResultType.Columns)) names.add(c.Name!);
  const unread = new Set(toArray<Kusto.Language.Symbols.ColumnSymbol>(source.Columns).filter((c) => !names.has(c.Name!)));
  return { table: source.Name!, names, unread };
}
