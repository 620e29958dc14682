/** Alert rules: the zod-validated definition, split into the columns the scheduler filters on and a JSON rest. */
import { z } from "zod";
import { activityRuleSchema, logRuleSchema, parseIsoDuration, type ActivityRule, type LogRule } from "@vaultwatch/schemas";
import type { Prisma, Tx } from "@vaultwatch/db";
import type { WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { badInput } from "../errors";
import { checkActionGroups, checkLogQuery, tenantWorkspaces } from "./rule-validation";

/** A rule as a client sends it: the schema of its kind, tagged with the kind. */
export const ruleInput = z.discriminatedUnion(
  "kind",
  [logRuleSchema.safeExtend({ kind: z.literal("log") }), activityRuleSchema.safeExtend({ kind: z.literal("activity") })],
  { message: 'kind must be "log" or "activity"' },
);
export type RuleInput = z.output<typeof ruleInput>;

/** Activity-log alerts are informational (Sev4) in Azure, and so are ours. */
const ACTIVITY_SEVERITY = 4;

export const ruleFields = {
  id: true,
  kind: true,
  name: true,
  description: true,
  enabled: true,
  severity: true,
  frequencySeconds: true,
  timeMode: true,
  definition: true,
  version: true,
  lastEvaluatedAt: true,
  consecutiveFailures: true,
  lastError: true,
  createdAt: true,
  updatedAt: true,
  workspaces: { select: { workspaceId: true } },
  actionGroups: { select: { actionGroupId: true } },
} as const;

type StoredRule = Prisma.AlertRuleGetPayload<{ select: typeof ruleFields }>;

export type RuleHealth = "pending" | "healthy" | "failing";

/** A rule as the API shows it: the definition a form can edit and send back, plus its health. */
export function publicRule(rule: StoredRule) {
  const { workspaces, actionGroups, definition, ...meta } = rule;
  const health: RuleHealth = rule.consecutiveFailures > 0 ? "failing" : rule.lastEvaluatedAt ? "healthy" : "pending";
  return {
    ...meta,
    health,
    workspaceIds: workspaces.map((w) => w.workspaceId),
    actionGroupIds: actionGroups.map((g) => g.actionGroupId),
    definition: definition as Record<string, unknown>,
  };
}

/** Checks a rule against the tenant's data (workspaces, action groups, KQL); throws errors naming the field. */
export async function validateRule(tx: Tx, tenantId: string, rule: RuleInput, runner: WorkspaceQueryRunner | undefined): Promise<void> {
  await checkActionGroups(tx, tenantId, rule.actionGroupIds);
  if (rule.kind === "log") await checkLogQuery(runner, rule, await tenantWorkspaces(tx, tenantId, rule.workspaceIds));
}

/** The typed columns of a rule and the JSON rest of its definition. */
export function ruleColumns(rule: RuleInput) {
  const { kind, name, description, enabled, actionGroupIds: _groups, ...rest } = rule;
  if (kind === "log") {
    const { workspaceIds: _ws, severity, ...definition } = rest as Omit<LogRule, "name" | "description" | "enabled" | "actionGroupIds">;
    return {
      kind,
      name,
      description,
      enabled,
      severity,
      frequencySeconds: Math.round((parseIsoDuration(definition.evaluationFrequency) ?? 0) / 1000),
      timeMode: definition.timeMode,
      definition: definition as Prisma.InputJsonValue,
    };
  }
  const definition = rest as Omit<ActivityRule, "name" | "description" | "enabled" | "actionGroupIds">;
  return {
    kind,
    name,
    description,
    enabled,
    severity: ACTIVITY_SEVERITY,
    frequencySeconds: null,
    timeMode: null,
    definition: definition as Prisma.InputJsonValue,
  };
}

/** Points the rule at exactly these workspaces and action groups; kept workspaces keep their watermarks. */
export async function linkRule(tx: Tx, tenantId: string, ruleId: string, rule: RuleInput): Promise<void> {
  const workspaceIds = rule.kind === "log" ? rule.workspaceIds : [];
  await tx.alertRuleWorkspace.deleteMany({ where: { tenantId, ruleId, workspaceId: { notIn: workspaceIds } } });
  await tx.alertRuleWorkspace.createMany({
    data: workspaceIds.map((workspaceId) => ({ tenantId, ruleId, workspaceId })),
    skipDuplicates: true,
  });
  await tx.alertRuleActionGroup.deleteMany({ where: { tenantId, ruleId } });
  await tx.alertRuleActionGroup.createMany({
    data: rule.actionGroupIds.map((actionGroupId) => ({ tenantId, ruleId, actionGroupId })),
  });
}

/** Refuses a change of kind: a log rule and an activity rule share nothing but a name. */
export function assertSameKind(stored: { kind: string }, rule: RuleInput): void {
  if (stored.kind !== rule.kind) throw badInput("kind", `a ${stored.kind} rule cannot become a ${rule.kind} rule; create a new rule`);
}
