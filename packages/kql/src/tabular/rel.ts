/**
 * The relation every tabular stage produces (a SELECT, its visible columns, its hidden columns) and the helpers the
 * operator modules share.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type { CompileContext, Scalar, Scope } from "../context";
import { seriesStats } from "../fn/series";
import { elems, kindName, Syn, toArray, type KExpr, type KSyntax } from "../kusto";
import { compileScalar } from "../scalar";
import { ident } from "../sql";
import { kustoTypeFromName } from "../types";

export const INGESTION = "__vw_ing";

export type OrderKey = { column: string; desc: boolean; nullsFirst: boolean };

export type Rel = {
  sql: string;
  cols: ColumnSchema[];
  ingestion: boolean;
  /** Hidden columns that hold the row order (Kusto's serialized rows: sort, range, datatable). */
  order: OrderKey[];
};

export function scopeOf(rel: Rel, alias: string): Scope {
  const columns = new Map<string, Scalar>();
  for (const c of rel.cols) columns.set(c.name, { sql: `${alias}.${ident(c.name)}`, type: c.type });
  return { columns, ...(rel.ingestion ? { ingestion: `${alias}.${INGESTION}` } : {}) };
}

/** The scope of a row-by-row operator (extend, project, serialize): window functions see the row order, if any. */
export function rowScope(rel: Rel, alias: string): Scope {
  const scope = scopeOf(rel, alias);
  const order = orderBy(rel.order, alias).replace(/^ ORDER BY /, "");
  return order ? { ...scope, windowOrder: order } : scope;
}

/** The hidden columns of `rel` that survive a row-preserving operator. */
export function hidden(rel: Rel, alias: string): string[] {
  return [...(rel.ingestion ? [`${alias}.${INGESTION}`] : []), ...rel.order.map((k) => `${alias}.${ident(k.column)}`)];
}

export function orderBy(order: OrderKey[], alias?: string): string {
  if (order.length === 0) return "";
  const keys = order.map(
    (k) => `${alias ? `${alias}.` : ""}${ident(k.column)} ${k.desc ? "DESC" : "ASC"} NULLS ${k.nullsFirst ? "FIRST" : "LAST"}`,
  );
  return ` ORDER BY ${keys.join(", ")}`;
}

/** A single ascending hidden order column (`__vw_o1`) holding a row ordinal. */
export const ordinalOrder = (column = "__vw_o1"): OrderKey[] => [{ column, desc: false, nullsFirst: false }];

/** Columns of the analyser's result type at this node. */
export function outputColumns(ctx: CompileContext, node: KExpr): ColumnSchema[] {
  const t = node.ResultType;
  if (!(t instanceof Kusto.Language.Symbols.TableSymbol)) {
    throw ctx.semantic(`'${ctx.text(node).slice(0, 60)}' is not a tabular expression`, node);
  }
  // a table column the query never reads has left the table (columns-read.ts): no stage carries it
  const unread = ctx.read?.unread;
  const columns = toArray<Kusto.Language.Symbols.ColumnSymbol>(t.Columns);
  return (unread?.size ? columns.filter((c) => !unread.has(c)) : columns).map((c) => {
    const type = kustoTypeFromName(c.Type?.Name);
    if (!type) throw ctx.semantic(`cannot determine the type of column '${c.Name}'`, node);
    return { name: c.Name!, type };
  });
}

/** SELECT list that keeps each output column as an input column of the same (or a mapped) name. */
export function passThrough(ctx: CompileContext, node: KSyntax, rel: Rel, alias: string, out: ColumnSchema[], sourceOf = (n: string) => n) {
  const byName = new Map(rel.cols.map((c) => [c.name, c]));
  return out.map((c) => {
    const src = byName.get(sourceOf(c.name));
    if (!src) throw ctx.unsupported(`this form of '${ctx.text(node).slice(0, 40)}'`, node);
    return `${alias}.${ident(src.name)} AS ${ident(c.name)}`;
  });
}

export function wrap(rel: Rel, alias: string, select: string[], extra = ""): string {
  return `SELECT ${select.join(", ")} FROM (${rel.sql}) AS ${alias}${extra}`;
}

