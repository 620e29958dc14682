/**
 * `{"records": [...]}` in the resource-log shape → rows and activity events, in one ingest transaction:
 * AzureBackupReport records become AzureDiagnostics rows (Log Analytics' column naming); Azure Backup's
 * resource-specific categories become rows of their own tables (CoreAzureBackup, AddonAzureBackupJobs, ..., typed
 * as documented: categories.ts, the one category → table map); activity-log records become stored activity events
 * and, when new, AzureActivity rows; any other category becomes AzureDiagnostics rows too, unless the caller refuses
 * other categories (`otherCategories: "refuse"`: each such record is an issue naming its `category`).
 * Every record is validated before the transaction starts, so a bad batch never takes the workspace's lock.
 */
import {
  activityEventToAzureActivityRow,
  activityRecordToEvent,
  azureDiagnosticsColumnType,
  fixedSchemaTables,
  parseActivityRecord,
  backupReportRecordToRow,
  resourceRecordToRow,
  type ActivityEvent,
  type KustoType,
  type ParseIssue,
  type ResourceSpecificBackupTable,
} from "@vaultwatch/schemas";
import type pg from "pg";
import type { InputProblem } from "../store/errors";
import { ColumnLimitError } from "../store/column-limit";
import { batchColumnNames, CopyBatchEncoder, isPreparedBatch, type Row } from "../store/copy-rows";
import { runIngestTransaction } from "../store/transaction";
import { insertActivityEvents, type NewActivityEvent } from "./activity-events";
import { resourceSpecificColumnType, resourceSpecificRecordToRow, resourceSpecificTableOf, unknownCategoryMessage } from "./categories";
import { classifyRecord } from "./classify";
import { diagnosticsOverflow, moveToAdditionalFields } from "./column-budget";
import { IngestError, invalidInput } from "./errors";
import { formatPath, tooDeepMessage, tooDeepPath } from "./json-depth";
import { MAX_RECORDS } from "./limits";

export type IngestScope = {
  tenantId: string;
  workspaceId: string;
  /** The batch came through a workspace key: never recreate the storage of a workspace deleted meanwhile. */
  registered?: boolean;
};
export type IngestResult = {
  ingestedAt: Date;
  /** rows written per table */
  tables: Record<string, number>;
  /** activity events stored by this batch (the alert engine evaluates these), and redeliveries ignored */
  activityEvents: { new: NewActivityEvent[]; duplicates: number };
};

const DIAGNOSTICS = "AzureDiagnostics";
const ACTIVITY = "AzureActivity";

export const diagnosticsColumnType = (name: string): KustoType | undefined =>
  azureDiagnosticsColumnType(name) ?? undefined;

const activityColumnTypes: Readonly<Record<string, KustoType>> = Object.fromEntries(
  (fixedSchemaTables[ACTIVITY]?.columns ?? []).map((c) => [c.name, c.type]),
);

export function problemsOf(index: number, issues: readonly ParseIssue[]): InputProblem[] {
  return issues.map((issue) => ({ index, field: issue.path, message: issue.message }));
}

export function assertRecordCount(count: number, what: string): void {
  if (count > MAX_RECORDS) {
    throw new IngestError(413, "TooManyRecords", `a batch holds at most ${MAX_RECORDS} ${what}; this one has ${count}`);
  }
}

type Parsed = {
  /** the rows, or (encoded while parsing) their stand-in for appendRows */
  diagnostics: readonly Row[];
  diagnosticsIndex: number[];
  /** resource-specific rows per table, with each row's record index */
  specific: Map<ResourceSpecificBackupTable, { rows: Row[]; index: number[] }>;
  events: ActivityEvent[];
  duplicates: number;
};

/**
 * Records checked between two turns of the event loop (about a millisecond): the request that holds the
 * workspace's lock meanwhile gets each of its statements' answers without waiting for a whole batch to be parsed.
 */
export const RECORDS_PER_TURN = 100;
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Validates and maps every record. With `encoder`, AzureDiagnostics rows are encoded for COPY as they are made and
 * not kept; undefined means the encoder could not take one of them, and the caller parses again without it.
 */
