import { describe, expect, it } from "vitest";
import { activityRuleSchema } from "./activity-rule";
import { activityRuleSentence, logRuleSentence, ruleSentence, type LogRuleSentenceInput } from "./sentence";

// the seed's sample rule: every failed job, judged once, sent to the operators' mailbox
const base: LogRuleSentenceInput = {
  kind: "log",
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  timeMode: "ingestion",
  measure: { kind: "count" },
  operator: "GreaterThan",
  threshold: 0,
  dimensions: [],
  failingPeriods: { minFailing: 1, of: 1 },
  severity: 2,
  autoResolve: true,
  actionGroups: ["Ops-Email"],
};
const log = (over: Partial<LogRuleSentenceInput>) => logRuleSentence({ ...base, ...over });
// the first clause, up to the alert: the rest is checked on its own below
const head = (text: string) => `${text.split(/\.(?= |$)/)[0]}.`;

describe("a log rule in one sentence", () => {
  it("reads an ingestion-time count rule as the rows since the last run", () => {
    expect(log({})).toBe(
      "Every 5 minutes, over the rows ingested since the last run: if the number of rows is greater than 0, raise a Sev2 alert and notify Ops-Email." +
        " The alert resolves by itself once the condition clears.",
    );
  });

  it("reads an event-time rule as the last window of data, with the measure, dimension and groups", () => {
    const text = log({
      timeMode: "event",
      windowSize: "PT15M",
      measure: { kind: "avg", column: "DurationMs" },
      dimensions: ["Resource"],
      threshold: 3600,
      severity: 1,
      actionGroups: ["Ops-Email", "On call"],
    });
    expect(head(text)).toBe(
      "Every 5 minutes, over the last 15 minutes of data: if the average of DurationMs per Resource is greater than 3600, raise a Sev1 alert and notify Ops-Email and On call.",
    );
  });

  it("names each aggregate and lists several dimensions", () => {
    const measure = (kind: "sum" | "min" | "max") => head(log({ measure: { kind, column: "DataTransferredInMB" }, dimensions: ["Resource", "BackupItemName"] }));
    expect(measure("sum")).toContain("if the sum of DataTransferredInMB per Resource, BackupItemName is greater than 0,");
    expect(measure("min")).toContain("if the minimum of DataTransferredInMB per Resource, BackupItemName is");
    expect(measure("max")).toContain("if the maximum of DataTransferredInMB per Resource, BackupItemName is");
  });

  it("words every operator", () => {
    expect(head(log({ operator: "GreaterThanOrEqual", threshold: 5 }))).toContain("is greater than or equal to 5,");
    expect(head(log({ operator: "LessThan", threshold: 1 }))).toContain("is less than 1,");
    expect(head(log({ operator: "LessThanOrEqual", threshold: 0.5 }))).toContain("is less than or equal to 0.5,");
    expect(head(log({ operator: "Equal", threshold: -2 }))).toContain("is equal to -2,");
  });

  it("says how many failing evaluations it takes", () => {
    expect(head(log({ failingPeriods: { minFailing: 2, of: 4 } }))).toContain("is greater than 0 in 2 of the last 4 evaluations, raise");
    expect(head(log({ failingPeriods: { minFailing: 3, of: 3 } }))).toContain("is greater than 0 in each of the last 3 evaluations, raise");
    expect(head(log({ failingPeriods: { minFailing: 1, of: 1 } }))).toContain("is greater than 0, raise");
  });

  it("reads hours and days, and a single unit without its number", () => {
    expect(log({ evaluationFrequency: "PT1H", timeMode: "event", windowSize: "P2D" })).toMatch(/^Every hour, over the last 2 days of data:/);
    expect(log({ evaluationFrequency: "PT1M", timeMode: "event", windowSize: "PT1H" })).toMatch(/^Every minute, over the last hour of data:/);
    expect(log({ evaluationFrequency: "PT90M", timeMode: "event", windowSize: "P1DT12H" })).toMatch(/^Every 1 hour 30 minutes, over the last 1 day 12 hours of data:/);
  });

  it("with no action group records the alert and notifies no one", () => {
    expect(head(log({ actionGroups: [], severity: 3 }))).toBe(
      "Every 5 minutes, over the rows ingested since the last run: if the number of rows is greater than 0, record a Sev3 alert; notify no one.",
    );
    expect(head(log({ actionGroups: ["A", "B", "C"] }))).toContain("notify A, B and C.");
  });

  it("says whether the alert resolves itself or each evaluation raises a new one, and how long notifications stay muted", () => {
    expect(log({ autoResolve: false })).toMatch(/notify Ops-Email\. Stateless: every evaluation that meets the condition raises a new alert\.$/);
    expect(log({ muteActionsFor: "PT1H" })).toMatch(/ once the condition clears\. After notifying, stay quiet for 1 hour\.$/);
    expect(log({ muteActionsFor: "PT30M" })).toMatch(/stay quiet for 30 minutes\.$/);
    // muting with no one to notify mutes nothing: not mentioned
    expect(log({ muteActionsFor: "PT1H", actionGroups: [] })).not.toContain("quiet");
  });

  it("shows half-typed values as placeholders instead of failing", () => {
    const text = log({ evaluationFrequency: "PT5", threshold: null, measure: { kind: "avg", column: " " } });
    expect(head(text)).toBe("Every “PT5”, over the rows ingested since the last run: if the average of (a column) is greater than (a threshold), raise a Sev2 alert and notify Ops-Email.");
  });
});

describe("an activity rule in one sentence", () => {
  const rule = (scope: unknown, allOf: unknown[]) => activityRuleSchema.parse({ name: "x", scope, condition: { allOf } });

  it("reads equals as 'is' and containsAny as 'is one of'", () => {
    const r = rule({}, [
      { field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" },
      { field: "level", containsAny: ["Error", "Critical"] },
    ]);
    expect(activityRuleSentence({ kind: "activity", scope: r.scope, condition: r.condition, severity: 2, actionGroups: ["Ops-Email"] })).toBe(
      "When an activity-log event arrives where operationName is Microsoft.RecoveryServices/vaults/delete and level is one of Error, Critical: raise a Sev2 alert and notify Ops-Email.",
    );
  });

  it("names the scope, an 'any of' group and a property path", () => {
    const r = rule({ resourceGroups: ["rg-backup", "rg-dr"], resourceIds: ["/subscriptions/5a1c7d3e-2b4f-4e6a-9c8d-7e6f5a4b3c2d/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-contoso"] }, [
      { field: "category", equals: "Administrative" },
      { anyOf: [{ field: "status", equals: "Failed" }, { field: "properties.policyName", containsAny: ["daily"] }] },
    ]);
    expect(ruleSentence({ kind: "activity", scope: r.scope, condition: r.condition, severity: 4, actionGroups: [] })).toBe(
      "When an activity-log event arrives for resource groups rg-backup or rg-dr or resource rsv-contoso where category is Administrative and either status is Failed or properties.policyName is daily: record a Sev4 alert; notify no one.",
    );
  });

  it("reads a row still being typed as a placeholder", () => {
    const sentence = activityRuleSentence({ kind: "activity", scope: {}, condition: { allOf: [{ field: "status", equals: " " }] }, severity: 4, actionGroups: ["Ops-Email"] });
    expect(sentence).toBe("When an activity-log event arrives where status is (a value): raise a Sev4 alert and notify Ops-Email.");
  });
});
