import { z } from "zod";
import { displayName, guid, rowId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { inPageOrder, keysetPage } from "../services/keyset";
import { subscriptionFilter, subscriptionPageInput, subscriptionSortKeys } from "../services/subscription-page";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { Prisma, type Tx } from "@vaultwatch/db";

/** The connection exists in this tenant and, when it is a link (Azure Lighthouse), was given this subscription. */
async function assertConnection(tx: Tx, tenantId: string, connectionId: string | null | undefined, azureSubscriptionId: string) {
  if (!connectionId) return;
  const found = await tx.azureConnection.findFirst({ where: { id: connectionId, tenantId }, select: { id: true, name: true, sharedFromId: true, subscriptionIds: true } });
  if (!found) throw badInput("connectionId", "no such connection in this tenant");
  if (found.sharedFromId && !found.subscriptionIds.some((s) => s.toLowerCase() === azureSubscriptionId.toLowerCase())) {
    throw badInput("azureSubscriptionId", `not among the subscriptions shared with this tenant through the connection "${found.name}"`);
  }
}

/** The workspace polled activity-log events go to: a local workspace of this tenant (events are stored there). */
async function assertActivityWorkspace(tx: Tx, tenantId: string, workspaceId: string | null | undefined) {
  if (!workspaceId) return;
  const found = await tx.workspace.findFirst({ where: { id: workspaceId, tenantId }, select: { kind: true } });
  if (!found) throw badInput("activityWorkspaceId", "no such workspace in this tenant");
  if (found.kind !== "local") throw badInput("activityWorkspaceId", "must be a local workspace: polled activity-log events are stored in it");
}

/** The activity-log poller's state of a subscription, as the Subscriptions screen shows it. */
export type ActivityPollHealth = {
  status: "not polled" | "waiting" | "ok" | "failing";
  watermark: Date | null;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  nextPollAt: Date | null;
  errorCode: string | null;
  error: string | null;
  consecutiveFailures: number;
  lastEventsRead: number;
  lastEventsNew: number;
};

type PollRow = {
  watermark: Date | null;
  nextPollAt: Date;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorCode: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastEventsRead: number;
  lastEventsNew: number;
};

function healthOf(s: { connectionId: string | null; activityWorkspaceId: string | null }, p: PollRow | null): ActivityPollHealth {
  const polled = Boolean(s.connectionId && s.activityWorkspaceId);
  const status = !polled ? "not polled" : !p?.lastPolledAt ? "waiting" : p.consecutiveFailures > 0 ? "failing" : "ok";
  return {
    status,
    watermark: p?.watermark ?? null,
    lastPolledAt: p?.lastPolledAt ?? null,
    lastSuccessAt: p?.lastSuccessAt ?? null,
    nextPollAt: polled ? (p?.nextPollAt ?? null) : null,
    errorCode: p?.lastErrorCode ?? null,
    error: p?.lastError ?? null,
    consecutiveFailures: p?.consecutiveFailures ?? 0,
    lastEventsRead: p?.lastEventsRead ?? 0,
    lastEventsNew: p?.lastEventsNew ?? 0,
  };
}

/** Customer Azure subscriptions. Registering a vault registers its subscription too. */
export const subscriptionsRouter = createTRPCRouter({
  list: permissionProcedure("subscriptions.read").query(async ({ ctx }) => {
    const rows = await ctx.db.subscription.findMany({
      where: { tenantId: ctx.tenant.id },
      include: {
        connection: { select: { id: true, name: true } },
        activityWorkspace: { select: { id: true, name: true } },
        activityPoll: true,
        _count: { select: { vaults: true } },
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ _count, activityPoll, ...s }) => ({ ...s, vaultCount: _count.vaults, activityPolling: healthOf(s, activityPoll) }));
  }),

  /** One page of the subscriptions table, filtered (name or id, connection, activity polling) and sorted in SQL. */
  page: permissionProcedure("subscriptions.read")
    .input(subscriptionPageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("subscription"),
        where: subscriptionFilter(ctx.tenant.id, input),
        keys: subscriptionSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const rows = await ctx.db.subscription.findMany({
        where: { tenantId: ctx.tenant.id, id: { in: page.items } },
        include: {
          connection: { select: { id: true, name: true } },
          activityWorkspace: { select: { id: true, name: true } },
          activityPoll: true,
          _count: { select: { vaults: true } },
        },
      });
      const items = inPageOrder(page.items, rows).map(({ _count, activityPoll, ...s }) => ({ ...s, vaultCount: _count.vaults, activityPolling: healthOf(s, activityPoll) }));
      return { ...page, items };
    }),

  /** Each subscription's activity-log poller health: polled or not, last success, and Azure's error when failing. */
  activityPollHealth: permissionProcedure("subscriptions.read").query(async ({ ctx }) => {
    const rows = await ctx.db.subscription.findMany({
      where: { tenantId: ctx.tenant.id },
      select: { id: true, azureSubscriptionId: true, displayName: true, connectionId: true, activityWorkspaceId: true, activityPoll: true },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ activityPoll, ...s }) => ({ subscriptionId: s.id, azureSubscriptionId: s.azureSubscriptionId, displayName: s.displayName, ...healthOf(s, activityPoll) }));
  }),

  create: permissionProcedure("subscriptions.write")
    .input(
      z.object({ azureSubscriptionId: guid, displayName: displayName.optional(), connectionId: rowId.nullish(), activityWorkspaceId: rowId.nullish() }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        await assertConnection(tx, ctx.tenant.id, input.connectionId, input.azureSubscriptionId);
        await assertActivityWorkspace(tx, ctx.tenant.id, input.activityWorkspaceId);
        const sub = await tx.subscription.create({
          data: {
            tenantId: ctx.tenant.id,
            azureSubscriptionId: input.azureSubscriptionId,
            displayName: input.displayName ?? null,
            connectionId: input.connectionId ?? null,
            activityWorkspaceId: input.activityWorkspaceId ?? null,
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
    .input(z.object({ subscriptionId: rowId, displayName: displayName.nullish(), connectionId: rowId.nullish(), activityWorkspaceId: rowId.nullish() }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await tx.subscription.findFirst({ where: { id: input.subscriptionId, tenantId: ctx.tenant.id } });
        if (!before) throw notFound("subscription");
        await assertConnection(tx, ctx.tenant.id, input.connectionId, before.azureSubscriptionId);
        await assertActivityWorkspace(tx, ctx.tenant.id, input.activityWorkspaceId);
        const after = await tx.subscription.update({
          where: { id: before.id },
          data: {
            ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
            ...(input.connectionId !== undefined ? { connectionId: input.connectionId } : {}),
            ...(input.activityWorkspaceId !== undefined ? { activityWorkspaceId: input.activityWorkspaceId } : {}),
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
