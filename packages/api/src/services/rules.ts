/** Alert rules: the zod-validated rule, split by @vaultwatch/schemas into the columns the scheduler filters on and a JSON definition. */
import {
  joinRule,
  parseRuleDefinition,
  splitRule,
  StoredRuleError,
  type ActivityRuleDefinition,
  type LogRuleDefinition,
  type LogRuleOperator,
  type Rule,
} from "@vaultwatch/schemas";
import type { Prisma, Tx } from "@vaultwatch/db";
import type { WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { badInput } from "../errors";
import { checkActionGroups, checkLogQuery, tenantWorkspaces } from "./rule-validation";

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

type RuleMeta = Omit<StoredRule, "workspaces" | "actionGroups" | "definition" | "kind"> & {
  health: RuleHealth;
  workspaceIds: string[];
  actionGroupIds: string[];
};

/**
 * A rule as the API shows it: the definition a form can edit and send back (typed by kind), plus its health. A
 * stored definition its schema refuses is a server bug: it is logged, and the rule is shown without a definition
 * and with `definitionError` saying why, so one bad row never takes the whole list down.
 */
export type PublicRule =
  | (RuleMeta & { kind: "log"; definition: LogRuleDefinition })
  | (RuleMeta & { kind: "activity"; definition: ActivityRuleDefinition })
  | (RuleMeta & { kind: StoredRule["kind"]; definition: null; definitionError: string });

export function publicRule(row: StoredRule): PublicRule {
  const { workspaces, actionGroups, definition: stored, ...meta } = row;
  const health: RuleHealth = row.consecutiveFailures > 0 ? "failing" : row.lastEvaluatedAt ? "healthy" : "pending";
  const shown = { ...meta, health, workspaceIds: workspaces.map((w) => w.workspaceId), actionGroupIds: actionGroups.map((g) => g.actionGroupId) };
  let rule: Rule;
  try {
    rule = joinRule({ ...shown, definition: stored });
  } catch (e) {
    if (!(e instanceof StoredRuleError)) throw e;
    console.error(`[rules] rule ${row.id}: ${e.message}`);
    return { ...shown, definition: null, definitionError: e.message };
  }
  return rule.kind === "log" ? { ...shown, kind: "log", definition: splitRule(rule).definition } : { ...shown, kind: "activity", definition: splitRule(rule).definition };
}

/** A stored log rule's operator (an activity rule has none); a definition its schema refuses is logged and gives none. */
export function storedOperator(row: { id: string; kind: string; definition: unknown }): LogRuleOperator | null {
  if (row.kind !== "log") return null;
  try {
    return parseRuleDefinition("log", row.definition).operator;
  } catch (e) {
    if (!(e instanceof StoredRuleError)) throw e;
    console.error(`[rules] rule ${row.id}: ${e.message}`);
    return null;
  }
}

/** Checks a rule against the tenant's data (workspaces, action groups, KQL); throws errors naming the field. */
export async function validateRule(tx: Tx, tenantId: string, rule: Rule, runner: WorkspaceQueryRunner | undefined): Promise<void> {
  await checkActionGroups(tx, tenantId, rule.actionGroupIds);
  if (rule.kind === "log") await checkLogQuery(runner, rule, await tenantWorkspaces(tx, tenantId, rule.workspaceIds));
}

/** The `alert_rule` columns and definition JSON of a rule, as Prisma writes them. */
export function ruleData(rule: Rule) {
  const { columns, definition } = splitRule(rule);
  return { ...columns, definition: definition as Prisma.InputJsonValue };
}

/** Points the rule at exactly these workspaces and action groups; kept workspaces keep their watermarks. */
export async function linkRule(tx: Tx, tenantId: string, ruleId: string, rule: Rule): Promise<void> {
  const { workspaceIds, actionGroupIds } = splitRule(rule);
  await tx.alertRuleWorkspace.deleteMany({ where: { tenantId, ruleId, workspaceId: { notIn: workspaceIds } } });
  await tx.alertRuleWorkspace.createMany({
    data: workspaceIds.map((workspaceId) => ({ tenantId, ruleId, workspaceId })),
    skipDuplicates: true,
  });
  await tx.alertRuleActionGroup.deleteMany({ where: { tenantId, ruleId } });
  await tx.alertRuleActionGroup.createMany({
    data: actionGroupIds.map((actionGroupId) => ({ tenantId, ruleId, actionGroupId })),
  });
}

/** Refuses a change of kind: a log rule and an activity rule share nothing but a name. */
export function assertSameKind(stored: { kind: string }, rule: Rule): void {
  if (stored.kind !== rule.kind) throw badInput("kind", `a ${stored.kind} rule cannot become a ${rule.kind} rule; create a new rule`);
}