async function parseRecords(records: readonly unknown[], other: OtherCategories, encoder?: CopyBatchEncoder): Promise<Parsed | undefined> {
  const diagnostics: Row[] = [];
  const parsed: Parsed = { diagnostics, diagnosticsIndex: [], specific: new Map(), events: [], duplicates: 0 };
  const problems: InputProblem[] = [];
  const seenEvents = new Set<string>();
  let encoding = encoder !== undefined;
  const addRow = (row: Row, i: number) => {
    if (encoding) encoding = encoder!.add(row);
    else diagnostics.push(row);
    parsed.diagnosticsIndex.push(i);
  };
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % RECORDS_PER_TURN === 0) await nextTurn();
    const record = records[i];
    const deep = tooDeepPath(record);
    if (deep) {
      // named down to the property (properties.x) or envelope field that holds it
      problems.push({ index: i, field: formatPath(deep, deep[0] === "properties" ? 2 : 1), message: tooDeepMessage });
      continue;
    }
    switch (classifyRecord(record)) {
      case "backup": {
        const r = backupReportRecordToRow(record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (!problems.length) addRow(r.row, i);
        break;
      }
      case "activity": {
        const r = parseActivityRecord(record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (!problems.length) {
          const event = activityRecordToEvent(r.value);
          if (seenEvents.has(event.eventDataId)) parsed.duplicates++;
          else {
            seenEvents.add(event.eventDataId);
            parsed.events.push(event);
          }
        }
        break;
      }
      case "resourceSpecific": {
        const table = resourceSpecificTableOf((record as { category?: unknown }).category)!;
        const r = resourceSpecificRecordToRow(table, record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (!problems.length) {
          let rows = parsed.specific.get(table);
          if (!rows) parsed.specific.set(table, (rows = { rows: [], index: [] }));
          rows.rows.push(r.value);
          rows.index.push(i);
        }
        break;
      }
      case "resource": {
        const r = resourceRecordToRow(record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (other === "refuse") problems.push({ index: i, field: "category", message: unknownCategoryMessage(r.value.Category) });
        else if (!problems.length) addRow(r.value, i);
        break;
      }
    }
  }
  if (problems.length) throw invalidInput(problems);
  if (encoder && parsed.diagnosticsIndex.length) {
    const encoded = encoding ? encoder.finish() : undefined;
    if (!encoded) return undefined;
    parsed.diagnostics = encoded;
  }
  return parsed;
}

/** A batch that lost the race for a table's last columns to a concurrent one is planned again this many times. */
const COLUMN_RACE_ATTEMPTS = 3;

/** What becomes of a record of a category with no table of its own (not Azure Backup's, not the activity log). */
export type OtherCategories = "AzureDiagnostics" | "refuse";

export type IngestRecordsOptions = {
  /**
   * "AzureDiagnostics" (the default, the ingest route's: a resource log of another service, as Log Analytics keeps it)
   * or "refuse": an issue naming the record's `category` (a storage-archive reader counts it as a malformed record).
   */
  otherCategories?: OtherCategories;
  /**
   * Runs inside the ingest transaction after the rows are written, on its connection: a reader's position (e.g. a
   * storage-archive cursor) commits together with the rows it produced, or neither does.
   */
  alsoInTransaction?: (client: pg.PoolClient) => Promise<void>;
};

export async function ingestRecords(
  pool: pg.Pool,
  scope: IngestScope,
  records: readonly unknown[],
  options: IngestRecordsOptions = {},
): Promise<IngestResult> {
  assertRecordCount(records.length, "records");
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestRecordsOnce(pool, scope, records, options);
    } catch (e) {
      if (!(e instanceof ColumnLimitError && attempt < COLUMN_RACE_ATTEMPTS)) throw e;
    }
  }
}

async function ingestRecordsOnce(pool: pg.Pool, scope: IngestScope, records: readonly unknown[], options: IngestRecordsOptions): Promise<IngestResult> {
  // Rows are encoded while they are checked, outside the workspace's lock; a batch the encoder cannot take is
  // parsed again the plain way, and the transaction plans, encodes and reports as it always has.
  const other = options.otherCategories ?? "AzureDiagnostics";
  let parsed =
    (await parseRecords(records, other, new CopyBatchEncoder(diagnosticsColumnType, true))) ??
    (await parseRecords(records, other))!;
  // AzureDiagnostics keeps at most 500 columns; what does not fit goes into AdditionalFields (column-budget.ts).
  // Decided before the lock from the batch and one catalog lookup; the rare batch that overflows is parsed again.
  if (parsed.diagnostics.length) {
    const overflow = await diagnosticsOverflow(pool, scope.workspaceId, DIAGNOSTICS, batchColumnNames(parsed.diagnostics));
    if (overflow.length) {
      if (isPreparedBatch(parsed.diagnostics)) parsed = (await parseRecords(records, other))!;
      parsed = { ...parsed, diagnostics: moveToAdditionalFields(parsed.diagnostics, overflow) };
    }
  }
  const diagnosticsOptions = {
    columnType: diagnosticsColumnType,
    indexOf: (i: number) => parsed.diagnosticsIndex[i] ?? i,
    validated: true,
  };
  const { value, ingestedAt } = await runIngestTransaction(pool, scope.workspaceId, async (tx) => {
    const tables: Record<string, number> = {};
    if (parsed.diagnostics.length) {
      tables[DIAGNOSTICS] = await tx.appendRows(DIAGNOSTICS, parsed.diagnostics, diagnosticsOptions);
    }
    for (const [table, { rows, index }] of parsed.specific) {
      tables[table] = await tx.appendRows(table, rows, { columnType: resourceSpecificColumnType(table), indexOf: (i) => index[i] ?? i, validated: true });
    }
    // An event without submissionTimestamp became queryable now.
    const submitted = tx.ingestedAt.toISOString();
    const events = parsed.events.map((e) => (e.submissionTimestamp ? e : { ...e, submissionTimestamp: submitted }));
    const stored = await insertActivityEvents(tx.client, scope, events, tx.ingestedAtText);
    if (stored.length) {
      const fresh = new Set(stored.map((s) => s.eventDataId));
      const rows = events
        .filter((e) => fresh.has(e.eventDataId))
        .map((e) => activityEventToAzureActivityRow(e, { workspaceId: scope.workspaceId }));
      tables[ACTIVITY] = await tx.appendRows(ACTIVITY, rows, { columnType: activityColumnTypes, validated: true });
    }
    await options.alsoInTransaction?.(tx.client);
    return { tables, activityEvents: { new: stored, duplicates: parsed.duplicates + events.length - stored.length } };
  }, { requireWorkspaceRow: !!scope.registered });
  return { ingestedAt, ...value };
}
