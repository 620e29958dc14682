import { z } from "zod";
import { findRuleTemplate, ruleFromTemplate, ruleTemplates } from "@vaultwatch/alerting";
import { loadLogRule, previewLogRule, type WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { activityRuleSchema, logRuleSchema, rowId, ruleSchema, splitRule, type Rule } from "@vaultwatch/schemas";
import { Prisma, type Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { assertSameKind, linkRule, publicRule, ruleData, ruleFields, validateRule } from "../services/rules";
import { tenantWorkspaces } from "../services/rule-validation";
import { previewActivityRule } from "../services/activity-preview";
import { inPageOrder, keysetPage } from "../services/keyset";
import { rulePageInput, ruleFilter, ruleSortKeys } from "../services/rule-page";
import { createTRPCRouter, permissionProcedure, protectedProcedure } from "../trpc";
import type { Context, ScheduleFields, SessionUser } from "../context";

async function findRule(db: Pick<Tx, "alertRule">, tenantId: string, ruleId: string) {
  const rule = await db.alertRule.findFirst({ where: { id: ruleId, tenantId }, select: ruleFields });
  if (!rule) throw notFound("rule");
  return rule;
}

async function createRule(tx: Tx, tenantId: string, user: SessionUser, rule: Rule, runner: WorkspaceQueryRunner | undefined, action = "rule.create") {
  await validateRule(tx, tenantId, rule, runner);
  const created = await tx.alertRule.create({ data: { tenantId, ...ruleData(rule) }, select: { id: true } });
  await linkRule(tx, tenantId, created.id, rule);
  const after = publicRule(await findRule(tx, tenantId, created.id));
  await writeAudit(tx, { tenantId, actor: user, action, targetType: "alertRule", targetId: after.id, after });
  return after;
}

/**
 * Saving a rule checks its KQL against each workspace (ctx.queryRunner.check). That check can be slow: the first in a
 * process pays Kusto's one-time initialisation (seconds on a busy machine), and an Azure workspace's is a round trip
 * to Azure. So it runs before the transaction opens (`validatedOutside`), and the validation inside the transaction,
 * which keeps action groups and workspaces consistent with the write, reuses its answers.
 */
async function validatedOutside(ctx: Context, tenantId: string, rule: Rule): Promise<WorkspaceQueryRunner | undefined> {
  const runner = ctx.queryRunner;
  if (!runner) return runner;
  const answers = new Map<string, ReturnType<WorkspaceQueryRunner["check"]>>();
  const once: WorkspaceQueryRunner = {
    watermark: (w) => runner.watermark(w),
    run: (w, q) => runner.run(w, q),
    check: (w, query, options) => {
      const key = `${w.id}\n${options?.timeMode ?? ""}\n${query}`;
      if (!answers.has(key)) answers.set(key, runner.check(w, query, options));
      return answers.get(key)!;
    },
  };
  // plain reads, no transaction: nothing may hold one open while a query is checked
  await validateRule(ctx.db, tenantId, rule, once);
  return once;
}

const VALIDATING_TX = { timeout: 30_000 } as const;

/** After the transaction: let the scheduler follow the change (never fails the request; see Context.onRuleChanged). */
async function ruleChanged<T>(ctx: Context, ruleId: string, rule: ScheduleFields | null, result: T): Promise<T> {
  try {
    await ctx.onRuleChanged?.(ruleId, rule && { id: rule.id, kind: rule.kind, enabled: rule.enabled, frequencySeconds: rule.frequencySeconds, version: rule.version });
  } catch (e) {
    console.error(`[rules] schedule update for ${ruleId} failed (the worker's reconcile will repair it): ${(e as Error).message}`);
  }
  return result;
}

const PREVIEW_WORKSPACES = 10;

/** Alert rules (log and activity). Every change bumps `version`, which the scheduler keys on. */
export const rulesRouter = createTRPCRouter({
  /** The one-click templates (the same for every tenant): what createFromTemplate accepts. */
  templates: protectedProcedure.query(() =>
    ruleTemplates.map((t) => ({ id: t.id, name: t.name, description: t.description, query: t.query, shape: t.shape, defaults: t.defaults })),
  ),

  list: permissionProcedure("rules.read")
    .input(z.object({ enabled: z.boolean().optional(), kind: z.enum(["log", "activity"]).optional() }))
    .query(async ({ ctx, input }) => {
      const rules = await ctx.db.alertRule.findMany({
        where: {
          tenantId: ctx.tenant.id,
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(input.kind ? { kind: input.kind } : {}),
        },
        select: ruleFields,
        orderBy: { name: "asc" },
      });
      return rules.map(publicRule);
    }),

  /**
   * One page of the rules table, filtered, sorted and paged in SQL (`list` above stays whole for pickers and rules
   * as code). Health is what `publicRule` shows: failing after a failed evaluation, pending before the first one.
   */
  page: permissionProcedure("rules.read")
    .input(rulePageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("alert_rule"),
        where: ruleFilter(ctx.tenant.id, input),
        keys: ruleSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const rows = await ctx.db.alertRule.findMany({ where: { tenantId: ctx.tenant.id, id: { in: page.items } }, select: ruleFields });
      // the names of the page's workspaces, so the table need not load every workspace of the tenant
      const workspaceIds = [...new Set(rows.flatMap((r) => r.workspaces.map((w) => w.workspaceId)))];
      const workspaces = workspaceIds.length
        ? await ctx.db.workspace.findMany({ where: { tenantId: ctx.tenant.id, id: { in: workspaceIds } }, select: { id: true, name: true } })
        : [];
      return { ...page, items: inPageOrder(page.items, rows).map(publicRule), workspaceNames: Object.fromEntries(workspaces.map((w) => [w.id, w.name])) };
    }),

  get: permissionProcedure("rules.read")
    .input(z.object({ ruleId: rowId }))
    .query(async ({ ctx, input }) => publicRule(await findRule(ctx.db, ctx.tenant.id, input.ruleId))),

  create: permissionProcedure("rules.write")
    .input(ruleSchema)
    .mutation(async ({ ctx, input }) => {
      const { tenantId: _t, ...rule } = input;
      const runner = await validatedOutside(ctx, ctx.tenant.id, rule);
      const created = await ctx.db.$transaction((tx) => createRule(tx, ctx.tenant.id, ctx.user, rule, runner), VALIDATING_TX);
      return ruleChanged(ctx, created.id, created, created);
    }),

  /** One click: a template's rule over the chosen workspaces (the user may edit it afterwards). */
  createFromTemplate: permissionProcedure("rules.write")
    .input(z.object({ templateId: z.string().max(100), workspaceIds: z.array(rowId).min(1).max(50), name: z.string().trim().min(1).max(260).optional() }))
    .mutation(async ({ ctx, input }) => {
      const template = findRuleTemplate(input.templateId);
      if (!template) throw badInput("templateId", `no such template: ${input.templateId}`);
      const parsed = logRuleSchema.parse(ruleFromTemplate(template, input.workspaceIds, input.name ? { name: input.name } : {}));
      const runner = await validatedOutside(ctx, ctx.tenant.id, { ...parsed, kind: "log" });
      const created = await ctx.db.$transaction(
        (tx) => createRule(tx, ctx.tenant.id, ctx.user, { ...parsed, kind: "log" }, runner, "rule.createFromTemplate"),
        VALIDATING_TX,
      );
      return ruleChanged(ctx, created.id, created, created);
    }),

  /** Replaces the rule's definition (same kind). */
  update: permissionProcedure("rules.write")
    .input(ruleSchema)
    .input(z.object({ ruleId: rowId }))
    .mutation(async ({ ctx, input }) => {
      const { tenantId: _t0, ruleId: _r, ...checked } = input;
      const runner = await validatedOutside(ctx, ctx.tenant.id, checked);
      const updated = await ctx.db.$transaction(async (tx) => {
        const { tenantId: _t, ruleId, ...rule } = input;
        const before = publicRule(await findRule(tx, ctx.tenant.id, ruleId));
        assertSameKind(before, rule);
        await validateRule(tx, ctx.tenant.id, rule, runner);
        await tx.alertRule.update({ where: { id: before.id }, data: { ...ruleData(rule), version: { increment: 1 } } });
        await linkRule(tx, ctx.tenant.id, before.id, rule);
        const after = publicRule(await findRule(tx, ctx.tenant.id, before.id));
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "rule.update", targetType: "alertRule", targetId: after.id, before, after });
        return after;
      }, VALIDATING_TX);
      return ruleChanged(ctx, updated.id, updated, updated);
    }),

  setEnabled: permissionProcedure("rules.write")
    .input(z.object({ ruleId: rowId, enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const changed = await ctx.db.$transaction(async (tx) => {
        const before = await findRule(tx, ctx.tenant.id, input.ruleId);
        await tx.alertRule.update({ where: { id: before.id }, data: { enabled: input.enabled, version: { increment: 1 } } });
        const after = publicRule(await findRule(tx, ctx.tenant.id, before.id));
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: input.enabled ? "rule.enable" : "rule.disable",
          targetType: "alertRule",
          targetId: after.id,
          before: { enabled: before.enabled },
          after: { enabled: after.enabled },
        });
        return after;
      });
      return ruleChanged(ctx, changed.id, changed, changed);
    }),

  /** Deletes the rule with its evaluations and alerts (their history goes with it). */
  delete: permissionProcedure("rules.write")
    .input(z.object({ ruleId: rowId }))
    .mutation(async ({ ctx, input }) => {
      const removed = await ctx.db.$transaction(async (tx) => {
        const before = publicRule(await findRule(tx, ctx.tenant.id, input.ruleId));
        await tx.alertRule.delete({ where: { id: before.id } });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "rule.delete", targetType: "alertRule", targetId: before.id, before });
        return { removed: before.id };
      });
      return ruleChanged(ctx, removed.removed, null, removed);
    }),

  /**
   * Runs a log rule now over its last window and shows what would fire, recording and notifying nothing: a saved
   * rule (`ruleId`, with its stored state) or an unsaved one (`rule`, as `create` takes it).
   */
  preview: permissionProcedure("rules.read")
    .input(
      z
        .object({ ruleId: rowId.optional(), rule: ruleSchema.optional() })
        .refine((i) => Boolean(i.ruleId) !== Boolean(i.rule), { message: "give either ruleId or rule", path: ["ruleId"] }),
    )
    .query(async ({ ctx, input }) => {
      const runner = ctx.queryRunner;
      if (input.ruleId) {
        const stored = await loadLogRule(ctx.db, input.ruleId);
        if (!stored || stored.tenantId !== ctx.tenant.id) throw notFound("rule");
        if (!runner) throw badInput("ruleId", "previews are not available here");
        if (stored.kind !== "log") throw badInput("ruleId", "only log rules can be previewed; activity rules fire on arrival");
        return previewLogRule(runner, { ruleId: stored.id, definition: stored.definition, workspaces: stored.workspaces.slice(0, PREVIEW_WORKSPACES) });
      }
      const rule = input.rule!;
      if (rule.kind !== "log") throw badInput("rule.kind", "only log rules can be previewed; activity rules fire on arrival");
      await tenantWorkspaces(ctx.db, ctx.tenant.id, rule.workspaceIds);
      if (!runner) throw badInput("rule", "previews are not available here");
      const workspaces = await ctx.db.workspace.findMany({
        where: { tenantId: ctx.tenant.id, id: { in: rule.workspaceIds.slice(0, PREVIEW_WORKSPACES) } },
        select: { id: true, tenantId: true, kind: true, name: true, armId: true },
      });
      return previewLogRule(runner, { ruleId: null, definition: splitRule(rule).definition, workspaces });
    }),

  /**
   * "Matches these recent events": an activity rule's scope and condition (saved or not) tried on the tenant's
   * activity-log events of the last `days` days, newest first, recording and notifying nothing.
   */
  previewActivity: permissionProcedure("rules.read")
    .input(
      z.object({
        scope: activityRuleSchema.shape.scope,
        condition: activityRuleSchema.shape.condition,
        days: z.number().int().min(1, "days must be 1 to 30").max(30, "days must be 1 to 30").default(7),
      }),
    )
    .query(({ ctx, input }) => previewActivityRule(ctx.db, ctx.tenant.id, { scope: input.scope, condition: input.condition }, input.days)),
});
