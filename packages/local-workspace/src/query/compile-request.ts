/**
 * What a compile thread is sent: plain data only (a function such as `tableSql` cannot cross a thread boundary), from
 * which the thread builds the compiler's options itself. Run values (now, timespan, ingestion window) stay behind:
 * only whether each is set shapes the SQL, and they are bound on the calling thread.
 */
import type { CompiledTemplate, KqlErrorData, TemplateOptions } from "@vaultwatch/kql/runtime";
import type { TableSchema } from "@vaultwatch/schemas";
import { INGESTED_AT_COLUMN, qualifiedTable } from "../store/naming";
import { expectedSchema } from "./expected-tables";
import { withStandardColumns } from "./standard-columns";

export type CompileRequest = {
  query: string;
  workspaceId: string;
  /** The workspace's stored tables, as its catalog reads. */
  tables: TableSchema[];
  /** Let the query name expected tables and columns the workspace has not received yet (see expected-tables.ts). */
  expectTables: boolean;
  /** LIMIT of the statement (absent: none). */
  rowLimit?: number;
  timespan: boolean;
  ingestedAfter: boolean;
  ingestedUpTo: boolean;
};

export type CompileReply = { template: CompiledTemplate } | { error: KqlErrorData };

/** The compiler's options for a request, table naming included. */
export function templateOptionsFor(r: CompileRequest): TemplateOptions {
  const stored = r.expectTables
    ? expectedSchema(r.workspaceId, r.tables)
    : { tables: r.tables, tableSql: (t: string) => qualifiedTable(r.workspaceId, t) };
  const { tables, tableSql } = withStandardColumns(stored.tables, stored.tableSql);
  return {
    tables,
    tableSql,
    ingestionColumn: INGESTED_AT_COLUMN,
    workspaceId: r.workspaceId,
    timespan: r.timespan,
    ingested: { after: r.ingestedAfter, upTo: r.ingestedUpTo },
    ...(r.rowLimit !== undefined ? { rowLimit: r.rowLimit } : {}),
  };
}

/** Equal keys compile to equal templates (table naming follows from the workspace id, tables and expectTables). */
export function requestKey(r: CompileRequest): string {
  return JSON.stringify([r.query, r.workspaceId, r.expectTables, r.rowLimit, r.timespan, r.ingestedAfter, r.ingestedUpTo, r.tables]);
}
