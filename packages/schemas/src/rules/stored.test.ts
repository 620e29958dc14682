import { describe, expect, it } from "vitest";
import { joinRule, parseRuleDefinition, ruleSchema, splitRule, StoredRuleError, type RuleInput } from "./index";

const ws = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";
const group = "9d3f0c1e-2b4a-4c6d-8e0f-1a2b3c4d5e6f";
const logInput: RuleInput = {
  kind: "log",
  name: "Failed backups",
  description: "jobs that failed",
  workspaceIds: [ws],
  query: 'AzureDiagnostics | where JobStatus_s == "Failed"',
  evaluationFrequency: "PT15M",
  windowSize: "PT1H",
  operator: "GreaterThan",
  threshold: 0,
  severity: 1,
  dimensions: ["Resource"],
  muteActionsFor: "PT30M",
  actionGroupIds: [group],
  enabled: false,
};
const activityInput: RuleInput = {
  kind: "activity",
  name: "Vault deleted",
  scope: { resourceGroups: ["rg-backup"] },
  condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
  actionGroupIds: [group],
};

describe("splitRule", () => {
  it("puts a log rule's name, severity and schedule in columns, its links apart, and only the rest in the definition", () => {
    const split = splitRule(ruleSchema.parse(logInput));
    expect(split.columns).toEqual({
      kind: "log",
      name: "Failed backups",
      description: "jobs that failed",
      enabled: false,
      severity: 1,
      frequencySeconds: 900,
      timeMode: "ingestion",
    });
    expect(split.workspaceIds).toEqual([ws]);
    expect(split.actionGroupIds).toEqual([group]);
    expect(split.definition).toEqual({
      query: 'AzureDiagnostics | where JobStatus_s == "Failed"',
      evaluationFrequency: "PT15M",
      windowSize: "PT1H",
      timeMode: "ingestion",
      measure: { kind: "count" },
      operator: "GreaterThan",
      threshold: 0,
      dimensions: ["Resource"],
      failingPeriods: { minFailing: 1, of: 1 },
      autoResolve: true,
      muteActionsFor: "PT30M",
    });
  });

  it("leaves an absent optional field out of the definition rather than storing undefined", () => {
    const { muteActionsFor: _m, ...rest } = logInput;
    expect(Object.keys(splitRule(ruleSchema.parse(rest)).definition)).not.toContain("muteActionsFor");
  });

  it("gives an activity rule Sev4, no schedule and no workspaces; its definition is scope and condition", () => {
    const split = splitRule(ruleSchema.parse(activityInput));
    expect(split.columns).toEqual({ kind: "activity", name: "Vault deleted", description: "", enabled: true, severity: 4, frequencySeconds: null, timeMode: null });
    expect(split.workspaceIds).toEqual([]);
    expect(split.actionGroupIds).toEqual([group]);
    expect(split.definition).toEqual({
      scope: { resourceGroups: ["rg-backup"] },
      condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
    });
  });
});

describe("joinRule", () => {
  const stored = (input: RuleInput) => {
    const { columns, definition, workspaceIds, actionGroupIds } = splitRule(ruleSchema.parse(input));
    // what a JSON column gives back: plain data
    return { ...columns, definition: JSON.parse(JSON.stringify(definition)) as unknown, workspaceIds, actionGroupIds };
  };

  it("gives back the rule that was split, for both kinds", () => {
    expect(joinRule(stored(logInput))).toEqual(ruleSchema.parse(logInput));
    expect(joinRule(stored(activityInput))).toEqual(ruleSchema.parse(activityInput));
  });

  it("refuses a definition its kind's schema refuses, naming each field", () => {
    const row = stored(logInput);
    const bad = { ...row, definition: { ...(row.definition as object), operator: "Above", threshold: "3" } };
    const error = (() => {
      try {
        joinRule(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoredRuleError);
    expect((error as StoredRuleError).problems).toEqual([
      "operator: operator must be one of GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, Equal",
      "threshold: threshold must be a number",
    ]);
    expect((error as Error).message).toMatch(/^the stored definition of this log rule is invalid: operator: /);
  });

  it("refuses an unknown kind and a definition that is not an object", () => {
    expect(() => joinRule({ ...stored(logInput), kind: "metric" })).toThrow(StoredRuleError);
    expect(() => parseRuleDefinition("activity", null)).toThrow(/stored definition of this activity rule is invalid/);
  });
});
