/**
 * A rule read aloud: one plain sentence of what it does, in the spirit of Azure's own ("run the query every 5 minutes
 * for the last 5 minutes and if the number of results is greater than 0, notify me via the selected action group").
 * Pure and forgiving: the editor calls it on every keystroke, so half-typed values (a duration that does not parse, an
 * empty column, no threshold yet) read as a placeholder rather than throwing.
 */
import type { ActivityConditionLeaf, ActivityRuleScope, ActivitySimpleLeaf } from "./activity-rule";
import { parseIsoDuration } from "./duration";
import type { AggregateMeasureKind, LogRuleOperator, TimeMode } from "./log-rule";

export type LogRuleSentenceInput = {
  kind: "log";
  evaluationFrequency: string;
  windowSize: string;
  timeMode: TimeMode;
  measure: { kind: "count" } | { kind: AggregateMeasureKind; column: string };
  operator: LogRuleOperator;
  /** null while the field does not hold a number */
  threshold: number | null;
  dimensions: readonly string[];
  failingPeriods: { minFailing: number; of: number };
  severity: number;
  autoResolve: boolean;
  muteActionsFor?: string | undefined;
  /** the names of the rule's action groups, in the order to read them */
  actionGroups: readonly string[];
};

export type ActivityRuleSentenceInput = {
  kind: "activity";
  scope: ActivityRuleScope;
  condition: { allOf: readonly ActivityConditionLeaf[] };
  severity: number;
  actionGroups: readonly string[];
};

const units = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
] as const;

/** "5 minutes", "1 hour 30 minutes"; `single` is what a lone unit of one reads as ("hour" in "the last hour"). */
function spoken(iso: string, single: (unit: string) => string): string {
  const ms = parseIsoDuration(iso);
  if (ms === null || ms === 0) return `“${iso.trim() || "?"}”`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
  }
  if (rest) parts.push(`${rest} ms`);
  const only = parts.length === 1 ? /^1 (\w+)$/.exec(parts[0]!) : null;
  return only ? single(only[1]!) : parts.join(" ");
}

/** "A", "A and B", "A, B and C" */
function listInWords(items: readonly string[], last = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}

const operatorWords: Record<LogRuleOperator, string> = {
  GreaterThan: "is greater than",
  GreaterThanOrEqual: "is greater than or equal to",
  LessThan: "is less than",
  LessThanOrEqual: "is less than or equal to",
  Equal: "is equal to",
};

const measureWords: Record<AggregateMeasureKind, string> = { avg: "average", sum: "sum", min: "minimum", max: "maximum" };

function measured(input: LogRuleSentenceInput): string {
  const m = input.measure;
  const what = m.kind === "count" ? "the number of rows" : `the ${measureWords[m.kind]} of ${m.column.trim() || "(a column)"}`;
  const dims = input.dimensions.map((d) => d.trim()).filter(Boolean);
  return dims.length ? `${what} per ${dims.join(", ")}` : what;
}

function failing({ minFailing, of }: LogRuleSentenceInput["failingPeriods"]): string {
  if (of <= 1 && minFailing <= 1) return "";
  if (minFailing === of) return ` in each of the last ${of} evaluations`;
  return ` in ${minFailing} of the last ${of} evaluations`;
}

/** What happens when the rule fires: the alert, and who hears of it. */
function consequence(severity: number, groups: readonly string[]): string {
  const names = groups.map((g) => g.trim()).filter(Boolean);
  if (names.length === 0) return `record a Sev${severity} alert; notify no one`;
  return `raise a Sev${severity} alert and notify ${listInWords(names)}`;
}

export function logRuleSentence(input: LogRuleSentenceInput): string {
  const every = `Every ${spoken(input.evaluationFrequency, (u) => u)}`;
  const over =
    input.timeMode === "ingestion" ? "over the rows ingested since the last run" : `over the last ${spoken(input.windowSize, (u) => u)} of data`;
  const threshold = input.threshold === null || !Number.isFinite(input.threshold) ? "(a threshold)" : String(input.threshold);
  const condition = `if ${measured(input)} ${operatorWords[input.operator]} ${threshold}${failing(input.failingPeriods)}`;
  let text = `${every}, ${over}: ${condition}, ${consequence(input.severity, input.actionGroups)}.`;
  text += input.autoResolve
    ? " The alert resolves by itself once the condition clears."
    : " Stateless: every evaluation that meets the condition raises a new alert.";
  const mute = input.muteActionsFor?.trim();
  if (mute && input.actionGroups.length) text += ` After notifying, stay quiet for ${spoken(mute, (u) => `1 ${u}`)}.`;
  return text;
}

const lastSegment = (id: string) => id.replace(/\/$/, "").split("/").pop() ?? id;

function scoped(scope: ActivityRuleScope): string {
  const parts: string[] = [];
  const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
  const subs = scope.subscriptionIds ?? [];
  const groups = (scope.resourceGroups ?? []).map(lastSegment);
  const resources = (scope.resourceIds ?? []).map(lastSegment);
  if (subs.length) parts.push(`${plural(subs.length, "subscription")} ${listInWords(subs, "or")}`);
  if (groups.length) parts.push(`${plural(groups.length, "resource group")} ${listInWords(groups, "or")}`);
  if (resources.length) parts.push(`${plural(resources.length, "resource")} ${listInWords(resources, "or")}`);
  return parts.length ? ` for ${parts.join(" or ")}` : "";
}

// a row whose value is still empty reads as a placeholder
const value = (v: string) => v.trim() || "(a value)";

function simple(leaf: ActivitySimpleLeaf): string {
  const field = leaf.field === "properties." ? "(a property)" : leaf.field;
  if ("equals" in leaf) return `${field} is ${value(leaf.equals)}`;
  const values = leaf.containsAny.map(value);
  return values.length === 1 ? `${field} is ${values[0]}` : `${field} is one of ${values.join(", ")}`;
}

function leafWords(leaf: ActivityConditionLeaf): string {
  if ("anyOf" in leaf) return leaf.anyOf.length === 1 ? simple(leaf.anyOf[0]!) : `either ${leaf.anyOf.map(simple).join(" or ")}`;
  return simple(leaf);
}

export function activityRuleSentence(input: ActivityRuleSentenceInput): string {
  const where = input.condition.allOf.length ? ` where ${input.condition.allOf.map(leafWords).join(" and ")}` : "";
  return `When an activity-log event arrives${scoped(input.scope)}${where}: ${consequence(input.severity, input.actionGroups)}.`;
}

export function ruleSentence(input: LogRuleSentenceInput | ActivityRuleSentenceInput): string {
  return input.kind === "log" ? logRuleSentence(input) : activityRuleSentence(input);
}
