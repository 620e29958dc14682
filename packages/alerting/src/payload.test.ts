import { logRuleSchema, type ActivityEvent } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { activityMonitoringService, buildActivityAlertPayload, buildLogAlertPayload, MAX_PAYLOAD_BYTES, type LogAlertPayloadInput } from "./payload";
import { ingestionWindow } from "./windows";

const rule = logRuleSchema.parse({
  name: "Failed backups per item",
  description: "A backup job failed",
  workspaceIds: ["0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90"],
  query: 'AzureDiagnostics | where JobStatus_s == "Failed"',
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  operator: "LessThan",
  threshold: 1,
  severity: 1,
  dimensions: ["Resource"],
  failingPeriods: { minFailing: 2, of: 3 },
});
const WORKSPACE = "/subscriptions/0F4D1C2B-9E8A-4B7C-8D6E-5F4A3B2C1D0E/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/LA-ONE";

const input = (rows: Record<string, unknown>[]): LogAlertPayloadInput => ({
  alertId: "/subscriptions/x/providers/Microsoft.AlertsManagement/alerts/a1",
  originAlertId: "f".repeat(64),
  rule,
  monitorCondition: "Fired",
  firedAt: new Date("2026-11-24T10:05:03Z"),
  window: ingestionWindow(new Date("2026-11-24T10:00:01Z"), new Date("2026-11-24T10:05:02Z"), rule),
  dimensions: [{ name: "Resource", value: "rsv-contoso" }],
  value: 0,
  targetIds: [WORKSPACE],
  rows,
});

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

