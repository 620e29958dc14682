import { normaliseDatetime } from "../log-tables/datetime";
import type { ActivityEvent } from "./event";
import { resourceIdParts } from "./resource-id";
import type { Localizable } from "./strings";

/** One `AzureActivity` row; columns and types as in azureActivityTable. */
export type AzureActivityRow = {
  TimeGenerated: string;
  ActivityStatus: string;
  ActivityStatusValue: string;
  ActivitySubstatus: string;
  ActivitySubstatusValue: string;
  Authorization: string;
  Authorization_d: Record<string, unknown> | null;
  Caller: string;
  CallerIpAddress: string;
  Category: string;
  CategoryValue: string;
  Claims: string;
  Claims_d: Record<string, unknown> | null;
  CorrelationId: string;
  EventDataId: string;
  EventSubmissionTimestamp: string | null;
  Hierarchy: string;
  HTTPRequest: string;
  Level: string;
  OperationId: string;
  OperationName: string;
  OperationNameValue: string;
  Properties: string;
  Properties_d: Record<string, unknown> | null;
  Resource: string;
  ResourceGroup: string;
  ResourceId: string;
  _ResourceId: string;
  ResourceProvider: string;
  ResourceProviderValue: string;
  SourceSystem: string;
  SubscriptionId: string;
  _SubscriptionId: string;
  TenantId: string;
};

export type AzureActivityRowOptions = {
  /** Documented meaning of AzureActivity.TenantId: the Log Analytics workspace id holding the row. */
  workspaceId?: string;
};

// Kusto has no null strings: an absent string cell reads as "".
const text = (v: string | null | undefined): string => v ?? "";
const json = (v: unknown): string => (v === undefined || v === null ? "" : JSON.stringify(v));
const display = (p: Localizable | undefined): string => text(p?.localizedValue || p?.value);

/**
 * The row Log Analytics' `AzureActivity` table holds for a REST event.
 *
 * Confirmed in the table reference: column names and types; OperationNameValue is the operation identifier;
 * CategoryValue the category (Administrative, Policy...); ResourceProviderValue the provider id; the *_d columns are
 * dynamic twins of the string blobs; TenantId is the workspace id.
 * Not confirmed (our reading): OperationName/Category/ResourceProvider hold the display (localized) value;
 * ActivityStatus/ActivitySubstatus hold the raw value and the *Value columns the display value (the reference calls
 * the *Value columns "display-friendly"); Hierarchy comes from properties.hierarchy; CallerIpAddress falls back to the
 * `ipaddr` claim; _ResourceId is the lower-cased resource id; Resource is the last name segment of the id.
 */
export function activityEventToAzureActivityRow(event: ActivityEvent, options: AzureActivityRowOptions = {}): AzureActivityRow {
  const parts = resourceIdParts(event.resourceId);
  const properties = (event.properties ?? null);
  const ipClaim = event.claims?.ipaddr;
  const hierarchy = properties?.hierarchy;
  const subscriptionId = event.subscriptionId ?? parts.subscriptionId;
  return {
    TimeGenerated: normaliseDatetime(event.eventTimestamp) ?? event.eventTimestamp,
    ActivityStatus: text(event.status?.value),
    ActivityStatusValue: display(event.status),
    ActivitySubstatus: text(event.subStatus?.value),
    ActivitySubstatusValue: display(event.subStatus),
    Authorization: json(event.authorization),
    Authorization_d: (event.authorization ?? null),
    Caller: text(event.caller),
    CallerIpAddress: text(event.httpRequest?.clientIpAddress ?? (typeof ipClaim === "string" ? ipClaim : undefined)),
    Category: display(event.category),
    CategoryValue: event.category.value,
    Claims: json(event.claims),
    Claims_d: event.claims ?? null,
    CorrelationId: text(event.correlationId),
    EventDataId: event.eventDataId,
    EventSubmissionTimestamp: event.submissionTimestamp ? (normaliseDatetime(event.submissionTimestamp) ?? null) : null,
    Hierarchy: typeof hierarchy === "string" ? hierarchy : "",
    HTTPRequest: json(event.httpRequest),
    Level: event.level,
    OperationId: text(event.operationId),
    OperationName: display(event.operationName),
    OperationNameValue: event.operationName.value,
    Properties: json(properties),
    Properties_d: properties,
    Resource: parts.name,
    ResourceGroup: text(event.resourceGroupName ?? parts.resourceGroup),
    ResourceId: event.resourceId,
    _ResourceId: event.resourceId.toLowerCase(),
    ResourceProvider: display(event.resourceProviderName) || parts.provider,
    ResourceProviderValue: text(event.resourceProviderName?.value) || parts.provider,
    SourceSystem: "Azure",
    SubscriptionId: subscriptionId,
    _SubscriptionId: subscriptionId,
    TenantId: text(options.workspaceId),
  };
}
