/**
 * The rule editor's values, without React: what the form holds (text as typed), the rule the API takes, checked with
 * the same zod schemas the server applies (so an error reads as the server would word it and lands on the same field),
 * the sentence that reads the rule aloud, and a template poured into the form.
 */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import {
  ACTIVITY_RULE_SEVERITY,
  activityRuleDefinitionSchema,
  ruleSchema,
  ruleSentence,
  type AggregateMeasureKind,
  type LogRuleInput,
  type LogRuleOperator,
  type Rule,
  type TimeMode,
} from "@vaultwatch/schemas";
import { parseJson } from "./activity-condition-json";

/** One shape for both kinds (the kind never changes within a form); fields of the other kind are ignored. */
export type RuleFormValues = {
  kind: "log" | "activity";
  name: string;
  description: string;
  enabled: boolean;
  actionGroupIds: string[];
  // log rules
  severity: number;
  workspaceIds: string[];
  query: string;
  evaluationFrequency: string;
  windowSize: string;
  timeMode: TimeMode;
  measureKind: "count" | AggregateMeasureKind;
  measureColumn: string;
  operator: LogRuleOperator;
  threshold: string;
  dimensions: string;
  minFailing: string;
  of: string;
  autoResolve: boolean;
  muteActionsFor: string;
  // activity rules: the JSON the API takes
  scope: string;
  condition: string;
};

const exampleCondition = {
  allOf: [
    { field: "category", equals: "Administrative" },
    { field: "operationName", containsAny: ["Microsoft.RecoveryServices/vaults/delete", "Microsoft.RecoveryServices/vaults/backupPolicies/delete"] },
  ],
};

export function blankForm(kind: "log" | "activity"): RuleFormValues {
  return {
    kind,
    name: "",
    description: "",
    enabled: true,
    actionGroupIds: [],
    severity: kind === "activity" ? ACTIVITY_RULE_SEVERITY : 2,
    workspaceIds: [],
    query: 'AzureDiagnostics\n| where Category == "AddonAzureBackupJobs"\n| where JobStatus_s == "Failed"',
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeMode: "ingestion",
    measureKind: "count",
    measureColumn: "",
    operator: "GreaterThan",
    threshold: "0",
    dimensions: "",
    minFailing: "1",
    of: "1",
    autoResolve: true,
    muteActionsFor: "",
    scope: "{}",
    condition: JSON.stringify(exampleCondition, null, 2),
  };
}

type StoredRule = inferRouterOutputs<AppRouter>["rules"]["get"];
/** A rule whose stored definition the API could read (the rest carry `definitionError` instead). */
export type ReadableRule = Exclude<StoredRule, { definition: null }>;

export function formFromRule(rule: ReadableRule): RuleFormValues {
  const common = { name: rule.name, description: rule.description, enabled: rule.enabled, actionGroupIds: rule.actionGroupIds };
  if (rule.kind === "activity")
    return {
      ...blankForm("activity"),
      ...common,
      scope: JSON.stringify(rule.definition.scope, null, 2),
      condition: JSON.stringify(rule.definition.condition, null, 2),
    };
  const d = rule.definition;
  return {
    ...blankForm("log"),
    ...common,
    severity: rule.severity,
    workspaceIds: rule.workspaceIds,
    query: d.query,
    evaluationFrequency: d.evaluationFrequency,
    windowSize: d.windowSize,
    timeMode: d.timeMode,
    measureKind: d.measure.kind,
    measureColumn: d.measure.kind === "count" ? "" : d.measure.column,
    operator: d.operator,
    threshold: String(d.threshold),
    dimensions: d.dimensions.join(", "),
    minFailing: String(d.failingPeriods.minFailing),
    of: String(d.failingPeriods.of),
    autoResolve: d.autoResolve,
    muteActionsFor: d.muteActionsFor ?? "",
  };
}

/** Where an error shows: the form field the user edits to fix it, or `form` (above the form). */
export type ErrorField =
  | "name" | "description" | "enabled" | "severity" | "workspaceIds" | "actionGroupIds" | "query" | "evaluationFrequency"
  | "windowSize" | "timeMode" | "measureColumn" | "operator" | "threshold" | "dimensions" | "minFailing" | "of"
  | "autoResolve" | "muteActionsFor" | "scope" | "condition" | "form";
export type FormErrors = Partial<Record<ErrorField, string>>;

const sameName: readonly string[] = [
  "name", "description", "enabled", "severity", "workspaceIds", "actionGroupIds", "query", "evaluationFrequency", "windowSize",
  "timeMode", "operator", "threshold", "dimensions", "autoResolve", "muteActionsFor", "scope", "condition",
];

/** The field an error at the API's `path` belongs to (`measure.column` → the column input, `rule.query` → query). */
export function errorField(path: string): ErrorField {
  const parts = path.replace(/^rule\./, "").split(".");
  const [head, next] = parts;
  if (head === "measure") return "measureColumn";
  if (head === "failingPeriods") return next === "of" ? "of" : "minFailing";
  return head && sameName.includes(head) ? (head as ErrorField) : "form";
}

/**
 * Errors by field, from the API's `fieldErrors` or zod's issues (both keyed by the rule's path). A nested path names
 * itself unless the message does already ("condition.allOf.0.field: field must be one of …").
 */
