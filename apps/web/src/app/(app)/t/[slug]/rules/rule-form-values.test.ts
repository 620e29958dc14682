import { describe, expect, it } from "vitest";
import { blankForm, checkForm, errorsByField, sentenceOf, withTemplate, type RuleFormValues } from "./rule-form-values";

const WS = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";
const GROUP = "7f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const log = (over: Partial<RuleFormValues>): RuleFormValues => ({ ...blankForm("log"), name: "Failed jobs", workspaceIds: [WS], ...over });
const errorsOf = (v: RuleFormValues) => {
  const r = checkForm(v);
  return "errors" in r ? r.errors : {};
};

describe("the rule form is checked with the API's own schema", () => {
  it("turns a valid form into the rule the API takes", () => {
    const r = checkForm(log({ threshold: "3", dimensions: "Resource, BackupItemUniqueId_s", minFailing: "2", of: "4", measureKind: "max", measureColumn: "JobDurationInSecs_s", muteActionsFor: "pt1h" }));
    expect("rule" in r && r.rule).toMatchObject({
      kind: "log",
      threshold: 3,
      dimensions: ["Resource", "BackupItemUniqueId_s"],
      failingPeriods: { minFailing: 2, of: 4 },
      measure: { kind: "max", column: "JobDurationInSecs_s" },
      muteActionsFor: "PT1H",
    });
  });

  it("puts each problem next to its field, worded as the server words it", () => {
    expect(errorsOf(log({ name: " ", workspaceIds: [], threshold: "" }))).toEqual({
      name: "name is required",
      workspaceIds: "workspaceIds must name at least one workspace",
      threshold: "threshold must be a number",
    });
    expect(errorsOf(log({ threshold: "a lot" }))).toEqual({ threshold: "threshold must be a number" });
    expect(errorsOf(log({ measureKind: "avg", measureColumn: "" }))).toEqual({ measureColumn: "measure.column must be a column name" });
    expect(errorsOf(log({ minFailing: "3", of: "2" }))).toEqual({ minFailing: "failingPeriods.minFailing must not exceed failingPeriods.of" });
    expect(errorsOf(log({ of: "7" }))).toEqual({ of: "failingPeriods.of must be at most 6" });
    expect(errorsOf(log({ evaluationFrequency: "PT1H", windowSize: "PT5M" }))).toEqual({ windowSize: "windowSize must be at least evaluationFrequency" });
    expect(errorsOf(log({ evaluationFrequency: "5 minutes" }))).toEqual({ evaluationFrequency: "evaluationFrequency must be an ISO 8601 duration such as PT5M, PT1H or P1D" });
    expect(errorsOf(log({ dimensions: "Resource, Resource" }))).toEqual({ dimensions: "dimensions must not repeat a column" });
  });

  it("checks an activity rule's JSON, then its condition, naming the nested field", () => {
    const activity = { ...blankForm("activity"), name: "Vault deleted" };
    expect(errorsOf({ ...activity, condition: '{"allOf": [' }).condition).toMatch(/^condition is not valid JSON: /);
    expect(errorsOf({ ...activity, condition: '{"allOf": [{"field": "nope", "equals": "x"}]}' })).toEqual({
      condition: "condition.allOf.0.field: field must be one of category, level, operationName, status, subStatus, resourceId, resourceGroup, resourceProvider, resourceType, caller or properties.<path>",
    });
    expect(checkForm(activity)).toMatchObject({ rule: { kind: "activity", scope: {}, condition: { allOf: [{ field: "category", equals: "Administrative" }, {}] } } });
  });

  it("files the server's field errors the same way", () => {
    expect(errorsByField([["rule.dimensions", "dimensions: NoSuchColumn_s is not an output column"], ["measure.column", "no such column"], ["tenantId", "not yours"]])).toEqual({
      dimensions: "dimensions: NoSuchColumn_s is not an output column",
      measureColumn: "measure.column: no such column",
      form: "tenantId: not yours",
    });
  });
});

describe("the sentence under the editor", () => {
  it("reads the form as typed, with the action groups' names", () => {
    const names = new Map([[GROUP, "Ops-Email"]]);
    expect(sentenceOf(log({ actionGroupIds: [GROUP] }), names)).toBe(
      "Every 5 minutes, over the rows ingested since the last run: if the number of rows is greater than 0, raise a Sev2 alert and notify Ops-Email. The alert resolves by itself once the condition clears.",
    );
    expect(sentenceOf(log({ threshold: "" }), names)).toContain("is greater than (a threshold), record a Sev2 alert; notify no one.");
  });

  it("reads an activity rule once its JSON is a rule, at the severity activity alerts carry", () => {
    const activity = { ...blankForm("activity"), condition: JSON.stringify({ allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] }) };
    expect(sentenceOf(activity, new Map())).toBe("When an activity-log event arrives where operationName is Microsoft.RecoveryServices/vaults/delete: record a Sev4 alert; notify no one.");
    expect(sentenceOf({ ...activity, condition: "{" }, new Map())).toBeNull();
  });
});

describe("a template poured into the form", () => {
  const template = {
    name: "Active critical Azure Backup alerts",
    description: "Azure Backup's own critical alerts",
    query: "AzureDiagnostics | take 1",
    defaults: { evaluationFrequency: "PT15M", windowSize: "P2D", timeMode: "event" as const, operator: "GreaterThan" as const, threshold: 0, severity: 0, dimensions: ["Resource", "AlertKey"] },
  };

  it("takes the query, schedule and condition, and keeps the workspaces and groups chosen", () => {
    const v = withTemplate(log({ name: "", actionGroupIds: [GROUP], minFailing: "2", of: "3", autoResolve: false }), template);
    expect(v).toMatchObject({
      name: "Active critical Azure Backup alerts",
      description: "Azure Backup's own critical alerts",
      query: "AzureDiagnostics | take 1",
      evaluationFrequency: "PT15M",
      windowSize: "P2D",
      timeMode: "event",
      severity: 0,
      dimensions: "Resource, AlertKey",
      minFailing: "1",
      of: "1",
      autoResolve: true,
      workspaceIds: [WS],
      actionGroupIds: [GROUP],
    });
  });

  it("keeps a name already typed", () => {
    expect(withTemplate(log({ name: "Contoso critical alerts" }), template).name).toBe("Contoso critical alerts");
  });
});