/** A relation with no hidden columns (an operator that builds new rows). */
export const plain = (sql: string, cols: ColumnSchema[]): Rel => ({ sql, cols, ingestion: false, order: [] });

export const emptyScope = (): Scope => ({ columns: new Map() });

/** A named parameter of an operator (`kind=inner`, `with_itemindex=i`). */
export function namedParameter(op: { Parameters: unknown }, name: string): KExpr | null {
  const params = toArray<Kusto.Language.Syntax.NamedParameter>(op.Parameters as never);
  return params.find((p) => p.Name?.SimpleName?.toLowerCase() === name.toLowerCase())?.Expression ?? null;
}

/** Names and SQL of `name = expr` / `expr` items, each seeing the columns before it (extend) or only the input (project). */
export function namedItems(ctx: CompileContext, items: KExpr[], scope: Scope, inputNames: Set<string>, out: ColumnSchema[], sequential: boolean) {
  const result: { name: string; value: Scalar }[] = [];
  const fresh = out.filter((c) => !inputNames.has(c.name)).map((c) => c.name);
  const local: Scope = { ...scope, columns: new Map(scope.columns) };
  for (const item of items) {
    const tuple = tupleItem(ctx, item, sequential ? local : scope);
    if (tuple) {
      for (const entry of tuple) {
        result.push(entry);
        if (sequential) local.columns.set(entry.name, entry.value);
      }
      continue;
    }
    let name: string;
    let expr: KExpr;
    if (item instanceof Syn.SimpleNamedExpression) {
      name = item.Name!.SimpleName!;
      expr = item.Expression!;
    } else if (item instanceof Syn.NameReference && !(item.Name instanceof Syn.WildcardedName) && out.some((c) => c.name === item.SimpleName)) {
      name = item.SimpleName!;
      expr = item;
    } else if (kindName(item.Kind) === "CompoundNamedExpression") {
      throw ctx.unsupported("tuple assignment (a, b) = ...", item);
    } else {
      // an unnamed expression gets the analyser's generated name (Column1, print_0, ...), in order of appearance
      const next = fresh.find((n) => !result.some((r) => r.name === n));
      if (!next) throw ctx.unsupported(`naming of '${ctx.text(item)}'`, item);
      name = next;
      expr = item;
    }
    const value = compileScalar(ctx, expr, sequential ? local : scope);
    result.push({ name, value });
    if (sequential) local.columns.set(name, value);
  }
  return result;
}

/**
 * An item whose value is several columns (`series_stats(x)`, `(a, b) = series_stats(x)`): one entry per column of
 * the analyser's tuple, the given names first, the generated ones (`series_stats_x_max`) for the rest.
 */
function tupleItem(ctx: CompileContext, item: KExpr, scope: Scope): { name: string; value: Scalar }[] | null {
  let expr = item;
  let names: string[] = [];
  if (item instanceof Syn.SimpleNamedExpression) {
    names = [item.Name!.SimpleName!];
    expr = item.Expression!;
  } else if (kindName(item.Kind) === "CompoundNamedExpression") {
    const compound = item as Kusto.Language.Syntax.CompoundNamedExpression;
    names = elems<Kusto.Language.Syntax.NameDeclaration>(compound.Names!.Names).map((n) => n.SimpleName!);
    expr = compound.Expression!;
  }
  const type = expr.ResultType;
  if (!(type instanceof Kusto.Language.Symbols.TupleSymbol)) return null;
  const call = expr instanceof Syn.FunctionCallExpression ? expr : null;
  if (call?.Name?.SimpleName !== "series_stats") throw ctx.unsupported(`'${ctx.text(expr).slice(0, 40)}' (a value of several columns)`, expr);
  const args = elems<KExpr>(call.ArgumentList!.Expressions).map((a) => compileScalar(ctx, a, scope));
  const stats = seriesStats(ctx, args, call);
  const keys = [...stats.keys()].sort((a, b) => b.length - a.length);
  return toArray<Kusto.Language.Symbols.ColumnSymbol>(type.Columns).map((column, i) => {
    const key = keys.find((k) => column.Name!.endsWith(`_${k}`));
    if (!key) throw ctx.unsupported(`the series_stats() column '${column.Name}'`, expr);
    return { name: names[i] ?? column.Name!, value: stats.get(key)! };
  });
}