export function errorsByField(issues: Iterable<[path: string, message: string]>): FormErrors {
  const out: FormErrors = {};
  for (const [rawPath, message] of issues) {
    const path = rawPath.replace(/^rule\./, "");
    const field = errorField(path);
    const top = path.split(".")[0] ?? "";
    const named = field === "form" || (path !== top && !message.startsWith(path)) ? `${path || "rule"}: ${message}` : message;
    out[field] ??= named;
  }
  return out;
}

const list = (text: string) =>
  text
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);

// an empty box is not zero: NaN lets the schema say "must be a number"
const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** The API's input as typed (unchecked), or the JSON errors that stop an activity rule being read at all. */
function candidate(v: RuleFormValues): { body: unknown } | { errors: FormErrors } {
  const common = { name: v.name, description: v.description, enabled: v.enabled, actionGroupIds: v.actionGroupIds };
  if (v.kind === "activity") {
    const errors: FormErrors = {};
    const json = (field: "scope" | "condition", text: string) => {
      try {
        return JSON.parse(text.trim() || "{}") as unknown;
      } catch (e) {
        errors[field] = `${field} is not valid JSON: ${(e as Error).message}`;
        return undefined;
      }
    };
    const scope = json("scope", v.scope);
    const condition = json("condition", v.condition);
    if (Object.keys(errors).length) return { errors };
    return { body: { kind: "activity", ...common, scope, condition } };
  }
  return {
    body: {
      kind: "log",
      ...common,
      severity: v.severity,
      workspaceIds: v.workspaceIds,
      query: v.query,
      evaluationFrequency: v.evaluationFrequency,
      windowSize: v.windowSize,
      timeMode: v.timeMode,
      measure: v.measureKind === "count" ? { kind: "count" } : { kind: v.measureKind, column: v.measureColumn },
      operator: v.operator,
      threshold: numberOf(v.threshold),
      dimensions: list(v.dimensions),
      failingPeriods: { minFailing: numberOf(v.minFailing), of: numberOf(v.of) },
      autoResolve: v.autoResolve,
      ...(v.muteActionsFor.trim() ? { muteActionsFor: v.muteActionsFor } : {}),
    },
  };
}

/** The rule as the API takes it, checked by the shared schema, or every problem by field. */
export function checkForm(v: RuleFormValues): { rule: Rule } | { errors: FormErrors } {
  const c = candidate(v);
  if ("errors" in c) return c;
  const parsed = ruleSchema.safeParse(c.body);
  if (parsed.success) return { rule: parsed.data };
  return { errors: errorsByField(parsed.error.issues.map((i) => [i.path.join("."), i.message] as [string, string])) };
}

/** The rule read aloud, as far as it can be read: null while an activity rule's JSON is not a rule yet. */
export function sentenceOf(v: RuleFormValues, groupNames: ReadonlyMap<string, string>): string | null {
  const actionGroups = v.actionGroupIds.map((id) => groupNames.get(id) ?? "an action group");
  if (v.kind === "activity") {
    const d = activityRuleDefinitionSchema.safeParse({ scope: parseJson(v.scope.trim() || "{}"), condition: parseJson(v.condition) });
    if (!d.success) return null;
    return ruleSentence({ kind: "activity", ...d.data, severity: ACTIVITY_RULE_SEVERITY, actionGroups });
  }
  const whole = (text: string) => (Number.isInteger(numberOf(text)) ? numberOf(text) : 1);
  const threshold = numberOf(v.threshold);
  return ruleSentence({
    kind: "log",
    evaluationFrequency: v.evaluationFrequency,
    windowSize: v.windowSize,
    timeMode: v.timeMode,
    measure: v.measureKind === "count" ? { kind: "count" } : { kind: v.measureKind, column: v.measureColumn },
    operator: v.operator,
    threshold: Number.isFinite(threshold) ? threshold : null,
    dimensions: list(v.dimensions),
    failingPeriods: { minFailing: whole(v.minFailing), of: whole(v.of) },
    severity: v.severity,
    autoResolve: v.autoResolve,
    muteActionsFor: v.muteActionsFor,
    actionGroups,
  });
}

/** A template as `rules.templates` lists it. */
export type TemplateValues = {
  name: string;
  description: string;
  query: string;
  defaults: Omit<LogRuleInput, "name" | "description" | "query" | "workspaceIds">;
};

/**
 * The form with a template's query, schedule and condition; the name and description only where still empty, and the
 * workspaces, action groups and enabled switch as they were (a template knows none of them).
 */
export function withTemplate(v: RuleFormValues, t: TemplateValues): RuleFormValues {
  const d = t.defaults;
  const measure = d.measure ?? { kind: "count" };
  return {
    ...v,
    name: v.name.trim() ? v.name : t.name,
    description: v.description.trim() ? v.description : t.description,
    query: t.query,
    severity: d.severity,
    evaluationFrequency: d.evaluationFrequency,
    windowSize: d.windowSize,
    timeMode: d.timeMode ?? "ingestion",
    measureKind: measure.kind,
    measureColumn: measure.kind === "count" ? "" : measure.column,
    operator: d.operator,
    threshold: String(d.threshold),
    dimensions: (d.dimensions ?? []).join(", "),
    minFailing: String(d.failingPeriods?.minFailing ?? 1),
    of: String(d.failingPeriods?.of ?? 1),
    autoResolve: d.autoResolve ?? true,
    muteActionsFor: d.muteActionsFor ?? "",
  };
}
