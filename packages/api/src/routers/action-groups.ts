import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rowId } from "@vaultwatch/schemas";
import { Prisma, type Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { groupColumns, groupFields, parseActionGroup, publicGroup, publicReceivers, receiverHealth } from "../services/action-groups";
import { runTestSend } from "../services/test-send";
import { groupFilter, groupPageInput, groupSortKeys } from "../services/group-page";
import { inPageOrder, keysetPage } from "../services/keyset";
import { createTRPCRouter, permissionProcedure } from "../trpc";

// Receivers are checked in the procedure (not by the input parser) because an update may omit stored secrets.
export const groupInput = z.object({
  name: z.string(),
  // null clears the short name on update
  shortName: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  receivers: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  // subject and body with {{placeholders}}, checked when saved; null clears them on update
  templates: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** The fields an update leaves out keep their stored value; null clears shortName and templates. */
export function mergeGroup(
  fields: z.output<typeof groupInput>,
  before: { shortName: string | null; enabled: boolean; receivers: unknown; templates: unknown },
) {
  return {
    name: fields.name,
    shortName: fields.shortName === undefined ? (before.shortName ?? undefined) : (fields.shortName ?? undefined),
    enabled: fields.enabled ?? before.enabled,
    receivers: fields.receivers ?? publicReceivers(before.receivers),
    templates: fields.templates === undefined ? (before.templates ?? undefined) : (fields.templates ?? undefined),
  };
}

async function findGroup(tx: Pick<Tx, "actionGroup">, tenantId: string, actionGroupId: string) {
  const group = await tx.actionGroup.findFirst({ where: { id: actionGroupId, tenantId }, select: groupFields });
  if (!group) throw notFound("action group");
  return group;
}

/** Action groups: who a rule notifies, and how. Sending is the notifier's work; this is their definition. */
export const actionGroupsRouter = createTRPCRouter({
  /** Every group of the tenant with the number of rules using it and each receiver's recent health. */
  list: permissionProcedure("actionGroups.read").query(async ({ ctx }) => {
    const groups = await ctx.db.actionGroup.findMany({
      where: { tenantId: ctx.tenant.id },
      select: { ...groupFields, _count: { select: { rules: true } } },
      orderBy: { name: "asc" },
    });
    const health = await receiverHealth(ctx.db, ctx.tenant.id, groups);
    return groups.map(({ _count, ...g }) => ({ ...publicGroup(g), ruleCount: _count.rules, health: health.get(g.id) ?? {} }));
  }),

  /**
   * One page of the action groups table, filtered and sorted in SQL: `health: "dead"` keeps the groups with a receiver
   * whose dead-channel alert is raised (the Overview's dead-channels count links there), `"failing"` those with a
   * receiver failing now; both count only receivers the group still has, as the list's health does.
   */
  page: permissionProcedure("actionGroups.read")
    .input(groupPageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("action_group"),
        where: groupFilter(ctx.tenant.id, input),
        keys: groupSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const groups = inPageOrder(
        page.items,
        await ctx.db.actionGroup.findMany({
          where: { tenantId: ctx.tenant.id, id: { in: page.items } },
          select: { ...groupFields, _count: { select: { rules: true } } },
        }),
      );
      const health = await receiverHealth(ctx.db, ctx.tenant.id, groups);
      return { ...page, items: groups.map(({ _count, ...g }) => ({ ...publicGroup(g), ruleCount: _count.rules, health: health.get(g.id) ?? {} })) };
    }),

  get: permissionProcedure("actionGroups.read")
    .input(z.object({ actionGroupId: rowId }))
    .query(async ({ ctx, input }) => {
      const group = await findGroup(ctx.db, ctx.tenant.id, input.actionGroupId);
      const [rules, health] = await Promise.all([
        ctx.db.alertRuleActionGroup.findMany({
          where: { tenantId: ctx.tenant.id, actionGroupId: group.id },
          select: { rule: { select: { id: true, name: true } } },
        }),
        receiverHealth(ctx.db, ctx.tenant.id, [group]),
      ]);
      return { ...publicGroup(group), rules: rules.map((r) => r.rule), health: health.get(group.id) ?? {} };
    }),

  create: permissionProcedure("actionGroups.write")
    .input(groupInput)
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, shortName, templates, ...fields } = input as typeof input & { tenantId: string };
      const group = parseActionGroup({ ...fields, shortName: shortName ?? undefined, templates: templates ?? undefined }, null, ctx.encryptionKey);
      return ctx.db.$transaction(async (tx) => {
        const created = publicGroup(
          await tx.actionGroup.create({
            data: { tenantId: ctx.tenant.id, ...groupColumns(group, ctx.encryptionKey) },
            select: groupFields,
          }),
        );
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "actionGroup.create",
          targetType: "actionGroup",
          targetId: created.id,
          after: created,
        });
        return created;
      });
    }),

  /** Updates the group; a receiver sent without its secret keeps the stored one (matched by name and type). */
  update: permissionProcedure("actionGroups.write")
    .input(groupInput.extend({ actionGroupId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await findGroup(tx, ctx.tenant.id, input.actionGroupId);
        const { tenantId: _t, actionGroupId: _id, ...fields } = input as typeof input & { tenantId: string };
        // fields left out keep their value (receivers too: a rename must not empty the group)
        const group = parseActionGroup(mergeGroup(fields, before), before.receivers, ctx.encryptionKey);
        const after = publicGroup(
          await tx.actionGroup.update({
            where: { id: before.id },
            data: groupColumns(group, ctx.encryptionKey),
            select: groupFields,
          }),
        );
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "actionGroup.update",
          targetType: "actionGroup",
          targetId: after.id,
          before: publicGroup(before),
          after,
        });
        return after;
      }),
    ),

  /**
   * Sends a sample alert marked as a test to every receiver of the group, or to the one named, and answers how each
   * went. At most one test per group a minute (Azure's limit), counted in Postgres so every web process agrees.
   */
  test: permissionProcedure("actionGroups.write")
    .input(z.object({ actionGroupId: rowId, receiverName: z.string().trim().min(1).max(128).optional() }))
    .mutation(({ ctx, input }) => runTestSend(ctx, { owner: ctx.tenant, actionGroupId: input.actionGroupId, receiverName: input.receiverName })),

  /** Refused while a rule still notifies the group: removing it silently would leave rules that notify no one. */
  delete: permissionProcedure("actionGroups.write")
    .input(z.object({ actionGroupId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const group = await findGroup(tx, ctx.tenant.id, input.actionGroupId);
        const users = await tx.alertRuleActionGroup.findMany({
          where: { tenantId: ctx.tenant.id, actionGroupId: group.id },
          select: { rule: { select: { name: true } } },
        });
        if (users.length > 0) {
          const names = users.map((u) => `"${u.rule.name}"`).join(", ");
          throw new TRPCError({ code: "CONFLICT", message: `the action group is used by the rules ${names}; remove it from them first` });
        }
        await tx.actionGroup.delete({ where: { id: group.id } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "actionGroup.delete",
          targetType: "actionGroup",
          targetId: group.id,
          before: publicGroup(group),
        });
        return { removed: group.id };
      }),
    ),
});
