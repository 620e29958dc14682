import { z } from "zod";
import { displayName, guid, rowId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import type { Tx } from "@vaultwatch/db";

async function assertConnection(tx: Tx, tenantId: string, connectionId: string | null | undefined) {
  if (!connectionId) return;
  const found = await tx.azureConnection.findFirst({ where: { id: connectionId, tenantId }, select: { id: true } });
  if (!found) throw badInput("connectionId", "no such connection in this tenant");
}

/** Customer Azure subscriptions. Registering a vault registers its subscription too. */
export const subscriptionsRouter = createTRPCRouter({
  list: permissionProcedure("subscriptions.read").query(async ({ ctx }) => {
    const rows = await ctx.db.subscription.findMany({
      where: { tenantId: ctx.tenant.id },
      include: { connection: { select: { id: true, name: true } }, _count: { select: { vaults: true } } },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ _count, ...s }) => ({ ...s, vaultCount: _count.vaults }));
  }),

  create: permissionProcedure("subscriptions.write")
    .input(
      z.object({ azureSubscriptionId: guid, displayName: displayName.optional(), connectionId: rowId.nullish() }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        await assertConnection(tx, ctx.tenant.id, input.connectionId);
        const sub = await tx.subscription.create({
          data: {
            tenantId: ctx.tenant.id,
            azureSubscriptionId: input.azureSubscriptionId,
            displayName: input.displayName ?? null,
            connectionId: input.connectionId ?? null,
          },
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "subscription.create",
          targetType: "subscription",
          targetId: sub.id,
          after: sub,
        });
        return sub;
      }),
    ),

  update: permissionProcedure("subscriptions.write")
    .input(z.object({ subscriptionId: rowId, displayName: displayName.nullish(), connectionId: rowId.nullish() }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await tx.subscription.findFirst({ where: { id: input.subscriptionId, tenantId: ctx.tenant.id } });
        if (!before) throw notFound("subscription");
        await assertConnection(tx, ctx.tenant.id, input.connectionId);
        const after = await tx.subscription.update({
          where: { id: before.id },
          data: {
            ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
            ...(input.connectionId !== undefined ? { connectionId: input.connectionId } : {}),
          },
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "subscription.update",
          targetType: "subscription",
          targetId: before.id,
          before,
          after,
        });
        return after;
      }),
    ),

  remove: permissionProcedure("subscriptions.write")
    .input(z.object({ subscriptionId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const sub = await tx.subscription.findFirst({
          where: { id: input.subscriptionId, tenantId: ctx.tenant.id },
          include: { _count: { select: { vaults: true } } },
        });
        if (!sub) throw notFound("subscription");
        if (sub._count.vaults > 0) {
          throw badInput("subscriptionId", `remove its ${sub._count.vaults} vault(s) first`);
        }
        await tx.subscription.delete({ where: { id: sub.id } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "subscription.remove",
          targetType: "subscription",
          targetId: sub.id,
          before: { azureSubscriptionId: sub.azureSubscriptionId, displayName: sub.displayName },
        });
        return { removed: sub.id };
      }),
    ),
});
