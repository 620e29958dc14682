/**
 * Compiled templates as plain data, and binding a run's values into one. No Kusto.Language here: processes that only
 * run what a compile thread compiled (runtime.ts) use these too.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type { CompileOptions, TemplateOptions } from "./context";
import { bindParams } from "./sql";

export type CompiledQuery = {
  sql: string;
  params: unknown[];
  columns: ColumnSchema[];
  /**
   * The query's only joins are mv-expand's lateral expansions: it may run with nested loops allowed, which lets
   * Postgres cache an expansion per distinct value and run it in parallel workers (runLocalQuery turns nested loops
   * off for every other query: see there).
   */
  nestedLoops?: boolean;
};

/** A compiled query before its run values (now, timespan, ingestion window) are bound: plain data. */
export type CompiledTemplate = CompiledQuery;

/** The template-shaping part of compile options (run values reduced to their presence). */
export function templateOptions(options: CompileOptions & { rowLimit?: number }): TemplateOptions {
  const { now: _now, timespan, ingested, ...rest } = options;
  return { ...rest, timespan: !!timespan, ingested: { after: !!ingested?.after, upTo: !!ingested?.upTo } };
}

/** Identifies a template: equal keys compile to the same SQL. `tableSqlSample` stands for the table-naming function. */
export function templateKey(query: string, o: TemplateOptions, tableSqlSample: string): string {
  return JSON.stringify([query, o.workspaceId, o.rowLimit, !!o.timespan, !!o.ingested?.after, !!o.ingested?.upTo, o.tables, tableSqlSample]);
}

/** A template with this run's values bound. */
export function bindTemplate(template: CompiledTemplate, run: Pick<CompileOptions, "now" | "timespan" | "ingested">): CompiledQuery {
  const { timespan, ingested } = run;
  const params = bindParams(template.params, {
    now: run.now,
    ...(timespan ? { timespanStart: timespan.start, timespanEnd: timespan.end } : {}),
    ...(ingested?.after ? { ingestedAfter: ingested.after } : {}),
    ...(ingested?.upTo ? { ingestedUpTo: ingested.upTo } : {}),
  });
  return { sql: template.sql, params, columns: template.columns, ...(template.nestedLoops ? { nestedLoops: true } : {}) };
}
