/**
 * `{"records": [...]}` in the resource-log shape → rows and activity events, in one ingest transaction:
 * AzureBackupReport records become AzureDiagnostics rows (Log Analytics' column naming); activity-log records become
 * stored activity events and, when new, AzureActivity rows; any other category becomes AzureDiagnostics rows too.
 * Every record is validated before the transaction starts, so a bad batch never takes the workspace's lock.
 */
import {
  activityEventToAzureActivityRow,
  activityRecordToEvent,
  azureDiagnosticsColumnType,
  fixedSchemaTables,
  parseActivityRecord,
  backupReportRecordToRow,
  parseResourceRecord,
  resourceRecordToDiagnosticsRow,
  type ActivityEvent,
  type KustoType,
  type ParseIssue,
} from "@vaultwatch/schemas";
import type pg from "pg";
import type { InputProblem } from "../store/errors";
import type { Row } from "../store/copy-rows";
import { runIngestTransaction } from "../store/transaction";
import { insertActivityEvents, type NewActivityEvent } from "./activity-events";
import { classifyRecord } from "./classify";
import { IngestError, invalidInput } from "./errors";
import { MAX_RECORDS } from "./limits";

export type IngestScope = { tenantId: string; workspaceId: string };
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

type Parsed = { diagnostics: Row[]; diagnosticsIndex: number[]; events: ActivityEvent[]; duplicates: number };

function parseRecords(records: readonly unknown[]): Parsed {
  const parsed: Parsed = { diagnostics: [], diagnosticsIndex: [], events: [], duplicates: 0 };
  const problems: InputProblem[] = [];
  const seenEvents = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    switch (classifyRecord(record)) {
      case "backup": {
        const r = backupReportRecordToRow(record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (!problems.length) {
          parsed.diagnostics.push(r.row);
          parsed.diagnosticsIndex.push(i);
        }
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
      case "resource": {
        const r = parseResourceRecord(record);
        if (!r.ok) problems.push(...problemsOf(i, r.issues));
        else if (!problems.length) {
          parsed.diagnostics.push(resourceRecordToDiagnosticsRow(r.value));
          parsed.diagnosticsIndex.push(i);
        }
        break;
      }
    }
  }
  if (problems.length) throw invalidInput(problems);
  return parsed;
}

export async function ingestRecords(
  pool: pg.Pool,
  scope: IngestScope,
  records: readonly unknown[],
): Promise<IngestResult> {
  assertRecordCount(records.length, "records");
  const parsed = parseRecords(records);
  const { value, ingestedAt } = await runIngestTransaction(pool, scope.workspaceId, async (tx) => {
    const tables: Record<string, number> = {};
    if (parsed.diagnostics.length) {
      tables[DIAGNOSTICS] = await tx.appendRows(DIAGNOSTICS, parsed.diagnostics, {
        columnType: diagnosticsColumnType,
        indexOf: (i) => parsed.diagnosticsIndex[i] ?? i,
        validated: true,
      });
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
    return { tables, activityEvents: { new: stored, duplicates: parsed.duplicates + events.length - stored.length } };
  });
  return { ingestedAt, ...value };
}
