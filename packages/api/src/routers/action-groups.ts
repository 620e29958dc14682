import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rowId } from "@vaultwatch/schemas";
import type { Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { parseActionGroup, publicReceivers, sealReceivers } from "../services/action-groups";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const groupFields = { id: true, name: true, shortName: true, enabled: true, receivers: true, createdAt: true, updatedAt: true } as const;

type StoredGroup = { id: string; name: string; shortName: string | null; enabled: boolean; receivers: unknown; createdAt: Date; updatedAt: Date };

/** An action group as the API shows it: receivers without their secrets. */
function publicGroup(group: StoredGroup) {
  return { ...group, receivers: publicReceivers(group.receivers) };
}

// Receivers are checked in the procedure (not by the input parser) because an update may omit stored secrets.
const groupInput = z.object({
  name: z.string(),
  // null clears the short name on update
  shortName: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  receivers: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
});

/** The columns a validated group is stored as, its receivers' secrets sealed. */
function groupColumns(group: ReturnType<typeof parseActionGroup>, key: Buffer) {
  return {
    name: group.name,
    shortName: group.shortName ?? null,
    enabled: group.enabled,
    receivers: sealReceivers(group.receivers, key),
  };
}

async function findGroup(tx: Pick<Tx, "actionGroup">, tenantId: string, actionGroupId: string) {
  const group = await tx.actionGroup.findFirst({ where: { id: actionGroupId, tenantId }, select: groupFields });
  if (!group) throw notFound("action group");
  return group;
}

/** Action groups: who a rule notifies, and how. Sending is the notifier's work; this is their definition. */
export const actionGroupsRouter = createTRPCRouter({
  list: permissionProcedure("actionGroups.read").query(async ({ ctx }) => {
    const groups = await ctx.db.actionGroup.findMany({
      where: { tenantId: ctx.tenant.id },
      select: { ...groupFields, _count: { select: { rules: true } } },
      orderBy: { name: "asc" },
    });
    return groups.map(({ _count, ...g }) => ({ ...publicGroup(g), ruleCount: _count.rules }));
  }),

  get: permissionProcedure("actionGroups.read")
    .input(z.object({ actionGroupId: rowId }))
    .query(async ({ ctx, input }) => {
      const group = await findGroup(ctx.db, ctx.tenant.id, input.actionGroupId);
      const rules = await ctx.db.alertRuleActionGroup.findMany({
        where: { tenantId: ctx.tenant.id, actionGroupId: group.id },
        select: { rule: { select: { id: true, name: true } } },
      });
      return { ...publicGroup(group), rules: rules.map((r) => r.rule) };
    }),

  create: permissionProcedure("actionGroups.write")
    .input(groupInput)
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, shortName, ...fields } = input as typeof input & { tenantId: string };
      const group = parseActionGroup({ ...fields, shortName: shortName ?? undefined }, null, ctx.encryptionKey);
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
        // fields left out keep their value (receivers too: a rename must not empty the group); null clears shortName
        const merged = {
          name: fields.name,
          shortName: fields.shortName === undefined ? (before.shortName ?? undefined) : (fields.shortName ?? undefined),
          enabled: fields.enabled ?? before.enabled,
          receivers: fields.receivers ?? publicReceivers(before.receivers),
        };
        const group = parseActionGroup(merged, before.receivers, ctx.encryptionKey);
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