describe("log alert payload (common alert schema)", () => {
  it("has Azure's essentials and LogQueryCriteria context", () => {
    const p = buildLogAlertPayload(input([{ Resource: "rsv-contoso", JobStatus_s: "Failed" }]));
    expect(p.schemaId).toBe("azureMonitorCommonAlertSchema");
    expect(p.data.essentials).toEqual({
      alertId: "/subscriptions/x/providers/Microsoft.AlertsManagement/alerts/a1",
      alertRule: "Failed backups per item",
      severity: "Sev1",
      signalType: "Log",
      monitorCondition: "Fired",
      monitoringService: "Log Alerts V2",
      alertTargetIDs: [WORKSPACE.toLowerCase()],
      configurationItems: ["rsv-contoso"],
      originAlertId: "f".repeat(64),
      firedDateTime: "2026-11-24T10:05:03.000Z",
      description: "A backup job failed",
      essentialsVersion: "1.0",
      alertContextVersion: "1.0",
    });
    const ctx = p.data.alertContext;
    expect(ctx.conditionType).toBe("LogQueryCriteria");
    expect(ctx.condition).toMatchObject({ windowSize: "PT5M", windowStartTime: "2026-11-24T10:00:01.000Z", windowEndTime: "2026-11-24T10:05:02.000Z" });
    expect(ctx.condition.allOf).toEqual([
      {
        searchQuery: rule.query,
        metricMeasureColumn: null,
        targetResourceTypes: "['Microsoft.OperationalInsights/workspaces']",
        operator: "LowerThan",
        threshold: "1",
        timeAggregation: "Count",
        dimensions: [{ name: "Resource", value: "rsv-contoso" }],
        metricValue: 0,
        failingPeriods: { numberOfEvaluationPeriods: 3, minFailingPeriodsToAlert: 2 },
      },
    ]);
    expect(ctx.vaultwatch).toEqual({ timeMode: "ingestion", resultSnapshot: { rows: [{ Resource: "rsv-contoso", JobStatus_s: "Failed" }], totalRows: 1, omittedRows: 0 } });
  });

  it("carries resolvedDateTime once resolved and names the aggregate", () => {
    const p = buildLogAlertPayload({
      ...input([]),
      rule: { ...rule, measure: { kind: "avg", column: "Duration" }, operator: "GreaterThanOrEqual" },
      monitorCondition: "Resolved",
      resolvedAt: new Date("2026-11-24T10:20:00Z"),
    });
    expect(p.data.essentials).toMatchObject({ monitorCondition: "Resolved", resolvedDateTime: "2026-11-24T10:20:00.000Z" });
    expect(p.data.alertContext.condition.allOf[0]).toMatchObject({ metricMeasureColumn: "Duration", timeAggregation: "Average", operator: "GreaterThanOrEqual" });
  });

  it("keeps the first rows within 256 KB, dropping from the end and counting what it dropped", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ i, text: `row ${i} ${"é".repeat(200)}` }));
    const p = buildLogAlertPayload(input(rows));
    const snap = p.data.alertContext.vaultwatch.resultSnapshot;
    expect(bytes(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(snap.rows.length).toBeGreaterThan(100);
    expect(snap.rows.length + snap.omittedRows).toBe(2000);
    expect(snap.totalRows).toBe(2000);
    expect(snap.rows.at(-1)).toEqual(rows[snap.rows.length - 1]);
    // nearly full: one more row would not have fitted
    expect(bytes(p) + bytes(rows[snap.rows.length]) + 1).toBeGreaterThan(MAX_PAYLOAD_BYTES);
  });

  it("keeps every row when they fit, and none when a single row is too big", () => {
    expect(buildLogAlertPayload(input([{ a: 1 }, { a: 2 }])).data.alertContext.vaultwatch.resultSnapshot.omittedRows).toBe(0);
    const huge = buildLogAlertPayload(input([{ blob: "x".repeat(MAX_PAYLOAD_BYTES) }, { a: 1 }]));
    expect(huge.data.alertContext.vaultwatch.resultSnapshot).toEqual({ rows: [], totalRows: 2, omittedRows: 2 });
    expect(bytes(huge)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it("shortens a query that alone would exceed the cap", () => {
    const p = buildLogAlertPayload({ ...input([]), rule: { ...rule, query: "€".repeat(100_000) } });
    expect(bytes(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(p.data.alertContext.condition.allOf[0]!.searchQuery).toMatch(/… \(truncated\)$/);
  });
});

describe("activity log alert payload", () => {
  const event = {
    caller: "rob@contoso.com",
    channels: "Operation",
    correlationId: "c1",
    eventDataId: "e1",
    eventSource: { value: "Administrative" },
    category: { value: "Administrative", localizedValue: "Administrative" },
    eventTimestamp: "2026-11-24T10:00:00Z",
    level: "Informational",
    operationName: { value: "Microsoft.RecoveryServices/vaults/delete", localizedValue: "Delete vault" },
    resourceId: "/subscriptions/S/resourceGroups/RG/providers/Microsoft.RecoveryServices/vaults/RSV-1",
    status: { value: "Succeeded" },
    subStatus: { value: "" },
    submissionTimestamp: "2026-11-24T10:00:20Z",
    properties: { statusCode: "OK" },
  } as ActivityEvent;

  it("flattens the event into the context and names the service by category", () => {
    const p = buildActivityAlertPayload({ alertId: "a", originAlertId: "o", rule: { name: "Vault deleted", description: "d" }, event, firedAt: new Date("2026-11-24T10:01:00Z") });
    expect(p.data.essentials).toMatchObject({
      severity: "Sev4",
      signalType: "Activity Log",
      monitorCondition: "Fired",
      monitoringService: "Activity Log - Administrative",
      alertTargetIDs: ["/subscriptions/s/resourcegroups/rg/providers/microsoft.recoveryservices/vaults/rsv-1"],
      configurationItems: ["RSV-1"],
    });
    expect(p.data.alertContext).toMatchObject({ operationName: "Microsoft.RecoveryServices/vaults/delete", status: "Succeeded", subStatus: "", eventSource: "Administrative", eventDataId: "e1", level: "Informational" });
    expect(activityMonitoringService("ServiceHealth")).toBe("ServiceHealth");
    expect(activityMonitoringService("Policy")).toBe("Activity Log - Policy");
  });

  it("drops oversized properties to stay within 256 KB", () => {
    const big = { ...event, properties: { responseBody: "x".repeat(MAX_PAYLOAD_BYTES) } } as ActivityEvent;
    const p = buildActivityAlertPayload({ alertId: "a", originAlertId: "o", rule: { name: "r", description: "" }, event: big, firedAt: new Date() });
    expect(bytes(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });
});
