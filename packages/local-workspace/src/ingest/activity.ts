/**
 * Activity-log events already in the REST shape (what the activity-log poller reads from Resource Manager) stored the
 * way pushed records are: one ingest transaction writes the new `activity_event` rows and their `AzureActivity` rows,
 * redeliveries (same eventDataId) are skipped, and the caller learns which events are new so it can have them judged.
 */
import { activityEventToAzureActivityRow, fixedSchemaTables, type ActivityEvent, type KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import { runIngestTransaction } from "../store/transaction";
import { insertActivityEvents, type NewActivityEvent } from "./activity-events";
import type { IngestScope } from "./records";

const ACTIVITY = "AzureActivity";
const activityColumnTypes: Readonly<Record<string, KustoType>> = Object.fromEntries(
  (fixedSchemaTables[ACTIVITY]?.columns ?? []).map((c) => [c.name, c.type]),
);

export type ActivityIngestResult = { ingestedAt: Date; new: NewActivityEvent[]; duplicates: number };

/** `events` must already be valid (parseActivityEvent); duplicates within the batch count once. */
export async function ingestActivityEvents(pool: pg.Pool, scope: IngestScope, events: readonly ActivityEvent[]): Promise<ActivityIngestResult> {
  const unique = [...new Map(events.map((e) => [e.eventDataId, e])).values()];
  const { value, ingestedAt } = await runIngestTransaction(
    pool,
    scope.workspaceId,
    async (tx) => {
      // an event without submissionTimestamp became queryable now
      const submitted = tx.ingestedAt.toISOString();
      const stamped = unique.map((e) => (e.submissionTimestamp ? e : { ...e, submissionTimestamp: submitted }));
      const stored = await insertActivityEvents(tx.client, scope, stamped, tx.ingestedAtText);
      if (stored.length) {
        const fresh = new Set(stored.map((s) => s.eventDataId));
        const rows = stamped.filter((e) => fresh.has(e.eventDataId)).map((e) => activityEventToAzureActivityRow(e, { workspaceId: scope.workspaceId }));
        await tx.appendRows(ACTIVITY, rows, { columnType: activityColumnTypes, validated: true });
      }
      return stored;
    },
    { requireWorkspaceRow: !!scope.registered },
  );
  return { ingestedAt, new: value, duplicates: events.length - value.length };
}
