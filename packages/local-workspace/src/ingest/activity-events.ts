/**
 * Stored activity events (the activity_event table): inserted in the ingest transaction, once per workspace and
 * eventDataId. The insert returns only the events that were new, so a redelivered event produces neither a second
 * event nor a second AzureActivity row, and the caller learns exactly which events to evaluate.
 */
import type { ActivityEvent } from "@vaultwatch/schemas";
import type pg from "pg";

export type NewActivityEvent = { id: string; eventDataId: string };

function columnsOf(event: ActivityEvent, submissionTimestamp: string) {
  return {
    eventDataId: event.eventDataId,
    category: event.category.value,
    level: event.level,
    operationName: event.operationName.value,
    resourceId: event.resourceId,
    subscriptionId: event.subscriptionId ?? null,
    correlationId: event.correlationId ?? null,
    eventTimestamp: event.eventTimestamp,
    submissionTimestamp,
    event,
  };
}

const INSERT_SQL = `
  INSERT INTO activity_event (id, "tenantId", "workspaceId", "eventDataId", category, level, "operationName", "resourceId",
                              "subscriptionId", "correlationId", "eventTimestamp", "submissionTimestamp", "ingestedAt", event)
  SELECT gen_random_uuid(), $1, $2, e."eventDataId", e.category, e.level, e."operationName", e."resourceId",
         e."subscriptionId", e."correlationId", e."eventTimestamp", e."submissionTimestamp", $3::timestamptz, e.event
    FROM jsonb_to_recordset($4::jsonb) AS e("eventDataId" text, category text, level text, "operationName" text,
         "resourceId" text, "subscriptionId" text, "correlationId" text, "eventTimestamp" timestamptz,
         "submissionTimestamp" timestamptz, event jsonb)
  ON CONFLICT ("workspaceId", "eventDataId") DO NOTHING
  RETURNING id, "eventDataId"`;

/**
 * Inserts the events (already unique by eventDataId within the batch) and returns the ones not stored before.
 * An event without submissionTimestamp gets its ingestion time: when it became queryable here.
 */
export async function insertActivityEvents(
  client: pg.PoolClient,
  scope: { tenantId: string; workspaceId: string },
  events: readonly ActivityEvent[],
  ingestedAt: string,
): Promise<NewActivityEvent[]> {
  if (events.length === 0) return [];
  const payload = events.map((e) => columnsOf(e, e.submissionTimestamp ?? ingestedAt));
  const { rows } = await client.query<NewActivityEvent>(INSERT_SQL, [
    scope.tenantId,
    scope.workspaceId,
    ingestedAt,
    JSON.stringify(payload),
  ]);
  return rows;
}
