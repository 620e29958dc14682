/**
 * A JSON array of rows for one table, as Azure's Logs Ingestion API takes them: `AzureDiagnostics` (columns typed by
 * suffix) or a resource-specific Azure Backup table (documented columns only). Each row is checked and converted by
 * the shared `coerceRow`, then the whole array is written in one ingest transaction.
 */
import { coerceRow, fixedSchemaTables, type KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import type { InputProblem } from "../store/errors";
import type { ColumnTypeResolver, Row } from "../store/copy-rows";
import { runIngestTransaction } from "../store/transaction";
import { IngestError, invalidInput } from "./errors";
import { assertRecordCount, diagnosticsColumnType, type IngestResult, type IngestScope } from "./records";

/** AzureActivity is fed by activity-log records only (so that every row has its stored, deduplicated event). */
const NOT_BY_TABLE_ROUTE = new Set(["AzureActivity"]);

export const ingestibleTables: readonly string[] = [
  "AzureDiagnostics",
  ...Object.keys(fixedSchemaTables).filter((t) => !NOT_BY_TABLE_ROUTE.has(t)),
];

function columnTypesOf(table: string): ColumnTypeResolver {
  if (table === "AzureDiagnostics") return diagnosticsColumnType;
  const types = new Map<string, KustoType>((fixedSchemaTables[table]?.columns ?? []).map((c) => [c.name, c.type]));
  return (name) => types.get(name);
}

export function assertIngestibleTable(table: string): void {
  if (!ingestibleTables.includes(table)) {
    const hint = NOT_BY_TABLE_ROUTE.has(table)
      ? ` (${table} rows come from activity-log records: POST .../records)`
      : "";
    throw new IngestError(
      404,
      "TableNotFound",
      `table ${JSON.stringify(table)} cannot be ingested here${hint}; tables: ${ingestibleTables.join(", ")}`,
    );
  }
}

export async function ingestTableJson(
  pool: pg.Pool,
  scope: IngestScope,
  table: string,
  body: unknown,
): Promise<IngestResult> {
  assertIngestibleTable(table);
  if (!Array.isArray(body)) throw new IngestError(400, "InvalidInput", "the body must be a JSON array of rows");
  assertRecordCount(body.length, "rows");
  const rows: Row[] = new Array<Row>(body.length);
  const problems: InputProblem[] = [];
  for (let i = 0; i < body.length; i++) {
    const result = coerceRow(table, body[i]);
    if (result.issues)
      for (const issue of result.issues) problems.push({ index: i, field: issue.field, message: issue.message });
    else rows[i] = result.row;
  }
  if (problems.length) throw invalidInput(problems);
  const { value, ingestedAt } = await runIngestTransaction(pool, scope.workspaceId, (tx) =>
    tx.appendRows(table, rows, { columnType: columnTypesOf(table), validated: true }),
  );
  return { ingestedAt, tables: rows.length ? { [table]: value } : {}, activityEvents: { new: [], duplicates: 0 } };
}
