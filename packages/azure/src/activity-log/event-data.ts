/**
 * Resource Manager's activity-log event (`EventData`, as @azure/arm-monitor hands it over) → the REST-shaped event the
 * activity rules judge (`ActivityEvent`, the same value a pushed event is stored as). The SDK's model is that REST shape
 * with its two timestamps turned into Dates, so the mapping gives them back as ISO text (to the millisecond: the SDK's
 * Date keeps no more of Azure's seven decimals) and drops what the SDK left undefined; the event is then checked
 * exactly as a pushed one is.
 */
import type { EventData } from "@azure/arm-monitor";
import { parseActivityEvent, type ActivityEvent, type ParseIssue } from "@vaultwatch/schemas";

export type MappedEvent = { ok: true; event: ActivityEvent } | { ok: false; eventDataId: string | undefined; issues: ParseIssue[] };

const iso = (d: Date | undefined) => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export function activityEventOf(data: EventData): MappedEvent {
  const rest = Object.fromEntries(
    Object.entries({ ...data, eventTimestamp: iso(data.eventTimestamp), submissionTimestamp: iso(data.submissionTimestamp) }).filter(([, v]) => v !== undefined),
  );
  const parsed = parseActivityEvent(rest);
  return parsed.ok ? { ok: true, event: parsed.value } : { ok: false, eventDataId: data.eventDataId, issues: parsed.issues };
}

/** Azure's `$filter` for events that happened in [from, to] (both bounds inclusive, as Azure reads `ge` and `le`). */
export const eventTimestampFilter = (from: Date, to: Date) => `eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}'`;
