/**
 * A JSON array of rows for one table, as Azure's Logs Ingestion API takes them: `AzureDiagnostics` (columns typed by
 * suffix) or a resource-specific Azure Backup table (documented columns only). Each row is checked and converted by
 * the shared `coerceRow`, then the whole array is written in one ingest transaction.
 */
import { coerceRow, fixedSchemaTables, type KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import type { InputProblem } from "../store/errors";
import { batchColumnNames, CopyBatchEncoder, type ColumnTypeResolver, type Row } from "../store/copy-rows";
import { runIngestTransaction } from "../store/transaction";
import { assertColumnRoom } from "./column-budget";
import { IngestError, invalidInput } from "./errors";
import { formatPath, tooDeepMessage, tooDeepPath } from "./json-depth";
import {
  assertRecordCount,
  diagnosticsColumnType,
  nextTurn,
  RECORDS_PER_TURN,
  type IngestResult,
  type IngestScope,
} from "./records";

/** AzureActivity is fed by activity-log records only (so that every row has its stored, deduplicated event). */
const NOT_BY_TABLE_ROUTE = new Set(["AzureActivity"]);

export const ingestibleTables: readonly string[] = [
  "AzureDiagnostics",
  ...Object.keys(fixedSchemaTables).filter((t) => !NOT_BY_TABLE_ROUTE.has(t)),
];

const fixedTableColumnTypes = new Map<string, ColumnTypeResolver>(
  Object.entries(fixedSchemaTables).map(([table, schema]) => {
    const types = new Map<string, KustoType>(schema.columns.map((c) => [c.name, c.type]));
    return [table, (name: string) => types.get(name)];
  }),
);

function columnTypesOf(table: string): ColumnTypeResolver {
  if (table === "AzureDiagnostics") return diagnosticsColumnType;
  return fixedTableColumnTypes.get(table) ?? (() => undefined);
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
  const columnType = columnTypesOf(table);
  // Rows are encoded while they are checked, outside the workspace's lock; a batch the encoder cannot take is
  // checked again the plain way, and the transaction plans, encodes and reports as it always has.
  const rows =
    (await coerceRows(table, body, new CopyBatchEncoder(columnType, true))) ?? (await coerceRows(table, body))!;
  // a batch past the table's column limit is refused here, before the lock (column-budget.ts)
  await assertColumnRoom(pool, scope.workspaceId, table, batchColumnNames(rows));
  const { value, ingestedAt } = await runIngestTransaction(
    pool,
    scope.workspaceId,
    (tx) => tx.appendRows(table, rows, { columnType, validated: true }),
    { requireWorkspaceRow: !!scope.registered },
  );
  return { ingestedAt, tables: rows.length ? { [table]: value } : {}, activityEvents: { new: [], duplicates: 0 } };
}

/**
 * Checks and converts every row (throwing the batch's problems). With `encoder` the rows are encoded as they come and
 * not kept, and the result is their stand-in for appendRows; undefined means the encoder could not take a row.
 */
async function coerceRows(
  table: string,
  body: readonly unknown[],
  encoder?: CopyBatchEncoder,
): Promise<readonly Row[] | undefined> {
  const rows: Row[] = encoder ? [] : new Array<Row>(body.length);
  const problems: InputProblem[] = [];
  for (let i = 0; i < body.length; i++) {
    if (i > 0 && i % RECORDS_PER_TURN === 0) await nextTurn();
    const deep = tooDeepPath(body[i]);
    if (deep) {
      problems.push({ index: i, field: formatPath(deep, 1), message: tooDeepMessage });
      continue;
    }
    const result = coerceRow(table, body[i]);
    if (result.issues)
      for (const issue of result.issues) problems.push({ index: i, field: issue.field, message: issue.message });
    else if (!encoder) rows[i] = result.row;
    else if (!problems.length && !encoder.add(result.row)) return undefined;
  }
  if (problems.length) throw invalidInput(problems);
  return encoder ? encoder.finish() : rows;
}
