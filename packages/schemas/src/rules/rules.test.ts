import { describe, expect, it } from "vitest";
import { activityRuleSchema, checkIsoDuration, formatIsoDuration, logRuleSchema, parseIsoDuration, type LogRuleInput } from "./index";

const ws = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";
const baseLog: LogRuleInput = {
  name: "Failed backups",
  workspaceIds: [ws],
  query: 'AzureDiagnostics | where JobStatus_s == "Failed"',
  evaluationFrequency: "PT5M",
  windowSize: "PT15M",
  operator: "GreaterThan",
  threshold: 0,
  severity: 1,
};

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("ISO durations", () => {
  it("parses days, hours, minutes and seconds to milliseconds", () => {
    expect(parseIsoDuration("PT1M")).toBe(60_000);
    expect(parseIsoDuration("pt1h30m")).toBe(5_400_000);
    expect(parseIsoDuration("P1DT12H")).toBe(129_600_000);
    expect(parseIsoDuration("PT0.5S")).toBe(500);
  });
  it("refuses what is not a duration", () => {
    for (const bad of ["", "P", "PT", "5M", "P1M2D", "P1Y", "PT-5M", "P1DT"]) expect(parseIsoDuration(bad)).toBeNull();
  });
  it("formats the shortest form and round-trips", () => {
    expect(formatIsoDuration(0)).toBe("PT0S");
    expect(formatIsoDuration(3_600_000)).toBe("PT1H");
    expect(formatIsoDuration(86_400_000 + 90_000)).toBe("P1DT1M30S");
    for (const d of ["PT1M", "PT5M", "PT1H30M", "P1D", "P2D", "P1DT6H"]) expect(formatIsoDuration(parseIsoDuration(d)!)).toBe(d);
  });
  it("checks ranges naming the field", () => {
    expect(checkIsoDuration("windowSize", "PT30S", { min: "PT1M", max: "P2D" })).toBe("windowSize must be between PT1M and P2D");
    expect(checkIsoDuration("windowSize", "soon", { min: "PT1M", max: "P2D" })).toMatch(/^windowSize must be an ISO 8601/);
    expect(checkIsoDuration("windowSize", "P2D", { min: "PT1M", max: "P2D" })).toBeNull();
  });
});

describe("log rule schema", () => {
  it("fills Azure-like defaults", () => {
    const rule = logRuleSchema.parse(baseLog);
    expect(rule).toMatchObject({
      timeMode: "ingestion",
      measure: { kind: "count" },
      dimensions: [],
      failingPeriods: { minFailing: 1, of: 1 },
      autoResolve: true,
      actionGroupIds: [],
      enabled: true,
      description: "",
    });
  });

  it("names the field in every message", () => {
    const r = logRuleSchema.safeParse({
      ...baseLog,
      name: "",
      workspaceIds: [],
      evaluationFrequency: "PT30S",
      windowSize: "P3D",
      operator: "Above",
      severity: 5,
      dimensions: ["a", "b", "c", "d", "e", "f", "g"],
      failingPeriods: { minFailing: 4, of: 3 },
      actionGroupIds: Array.from({ length: 6 }, (_, i) => `0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a9${i}`),
      muteActionsFor: "forever",
    });
    const m = messages(r);
    for (const field of ["name", "workspaceIds", "evaluationFrequency", "windowSize", "operator", "severity", "dimensions", "failingPeriods.minFailing", "actionGroupIds", "muteActionsFor"])
      expect(m.some((line) => line.includes(`${field} `) || line.includes(`${field}:`))).toBe(true);
  });

  it("needs windowSize ≥ evaluationFrequency", () => {
    expect(messages(logRuleSchema.safeParse({ ...baseLog, evaluationFrequency: "PT1H", windowSize: "PT30M" }))).toEqual([
      "windowSize: windowSize must be at least evaluationFrequency",
    ]);
  });

  it("accepts aggregate measures with a column and refuses count with one", () => {
    expect(logRuleSchema.parse({ ...baseLog, measure: { kind: "avg", column: "Duration" } }).measure).toEqual({ kind: "avg", column: "Duration" });
    expect(logRuleSchema.safeParse({ ...baseLog, measure: { kind: "sum" } }).success).toBe(false);
    expect(logRuleSchema.safeParse({ ...baseLog, measure: { kind: "count", column: "x" } }).success).toBe(false);
  });

  it("refuses repeated dimensions, an over-long query and a repeated workspace", () => {
    expect(messages(logRuleSchema.safeParse({ ...baseLog, dimensions: ["Resource", "Resource"] }))).toEqual(["dimensions: dimensions must not repeat a column"]);
    expect(messages(logRuleSchema.safeParse({ ...baseLog, query: "x".repeat(100_001) }))[0]).toMatch(/query must be at most 100000/);
    expect(logRuleSchema.safeParse({ ...baseLog, workspaceIds: [ws, ws.toUpperCase()] }).success).toBe(false);
  });
});

describe("activity rule schema", () => {
  const base = { name: "Vault deleted", condition: { allOf: [{ field: "category", equals: "Administrative" }] } };

  it("accepts leaves, anyOf and properties paths, normalising field names", () => {
    const rule = activityRuleSchema.parse({
      ...base,
      scope: { subscriptionIds: ["AAAAAAAA-0000-4000-8000-000000000001"], resourceGroups: ["rg-backup"] },
      condition: {
        allOf: [
          { field: "OperationName", equals: "Microsoft.RecoveryServices/vaults/delete" },
          { anyOf: [{ field: "level", equals: "Error" }, { field: "status", containsAny: ["Failed", "Canceled"] }] },
          { field: "properties.impactedServices[*].ServiceName", containsAny: ["Backup"] },
        ],
      },
    });
    expect(rule.condition.allOf[0]).toEqual({ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" });
    expect(rule.scope.subscriptionIds).toEqual(["aaaaaaaa-0000-4000-8000-000000000001"]);
    expect(rule.enabled).toBe(true);
  });

  it("refuses unknown fields, mixed leaves and empty lists", () => {
    expect(messages(activityRuleSchema.safeParse({ ...base, condition: { allOf: [{ field: "colour", equals: "red" }] } })).join()).toMatch(/field must be one of category/);
    expect(activityRuleSchema.safeParse({ ...base, condition: { allOf: [{ field: "level", equals: "x", containsAny: ["y"] }] } }).success).toBe(false);
    expect(messages(activityRuleSchema.safeParse({ ...base, condition: { allOf: [] } }))).toEqual(["condition.allOf: condition.allOf must hold at least one condition"]);
    expect(activityRuleSchema.safeParse({ ...base, condition: { allOf: [{ anyOf: [] }] } }).success).toBe(false);
    expect(activityRuleSchema.safeParse({ ...base, condition: { allOf: [{ field: "level", containsAny: [] }] } }).success).toBe(false);
    expect(activityRuleSchema.safeParse({ ...base, scope: { resourceIds: ["vault1"] } }).success).toBe(false);
  });
});
