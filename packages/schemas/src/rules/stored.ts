/**
 * A rule as the database stores it: typed columns on `alert_rule` (what the scheduler and lists filter on), link rows
 * for its workspaces and action groups, and the rest in the `definition` JSON column. `splitRule` and `joinRule` are
 * the one place that knows which field goes where.
 */
import { z } from "zod";
import { activityDefinitionKeys, activityRuleDefinitionSchema, activityRuleSchema, type ActivityRule, type ActivityRuleDefinition } from "./activity-rule";
import { parseIsoDuration } from "./duration";
import { logDefinitionKeys, logRuleDefinitionSchema, logRuleSchema, type LogRule, type LogRuleDefinition, type TimeMode } from "./log-rule";

export const ruleKinds = ["log", "activity"] as const;
export type RuleKind = (typeof ruleKinds)[number];

/** Activity-log alerts are informational (Sev4) in Azure, and so are ours. */
export const ACTIVITY_RULE_SEVERITY = 4;

/** A rule of either kind as a client writes it, tagged with its kind. */
export const ruleSchema = z.discriminatedUnion(
  "kind",
  [logRuleSchema.safeExtend({ kind: z.literal("log") }), activityRuleSchema.safeExtend({ kind: z.literal("activity") })],
  { message: 'kind must be "log" or "activity"' },
);
export type RuleInput = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type LogRuleOfKind = LogRule & { kind: "log" };
export type ActivityRuleOfKind = ActivityRule & { kind: "activity" };

/** The typed `alert_rule` columns a rule fills. */
export type RuleColumns = {
  kind: RuleKind;
  name: string;
  description: string;
  enabled: boolean;
  severity: number;
  /** the evaluation frequency in seconds (log rules; activity rules run on arrival) */
  frequencySeconds: number | null;
  timeMode: TimeMode | null;
};

export type SplitLogRule = {
  columns: RuleColumns & { kind: "log"; frequencySeconds: number; timeMode: TimeMode };
  definition: LogRuleDefinition;
  workspaceIds: string[];
  actionGroupIds: string[];
};
export type SplitActivityRule = {
  columns: RuleColumns & { kind: "activity"; frequencySeconds: null; timeMode: null };
  definition: ActivityRuleDefinition;
  workspaceIds: string[];
  actionGroupIds: string[];
};

/** Only the keys the definition schema names, so a field added to a rule never lands in the JSON by accident. */
function pick<T>(source: Record<string, unknown>, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out as T;
}

/** A parsed rule → its columns, its `definition` JSON and its links. */
export function splitRule(rule: LogRuleOfKind): SplitLogRule;
export function splitRule(rule: ActivityRuleOfKind): SplitActivityRule;
export function splitRule(rule: Rule): SplitLogRule | SplitActivityRule;
export function splitRule(rule: Rule): SplitLogRule | SplitActivityRule {
  const common = { name: rule.name, description: rule.description, enabled: rule.enabled };
  if (rule.kind === "log") {
    const definition = pick<LogRuleDefinition>(rule, logDefinitionKeys);
    return {
      columns: {
        kind: "log",
        ...common,
        severity: rule.severity,
        frequencySeconds: Math.round((parseIsoDuration(definition.evaluationFrequency) ?? 0) / 1000),
        timeMode: definition.timeMode,
      },
      definition,
      workspaceIds: rule.workspaceIds,
      actionGroupIds: rule.actionGroupIds,
    };
  }
  return {
    columns: { kind: "activity", ...common, severity: ACTIVITY_RULE_SEVERITY, frequencySeconds: null, timeMode: null },
    definition: pick<ActivityRuleDefinition>(rule, activityDefinitionKeys),
    workspaceIds: [],
    actionGroupIds: rule.actionGroupIds,
  };
}

/** A stored rule: its columns (as read, so `kind` is any text), its `definition` JSON unread, and its links. */
export type StoredRuleRow = {
  kind: string;
  name: string;
  description: string;
  enabled: boolean;
  severity: number;
  definition: unknown;
  workspaceIds: string[];
  actionGroupIds: string[];
};

/**
 * A stored definition that its kind's schema refuses. Only code writes that column, through `splitRule`, so this
 * is a server bug (or a schema that tightened without a migration), never the user's input.
 */
export class StoredRuleError extends Error {
  constructor(
    readonly kind: string,
    readonly problems: string[],
  ) {
    super(`the stored definition of this ${kind} rule is invalid: ${problems.join("; ")}`);
    this.name = "StoredRuleError";
  }
}

const problemsOf = (error: z.ZodError) => error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));

/** A stored `definition` JSON read with its kind's schema; throws StoredRuleError naming each bad field. */
export function parseRuleDefinition(kind: "log", json: unknown): LogRuleDefinition;
export function parseRuleDefinition(kind: "activity", json: unknown): ActivityRuleDefinition;
export function parseRuleDefinition(kind: string, json: unknown): LogRuleDefinition | ActivityRuleDefinition;
export function parseRuleDefinition(kind: string, json: unknown): LogRuleDefinition | ActivityRuleDefinition {
  if (kind !== "log" && kind !== "activity") throw new StoredRuleError(kind, [`kind must be "log" or "activity"`]);
  const parsed = (kind === "log" ? logRuleDefinitionSchema : activityRuleDefinitionSchema).safeParse(json);
  if (!parsed.success) throw new StoredRuleError(kind, problemsOf(parsed.error));
  return parsed.data;
}

/** A stored row → the whole typed rule, as a client would write it. Throws StoredRuleError when the JSON is bad. */
export function joinRule(row: StoredRuleRow): Rule {
  const common = { name: row.name, description: row.description, enabled: row.enabled };
  if (row.kind === "log") {
    const definition = parseRuleDefinition("log", row.definition);
    return { kind: "log", ...common, workspaceIds: row.workspaceIds, ...definition, severity: row.severity, actionGroupIds: row.actionGroupIds };
  }
  if (row.kind === "activity") {
    const definition = parseRuleDefinition("activity", row.definition);
    return { kind: "activity", ...common, ...definition, actionGroupIds: row.actionGroupIds };
  }
  throw new StoredRuleError(row.kind, [`kind must be "log" or "activity"`]);
}
