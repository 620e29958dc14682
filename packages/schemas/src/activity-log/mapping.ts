import type { ActivityCategory, ActivityLevel, ActivityRecordLevel } from "./categories";
import type { ActivityEvent } from "./event";
import type { ActivityRecord } from "./record";
import { resourceIdParts } from "./resource-id";
import { canonicalJson, stableGuid } from "./stable-id";

/*
 * The two shapes of the activity log, mapped by the table at the end of the seed's schema page:
 *   time ↔ eventTimestamp            resourceId ↔ resourceId (subscription, group, type inferred from it)
 *   operationName ↔ operationName.value   resultType ↔ status.value   resultSignature ↔ subStatus.value
 *   resultDescription ↔ description  durationMs: always 0           callerIpAddress ↔ httpRequest.clientIpAddress
 *   correlationId ↔ correlationId    identity ↔ {claims, authorization}   level ↔ level
 *   properties.eventCategory ↔ category (absent = Administrative)   properties.eventName ↔ eventName
 *   properties.operationId ↔ operationId   properties.eventProperties ↔ properties
 * Everything else in the REST shape (localized values, channels, submissionTimestamp, id...) has no slot.
 * Our one addition: `properties.eventDataId`, because the event id is what consumers deduplicate on.
 */

/** Keys of the record's `properties` that belong to the envelope mapping, not to the event's own properties. */
const envelopeKeys = new Set(["eventCategory", "eventName", "operationId", "eventProperties", "eventDataId"]);

function toRecordLevel(level: ActivityLevel): ActivityRecordLevel {
  // The documented record sample spells REST's "Informational" as "Information".
  return level === "Informational" ? "Information" : level;
}

function toEventLevel(level: ActivityRecordLevel | undefined): ActivityLevel {
  if (level === undefined || level === "Information") return "Informational";
  return level;
}

function pair(value: string): { value: string; localizedValue: string } {
  return { value, localizedValue: value };
}

function omitUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** REST event → storage / Event Hubs record. */
export function activityEventToRecord(event: ActivityEvent): ActivityRecord {
  const identity = omitUndefined({ authorization: event.authorization, claims: event.claims });
  const properties = omitUndefined({
    eventCategory: event.category.value,
    eventName: event.eventName?.value ?? undefined,
    operationId: event.operationId,
    eventDataId: event.eventDataId,
    eventProperties: event.properties,
  });
  return omitUndefined({
    time: event.eventTimestamp,
    resourceId: event.resourceId,
    operationName: event.operationName.value,
    // The seed says "Always Administrative"; streamed logs in practice name the category, and eventCategory
    // below is authoritative either way.
    category: event.category.value,
    resultType: event.status?.value ?? undefined,
    resultSignature: event.subStatus?.value ?? undefined,
    resultDescription: event.description,
    durationMs: 0,
    callerIpAddress: event.httpRequest?.clientIpAddress,
    correlationId: event.correlationId,
    identity: Object.keys(identity).length > 0 ? identity : undefined,
    level: toRecordLevel(event.level),
    tenantId: event.tenantId,
    properties,
  });
}

function eventPropertiesOf(record: ActivityRecord): Record<string, unknown> | undefined {
  const props = record.properties;
  if (!props) return undefined;
  const nested = props.eventProperties;
  if (typeof nested === "string") {
    // Some pipelines stringify nested objects; fall back to the raw string under a key rather than losing it.
    try {
      const parsed: unknown = JSON.parse(nested);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* not JSON: kept below */
    }
    return { eventProperties: nested };
  }
  if (nested) return nested;
  // Flat records (like the seed's sample) put the event's properties directly in `properties`.
  const flat = Object.fromEntries(Object.entries(props).filter(([k]) => !envelopeKeys.has(k)));
  return Object.keys(flat).length > 0 ? flat : undefined;
}

/** Caller is not in the envelope; the schema page says it is the UPN claim or SPN claim, whichever exists. */
function callerFromClaims(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims) return undefined;
  const upn = claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"];
  const spn = claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn"];
  if (typeof upn === "string") return upn;
  if (typeof spn === "string") return spn;
  return undefined;
}

/** Storage / Event Hubs record → REST event. */
export function activityRecordToEvent(record: ActivityRecord): ActivityEvent {
  const parts = resourceIdParts(record.resourceId);
  const category: ActivityCategory = record.properties?.eventCategory ?? "Administrative";
  const eventName = record.properties?.eventName;
  const event = omitUndefined({
    authorization: record.identity?.authorization,
    caller: callerFromClaims(record.identity?.claims),
    claims: record.identity?.claims,
    correlationId: record.correlationId,
    description: record.resultDescription,
    // Without our eventDataId the record's own content names it, so redelivery maps to the same id.
    eventDataId: record.properties?.eventDataId ?? stableGuid(canonicalJson(record)),
    eventName: eventName !== undefined ? pair(eventName) : undefined,
    category: pair(category),
    eventTimestamp: record.time,
    httpRequest: record.callerIpAddress !== undefined ? { clientIpAddress: record.callerIpAddress } : undefined,
    level: toEventLevel(record.level),
    operationId: record.properties?.operationId,
    operationName: pair(record.operationName),
    resourceGroupName: parts.resourceGroup || undefined,
    resourceProviderName: parts.provider ? pair(parts.provider) : undefined,
    resourceType: parts.resourceType ? pair(parts.resourceType) : undefined,
    resourceId: record.resourceId,
    status: record.resultType !== undefined ? pair(record.resultType) : undefined,
    subStatus: record.resultSignature !== undefined ? pair(record.resultSignature) : undefined,
    subscriptionId: parts.subscriptionId || undefined,
    tenantId: record.tenantId,
    properties: eventPropertiesOf(record),
  });
  // The category's property schema was not applied to a record's payload; callers that need that guarantee
  // run parseActivityEvent on the result.
  return event as ActivityEvent;
}
