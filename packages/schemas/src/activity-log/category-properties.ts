import { z } from "zod";
import type { ActivityCategory } from "./categories";
import { booleanString, countString, datetimeString } from "./strings";

/*
 * `properties` per category, as the activity log schema page documents them and its samples show them.
 * Every documented key is optional (events of one category differ by source) and unknown keys pass through:
 * Azure adds fields over time. Only the documented keys' types are checked.
 */

const str = z.string().optional();

/** A string holding a JSON array, e.g. ServiceHealth `impactedServices` and Policy `policies`. */
function jsonArrayString<T extends z.ZodType>(item: T) {
  return z.string().superRefine((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON array (as a string), but it is not valid JSON" });
      return;
    }
    const result = z.array(item).safeParse(parsed);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join(".")}` : "";
        ctx.addIssue({ code: "custom", message: `JSON content${where}: ${issue.message}` });
      }
    }
  });
}

export const administrativeProperties = z.looseObject({
  statusCode: str,
  serviceRequestId: str,
  responseBody: str,
  requestbody: str,
  // Present in streamed records and AzureActivity's Hierarchy column (management group chain)
  hierarchy: str,
  entity: str,
  message: str,
});

const impactedService = z.looseObject({
  ServiceName: z.string().optional(),
  ImpactedRegions: z.array(z.looseObject({ RegionName: z.string().optional() })).optional(),
});

export const serviceHealthProperties = z.looseObject({
  title: str,
  service: str,
  region: str,
  communication: str,
  communicationId: str,
  // Action Required, Assisted Recovery, Incident, Maintenance, Information, Security (free text here: values vary)
  incidentType: str,
  trackingId: str,
  impactStartTime: datetimeString.optional(),
  impactMitigationTime: datetimeString.optional(),
  impactedServices: jsonArrayString(impactedService).optional(),
  defaultLanguageTitle: str,
  defaultLanguageContent: str,
  stage: str,
  version: str,
});

export const resourceHealthProperties = z.looseObject({
  title: str,
  details: str,
  // Available, Unavailable, Degraded, Unknown
  currentHealthStatus: str,
  previousHealthStatus: str,
  type: str,
  // UserInitiated or PlatformInitiated
  cause: str,
  // the documented sample uses these names instead of the table's
  stage: str,
  healthStatus: str,
  healthEventType: str,
  healthEventCause: str,
  healthEventCategory: str,
});

export const alertProperties = z.looseObject({
  // metric alerts
  RuleUri: str,
  RuleName: str,
  RuleDescription: str,
  Threshold: str,
  WindowSizeInMinutes: str,
  Aggregation: str,
  Operator: str,
  MetricName: str,
  MetricUnit: str,
  // activity log alerts: copied from the event that fired the rule
  subscriptionId: str,
  eventDataId: str,
  resourceGroup: str,
  resourceId: str,
  eventTimestamp: datetimeString.optional(),
  operationName: str,
  status: str,
});

export const autoscaleProperties = z.looseObject({
  Description: str,
  ResourceName: str,
  OldInstancesCount: countString.optional(),
  NewInstancesCount: countString.optional(),
  // RFC 1123 in the sample ("Fri, 21 Jul 2017 01:00:51 GMT"), so not checked as ISO
  LastScaleActionTime: str,
});

export const recommendationProperties = z.looseObject({
  recommendationSchemaVersion: str,
  // High Availability, Performance, Security, Cost
  recommendationCategory: str,
  // High, Medium, Low
  recommendationImpact: str,
  // Error, Warning, None
  recommendationRisk: str,
});

export const securityProperties = z.looseObject({
  // High, Medium, Low
  Severity: str,
  ActionTaken: str,
  accountLogonId: str,
  commandLine: str,
  domainName: str,
  parentProcess: str,
  "parentProcess id": str,
  processId: str,
  processName: str,
  userName: str,
  UserSID: str,
});

const policyEntry = z.looseObject({
  policyDefinitionId: z.string().optional(),
  policyDefinitionName: z.string().optional(),
  policyDefinitionEffect: z.string().optional(),
  policyAssignmentId: z.string().optional(),
  policyAssignmentName: z.string().optional(),
  policyAssignmentScope: z.string().optional(),
  policyAssignmentParameters: z.record(z.string(), z.unknown()).optional(),
  policySetDefinitionId: z.string().optional(),
  policySetDefinitionName: z.string().optional(),
});

export const policyProperties = z.looseObject({
  isComplianceCheck: booleanString.optional(),
  resourceLocation: str,
  // comma-separated management groups, nearest first
  ancestors: str,
  // a JSON string in the documented sample; an already-parsed array is accepted too. Kept as it came.
  policies: z.union([jsonArrayString(policyEntry), z.array(policyEntry)]).optional(),
});

export const categoryPropertiesSchemas = {
  Administrative: administrativeProperties,
  ServiceHealth: serviceHealthProperties,
  ResourceHealth: resourceHealthProperties,
  Alert: alertProperties,
  Autoscale: autoscaleProperties,
  Recommendation: recommendationProperties,
  Security: securityProperties,
  Policy: policyProperties,
} as const satisfies Record<ActivityCategory, z.ZodType>;

export type CategoryProperties = {
  [C in ActivityCategory]: z.output<(typeof categoryPropertiesSchemas)[C]>;
};
export type AdministrativeProperties = CategoryProperties["Administrative"];
export type ServiceHealthProperties = CategoryProperties["ServiceHealth"];
export type ResourceHealthProperties = CategoryProperties["ResourceHealth"];
export type AlertProperties = CategoryProperties["Alert"];
export type AutoscaleProperties = CategoryProperties["Autoscale"];
export type RecommendationProperties = CategoryProperties["Recommendation"];
export type SecurityProperties = CategoryProperties["Security"];
export type PolicyProperties = CategoryProperties["Policy"];
