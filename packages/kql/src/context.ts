/** State shared by the scalar and tabular halves of one compilation. */
import type { KustoType, TableSchema } from "@vaultwatch/schemas";
import { KqlError, unsupported, type KqlPosition } from "./errors";
import { kindName, lineCol, type KCode, type KExpr, type KSyntax } from "./kusto";
import { Params } from "./sql";
import type { ColumnsRead } from "./columns-read";
import type { Rel } from "./tabular/rel";
import { kustoTypeFromName } from "./types";

/** A scalar value in SQL: its expression text and its Kusto type. */
export type Scalar = { sql: string; type: KustoType };

/** The columns an expression can see: Kusto name → SQL reference. */
export type Scope = {
  columns: Map<string, Scalar>;
  /** SQL for `ingestion_time()` of the current row, when rows still come straight from a table. */
  ingestion?: string;
  /** Inside a summarize aggregate expression (`sum(x) / 1024`): aggregate function calls are allowed here. */
  aggregating?: boolean;
  /**
   * The ORDER BY of serialized rows (after serialize, sort, top, range, datatable), in an operator where window
   * functions may appear (extend, project, serialize): row_number(), prev(), next(), row_cumsum() need it.
   */
  windowOrder?: string;
};

export type CompileOptions = {
  /** The stored tables of the workspace (without the virtual TenantId/Type columns). */
  tables: TableSchema[];
  /**
   * SQL naming a stored table, e.g. `lw_0123."AzureDiagnostics"`. With `columns`, a relation that need only have those
   * columns (and the ingestion column): the ones the query reads (columns-read.ts).
   */
  tableSql: (table: string, columns?: readonly string[]) => string;
  /** Internal column holding each row's ingestion time. */
  ingestionColumn: string;
  /** Reported as `TenantId` (Log Analytics' workspace id column). */
  workspaceId: string;
  /** The instant `now()` means for the whole query (Kusto evaluates it once). */
  now: Date;
  /** Log Analytics' `timespan`: restricts TimeGenerated of every table reference. Absent means all data. */
  timespan?: { start: Date; end: Date };
  /**
   * Restricts the rows the query is about to those ingested in (after, upTo]: what exactly-once alert runs need.
   * It applies to tables on the query's main path (pipe sources, union branches, a join's left side); the right side
   * of a join is a lookup and is read in full, so "new failed jobs joined to their items" still finds the items.
   */
  ingested?: { after?: Date; upTo?: Date };
};

/**
 * What shapes a compiled template's SQL text: the options without the run values, of which only presence matters
 * (their values are bound per run). Plain data, so it can be sent to a compile thread, except `tableSql`.
 */
export type TemplateOptions = Omit<CompileOptions, "now" | "timespan" | "ingested"> & {
  timespan?: boolean;
  ingested?: { after?: boolean; upTo?: boolean };
  /** Caps the result with LIMIT. */
  rowLimit?: number;
};

export class CompileContext {
  readonly params = new Params();
  private nowParam: string | null = null;
  private aliasCounter = 0;
  /** > 0 while compiling the right side of a join (a lookup, outside the ingestion window). */
  lookupDepth = 0;
  /**
   * Scalar `let` values and tabular `let` bodies, by name (later lets shadow earlier ones). A tabular name may also be
   * bound to an already compiled relation (a user function's tabular argument, `as`).
   */
  readonly scalarLets = new Map<string, Scalar>();
  readonly tabularLets = new Map<string, KExpr | Rel>();
  /** User-defined functions (`let f = (x:long) { ... }`), by name. */
  readonly userFunctions = new Map<string, Kusto.Language.Syntax.FunctionDeclaration>();
  /** Statement-level CTEs (`name AS MATERIALIZED (...)`): a toscalar() value computed once however often it is used. */
  readonly ctes: string[] = [];
  /**
   * What the query joins, for the planner settings it runs with (CompiledTemplate.nestedLoops): mv-expand's lateral
   * expansions, and the joins proper (join, lookup, in (subquery), make-series, top-nested).
   */
  readonly planner = { expansions: false, joins: false };
  /** The user-function calls being expanded, innermost last: errors inside an expansion point at the call. */
  readonly callSites: KSyntax[] = [];

  constructor(
    readonly code: KCode,
    readonly options: TemplateOptions,
    /** The columns of its one table the query reads, when it does not read them all. */
    readonly read: ColumnsRead | null = null,
  ) {
  }

  /** `now()` as one bound parameter, added on first use (an unused parameter would be untyped for Postgres). */
  get nowSql(): string {
    this.nowParam ??= this.params.addRunValue("now", "timestamptz");
    return this.nowParam;
  }

  alias(prefix = "s"): string {
    this.aliasCounter += 1;
    return `${prefix}${this.aliasCounter}`;
  }

  /** Whether `node` belongs to the query's own tree (not to a function call's expansion). */
  private inQuery(node: KSyntax): boolean {
    return node.Root === this.code.Syntax;
  }

  position(node: KSyntax): KqlPosition {
    const at = this.inQuery(node) ? node : (this.callSites.find((n) => this.inQuery(n)) ?? node);
    const { line, column } = lineCol(this.code, at.TextStart);
    return { line, column, length: at.Width };
  }

  text(node: KSyntax): string {
    if (!this.inQuery(node)) return node.ToString(Kusto.Language.Syntax.IncludeTrivia.Interior) ?? "";
    return this.code.Text!.substr(node.TextStart, node.Width);
  }

  unsupported(what: string, node: KSyntax): KqlError {
    return unsupported(what, this.position(node));
  }

  semantic(message: string, node: KSyntax): KqlError {
    return new KqlError("semantic", message, this.position(node));
  }

  /** The analyser's type for an expression; anything it cannot type is a semantic error at that node. */
  typeOf(e: KExpr): KustoType {
    const t = kustoTypeFromName(e.ResultType?.Name);
    if (!t) throw this.semantic(`cannot determine the type of '${this.text(e)}' (${kindName(e.Kind)})`, e);
    return t;
  }
}
