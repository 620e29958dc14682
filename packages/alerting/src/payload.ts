import type { ActivityEvent, LogRule, LogRuleOperator } from "@vaultwatch/schemas";
import type { Dimension } from "./fingerprint";
import type { MonitorCondition } from "./state";
import { windowBounds, type EvaluationWindow } from "./windows";

/** Azure caps a common-schema notification at 256 KB; we hold the whole serialized payload to that. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export type Essentials = {
  alertId: string;
  alertRule: string;
  severity: `Sev${0 | 1 | 2 | 3 | 4}`;
  signalType: "Log" | "Activity Log";
  monitorCondition: MonitorCondition;
  monitoringService: string;
  alertTargetIDs: string[];
  configurationItems: string[];
  originAlertId: string;
  firedDateTime: string;
  resolvedDateTime?: string;
  description: string;
  essentialsVersion: "1.0";
  alertContextVersion: "1.0";
};

export type LogAlertCriterion = {
  searchQuery: string;
  metricMeasureColumn: string | null;
  targetResourceTypes: string;
  operator: string;
  threshold: string;
  timeAggregation: "Count" | "Average" | "Sum" | "Minimum" | "Maximum";
  dimensions: Dimension[];
  metricValue: number | null;
  failingPeriods: { numberOfEvaluationPeriods: number; minFailingPeriodsToAlert: number };
  linkToSearchResultsAPI?: string;
  linkToFilteredSearchResultsAPI?: string;
};

export type ResultSnapshot = { rows: Record<string, unknown>[]; totalRows: number; omittedRows: number };

export type LogAlertContext = {
  properties: Record<string, string>;
  conditionType: "LogQueryCriteria";
  condition: { windowSize: string; windowStartTime: string; windowEndTime: string; allOf: LogAlertCriterion[] };
  /** Vaultwatch's additions; Azure's receivers ignore unknown fields. */
  vaultwatch: { timeMode: LogRule["timeMode"]; resultSnapshot: ResultSnapshot };
};

export type CommonAlertPayload<C> = {
  schemaId: "azureMonitorCommonAlertSchema";
  data: { essentials: Essentials; alertContext: C; customProperties: Record<string, string> | null };
};

// Azure's payloads spell "Less" as "Lower"
const payloadOperator: Record<LogRuleOperator, string> = {
  GreaterThan: "GreaterThan",
  GreaterThanOrEqual: "GreaterThanOrEqual",
  LessThan: "LowerThan",
  LessThanOrEqual: "LowerThanOrEqual",
  Equal: "Equal",
};
const timeAggregation = { count: "Count", avg: "Average", sum: "Sum", min: "Minimum", max: "Maximum" } as const;

export const severityLabel = (severity: number): Essentials["severity"] => `Sev${Math.min(4, Math.max(0, Math.trunc(severity))) as 0 | 1 | 2 | 3 | 4}`;

export type LogAlertPayloadInput = {
  alertId: string;
  /** What Azure calls the origin id: we pass the alert fingerprint. */
  originAlertId: string;
  rule: Pick<LogRule, "name" | "description" | "severity" | "query" | "measure" | "operator" | "threshold" | "windowSize" | "failingPeriods" | "timeMode">;
  monitorCondition: MonitorCondition;
  firedAt: Date;
  resolvedAt?: Date | null;
  window: EvaluationWindow;
  dimensions: Dimension[];
  value: number | null;
  /** The workspaces (ARM ids where known) the rule queried. */
  targetIds: string[];
  /** Human names for what the alert is about; defaults to the dimension values. */
  configurationItems?: string[];
  rows: readonly Record<string, unknown>[];
  links?: { searchResultsApi?: string; filteredSearchResultsApi?: string };
  customProperties?: Record<string, string> | null;
};

