import { z } from "zod";
import { routingSchema, rowId } from "@vaultwatch/schemas";
import { Prisma, type Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { groupColumns, groupFields, parseActionGroup, publicGroup, receiverHealth } from "../services/action-groups";
import { deliveryFilter, listDeliveries } from "../services/deliveries";
import { runTestSend } from "../services/test-send";
import { createTRPCRouter, platformAdminProcedure } from "../trpc";
import { groupInput, mergeGroup } from "./action-groups";

/**
 * Platform action groups: owned by the MSP (`tenantId` null), they receive the alerts of every tenant, or of those
 * their routing names, narrowed by severity, signal type and rule name, so one on-call service covers every customer.
 * Platform admins only; tenant procedures filter by their tenant's id and so never see these rows.
 */
const platformFields = { ...groupFields, routing: true } as const;

// null: every alert of every tenant (the routing matches everything)
const platformInput = groupInput.extend({ routing: routingSchema.nullable().optional() });

type Routing = z.output<typeof routingSchema>;

/**
 * An MSP group reaches the MSP's own people: emailing "every member with role X" would mail each customer's staff
 * from the MSP's on-call group, so that receiver type belongs to tenant groups only.
 */
function platformGroup<G extends { receivers: { type: string }[] }>(group: G): G {
  const i = group.receivers.findIndex((r) => r.type === "armRoleEmail");
  if (i >= 0) throw badInput(`receivers.${i}.type`, "an MSP action group cannot email a tenant's members by role; add email receivers instead");
  return group;
}

/** The routing as stored: null when absent or when it names nothing (matches everything either way). */
function storedRouting(routing: Routing | null | undefined): Routing | null {
  return routing && Object.values(routing).some((v) => v !== undefined) ? routing : null;
}

const asRouting = (value: unknown): Routing | null => {
  const parsed = routingSchema.safeParse(value);
  return parsed.success ? storedRouting(parsed.data) : null;
};

function publicPlatformGroup<G extends Parameters<typeof publicGroup>[0] & { routing: unknown }>(group: G) {
  return { ...publicGroup(group), routing: asRouting(group.routing) };
}

async function findPlatformGroup(tx: Pick<Tx, "actionGroup">, actionGroupId: string) {
  const group = await tx.actionGroup.findFirst({ where: { id: actionGroupId, tenantId: null }, select: platformFields });
  if (!group) throw notFound("platform action group");
  return group;
}

export const platformActionGroupsRouter = createTRPCRouter({
  list: platformAdminProcedure.query(async ({ ctx }) => {
    const groups = await ctx.db.actionGroup.findMany({ where: { tenantId: null }, select: platformFields, orderBy: { name: "asc" } });
    const health = await receiverHealth(ctx.db, null, groups);
    return groups.map((g) => ({ ...publicPlatformGroup(g), health: health.get(g.id) ?? {} }));
  }),

  get: platformAdminProcedure.input(z.object({ actionGroupId: rowId })).query(async ({ ctx, input }) => {
    const group = await findPlatformGroup(ctx.db, input.actionGroupId);
    const health = await receiverHealth(ctx.db, null, [group]);
    return { ...publicPlatformGroup(group), health: health.get(group.id) ?? {} };
  }),

  /** Every tenant (id, name, slug), for the routing editor's tenant picker. */
  tenants: platformAdminProcedure.query(({ ctx }) =>
    ctx.db.tenant.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" }, take: 5000 }),
  ),

  create: platformAdminProcedure.input(platformInput).mutation(({ ctx, input }) => {
    const { shortName, templates, routing, ...fields } = input;
    const group = platformGroup(parseActionGroup({ ...fields, shortName: shortName ?? undefined, templates: templates ?? undefined }, null, ctx.encryptionKey));
    return ctx.db.$transaction(async (tx) => {
      const created = publicPlatformGroup(
        await tx.actionGroup.create({
          data: { tenantId: null, ...groupColumns(group, ctx.encryptionKey), routing: storedRouting(routing) ?? Prisma.DbNull },
          select: platformFields,
        }),
      );
      await writeAudit(tx, {
        tenantId: null,
        actor: ctx.user,
        action: "platformActionGroup.create",
        targetType: "actionGroup",
        targetId: created.id,
        after: created,
      });
      return created;
    });
  }),

  /** Fields left out keep their value; null clears shortName, templates and routing (routing null: everything). */
  update: platformAdminProcedure.input(platformInput.extend({ actionGroupId: rowId })).mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const before = await findPlatformGroup(tx, input.actionGroupId);
      const { actionGroupId: _id, routing, ...fields } = input;
      const group = platformGroup(parseActionGroup(mergeGroup(fields, before), before.receivers, ctx.encryptionKey));
      const nextRouting = routing === undefined ? asRouting(before.routing) : storedRouting(routing);
      const after = publicPlatformGroup(
        await tx.actionGroup.update({
          where: { id: before.id },
          data: { ...groupColumns(group, ctx.encryptionKey), routing: nextRouting ?? Prisma.DbNull },
          select: platformFields,
        }),
      );
      await writeAudit(tx, {
        tenantId: null,
        actor: ctx.user,
        action: "platformActionGroup.update",
        targetType: "actionGroup",
        targetId: after.id,
        before: publicPlatformGroup(before),
        after,
      });
      return after;
    }),
  ),

  delete: platformAdminProcedure.input(z.object({ actionGroupId: rowId })).mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const group = await findPlatformGroup(tx, input.actionGroupId);
      await tx.actionGroup.delete({ where: { id: group.id } });
      await writeAudit(tx, {
        tenantId: null,
        actor: ctx.user,
        action: "platformActionGroup.delete",
        targetType: "actionGroup",
        targetId: group.id,
        before: publicPlatformGroup(group),
      });
      return { removed: group.id };
    }),
  ),

  /** A sample alert marked as a test to every receiver (or the one named); one test per group a minute. */
  test: platformAdminProcedure
    .input(z.object({ actionGroupId: rowId, receiverName: z.string().trim().min(1).max(128).optional() }))
    .mutation(({ ctx, input }) => runTestSend(ctx, { owner: null, actionGroupId: input.actionGroupId, receiverName: input.receiverName })),

  /** What the platform groups delivered, across tenants (optionally only some), newest first. */
  deliveries: platformAdminProcedure
    .input(deliveryFilter.extend({ tenantIds: z.array(rowId).min(1).max(1000).optional() }))
    .query(({ ctx, input }) =>
      listDeliveries(ctx.db, { actionGroup: { tenantId: null }, ...(input.tenantIds ? { tenantId: { in: input.tenantIds } } : {}) }, input),
    ),
});