/** The common alert schema for a log rule alert, with the first result rows that fit in 256 KB. */
export function buildLogAlertPayload(input: LogAlertPayloadInput): CommonAlertPayload<LogAlertContext> {
  const { rule, window } = input;
  const { start: windowStart, end: windowEnd } = windowBounds(window);
  const criterion: LogAlertCriterion = {
    searchQuery: rule.query,
    metricMeasureColumn: rule.measure.kind === "count" ? null : rule.measure.column,
    targetResourceTypes: "['Microsoft.OperationalInsights/workspaces']",
    operator: payloadOperator[rule.operator],
    threshold: String(rule.threshold),
    timeAggregation: timeAggregation[rule.measure.kind],
    dimensions: input.dimensions.map((d) => ({ name: d.name, value: d.value })),
    metricValue: input.value,
    failingPeriods: { numberOfEvaluationPeriods: rule.failingPeriods.of, minFailingPeriodsToAlert: rule.failingPeriods.minFailing },
    ...(input.links?.searchResultsApi ? { linkToSearchResultsAPI: input.links.searchResultsApi } : {}),
    ...(input.links?.filteredSearchResultsApi ? { linkToFilteredSearchResultsAPI: input.links.filteredSearchResultsApi } : {}),
  };
  const payload: CommonAlertPayload<LogAlertContext> = {
    schemaId: "azureMonitorCommonAlertSchema",
    data: {
      essentials: {
        alertId: input.alertId,
        alertRule: rule.name,
        severity: severityLabel(rule.severity),
        signalType: "Log",
        monitorCondition: input.monitorCondition,
        monitoringService: "Log Alerts V2",
        // Azure writes target ids lower-cased
        alertTargetIDs: input.targetIds.map((id) => id.toLowerCase()),
        configurationItems: input.configurationItems ?? input.dimensions.map((d) => d.value),
        originAlertId: input.originAlertId,
        firedDateTime: input.firedAt.toISOString(),
        ...(input.resolvedAt ? { resolvedDateTime: input.resolvedAt.toISOString() } : {}),
        description: rule.description,
        essentialsVersion: "1.0",
        alertContextVersion: "1.0",
      },
      alertContext: {
        properties: {},
        conditionType: "LogQueryCriteria",
        condition: { windowSize: rule.windowSize, windowStartTime: windowStart.toISOString(), windowEndTime: windowEnd.toISOString(), allOf: [criterion] },
        vaultwatch: { timeMode: rule.timeMode, resultSnapshot: { rows: [], totalRows: input.rows.length, omittedRows: input.rows.length } },
      },
      customProperties: input.customProperties ?? null,
    },
  };
  return withRowSnapshot(payload, input.rows);
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Puts as many leading rows as fit under MAX_PAYLOAD_BYTES into the snapshot, dropping from the end.
 * Sizes come from each row's own JSON, then the result is measured once more to be exact.
 */
function withRowSnapshot(payload: CommonAlertPayload<LogAlertContext>, rows: readonly Record<string, unknown>[]): CommonAlertPayload<LogAlertContext> {
  const snapshot = payload.data.alertContext.vaultwatch.resultSnapshot;
  const fitQuery = () => {
    // a pathological query (100,000 multi-byte characters) could alone exceed the cap: shorten it rather than exceed
    const criterion = payload.data.alertContext.condition.allOf[0]!;
    let excess = byteLength(JSON.stringify(payload)) - MAX_PAYLOAD_BYTES;
    while (excess > 0 && criterion.searchQuery.length > 0) {
      criterion.searchQuery = `${criterion.searchQuery.slice(0, Math.max(0, criterion.searchQuery.length - excess - 32))}… (truncated)`;
      excess = byteLength(JSON.stringify(payload)) - MAX_PAYLOAD_BYTES;
    }
  };
  fitQuery();
  // empty-snapshot size, plus a margin for the omittedRows digits that will shrink
  let budget = MAX_PAYLOAD_BYTES - byteLength(JSON.stringify(payload));
  const kept: Record<string, unknown>[] = [];
  for (const row of rows) {
    const cost = byteLength(JSON.stringify(row)) + 1; // the comma
    if (cost > budget) break;
    budget -= cost;
    kept.push(row);
  }
  snapshot.rows = kept;
  snapshot.omittedRows = rows.length - kept.length;
  while (kept.length > 0 && byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
    kept.pop();
    snapshot.omittedRows += 1;
  }
  return payload;
}

// ---------------------------------------------------------------- activity log alerts

export type ActivityAlertContext = {
  authorization?: unknown;
  channels?: string;
  claims?: unknown;
  caller?: string;
  correlationId?: string;
  eventSource?: string | null;
  eventTimestamp: string;
  eventDataId: string;
  level: string;
  operationName: string;
  operationId?: string;
  properties?: unknown;
  status?: string | null;
  subStatus?: string | null;
  submissionTimestamp?: string;
};

/** Azure's monitoringService for each activity log category. */
export function activityMonitoringService(category: ActivityEvent["category"]["value"]): string {
  if (category === "ServiceHealth") return "ServiceHealth";
  if (category === "ResourceHealth") return "Resource Health";
  return `Activity Log - ${category}`;
}

export type ActivityAlertPayloadInput = {
  alertId: string;
  originAlertId: string;
  rule: { name: string; description: string };
  event: ActivityEvent;
  firedAt: Date;
};

/**
 * The common alert schema for an activity log alert. Activity log alerts are stateless (always Fired) and Azure
 * sends them as Sev4; the context is the event itself with `{value, localizedValue}` pairs flattened to values.
 */
export function buildActivityAlertPayload(input: ActivityAlertPayloadInput): CommonAlertPayload<ActivityAlertContext> {
  const e = input.event;
  const context: ActivityAlertContext = {
    authorization: e.authorization,
    channels: e.channels,
    claims: e.claims,
    caller: e.caller,
    correlationId: e.correlationId,
    eventSource: e.eventSource?.value,
    eventTimestamp: e.eventTimestamp,
    eventDataId: e.eventDataId,
    level: e.level,
    operationName: e.operationName.value,
    operationId: e.operationId,
    properties: e.properties,
    status: e.status?.value,
    subStatus: e.subStatus?.value,
    submissionTimestamp: e.submissionTimestamp,
  };
  const payload: CommonAlertPayload<ActivityAlertContext> = {
    schemaId: "azureMonitorCommonAlertSchema",
    data: {
      essentials: {
        alertId: input.alertId,
        alertRule: input.rule.name,
        severity: "Sev4",
        signalType: "Activity Log",
        monitorCondition: "Fired",
        monitoringService: activityMonitoringService(e.category.value),
        alertTargetIDs: [e.resourceId.toLowerCase()],
        configurationItems: [e.resourceId.split("/").filter(Boolean).pop() ?? e.resourceId],
        originAlertId: input.originAlertId,
        firedDateTime: input.firedAt.toISOString(),
        description: input.rule.description,
        essentialsVersion: "1.0",
        alertContextVersion: "1.0",
      },
      alertContext: context,
      customProperties: null,
    },
  };
  // an event is small, but claims and properties are free-form: drop them rather than exceed the cap
  if (byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
    context.claims = undefined;
    context.properties = { vaultwatchTruncated: "properties exceeded the 256 KB payload limit" };
  }
  return payload;
}
