import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { displayName } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { createTenant, deleteTenant } from "../services/tenants";
import { inPageOrder, keysetPage } from "../services/keyset";
import { tenantFilter, tenantPageInput, tenantSortKeys } from "../services/tenant-page";
import { createTRPCRouter, permissionProcedure, platformAdminProcedure, protectedProcedure } from "../trpc";

export const tenantsRouter = createTRPCRouter({
  /** Platform admins create a tenant per customer and become its owner. */
  create: platformAdminProcedure.input(z.object({ name: displayName })).mutation(({ ctx, input }) =>
    createTenant(ctx.db, ctx.user, { name: input.name, ownerUserId: ctx.user.id }),
  ),

  /** One page of the tenants table: the caller's own tenants, by name or creation, filtered on name or slug. */
  page: protectedProcedure.input(tenantPageInput).query(async ({ ctx, input }) => {
    const page = await keysetPage(ctx.db, {
      table: Prisma.raw("tenant"),
      where: tenantFilter(ctx.user.id, input),
      keys: tenantSortKeys[input.sort],
      dir: input.dir,
      cursor: input.cursor,
      limit: input.limit,
    });
    const rows = await ctx.db.membership.findMany({
      where: { userId: ctx.user.id, tenantId: { in: page.items } },
      select: {
        role: true,
        tenant: { select: { id: true, name: true, slug: true, createdAt: true, _count: { select: { vaults: true, workspaces: true, memberships: true } } } },
      },
    });
    const shown = rows.map(({ role, tenant: { _count, ...tenant } }) => ({
      ...tenant,
      role,
      vaultCount: _count.vaults,
      workspaceCount: _count.workspaces,
      memberCount: _count.memberships,
    }));
    return { ...page, items: inPageOrder(page.items, shown) };
  }),

  listMine: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({
      where: { userId: ctx.user.id },
      select: {
        role: true,
        tenant: {
          select: {
            id: true,
            name: true,
            slug: true,
            createdAt: true,
            _count: { select: { vaults: true, workspaces: true, memberships: true } },
          },
        },
      },
      orderBy: { tenant: { name: "asc" } },
    });
    return rows.map(({ role, tenant: { _count, ...tenant } }) => ({
      ...tenant,
      role,
      vaultCount: _count.vaults,
      workspaceCount: _count.workspaces,
      memberCount: _count.memberships,
    }));
  }),

  rename: permissionProcedure("tenant.rename")
    .input(z.object({ name: displayName }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id } });
        const after = await tx.tenant.update({ where: { id: ctx.tenant.id }, data: { name: input.name } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "tenant.rename",
          targetType: "tenant",
          targetId: ctx.tenant.id,
          before: { name: before.name },
          after: { name: after.name },
        });
        return after;
      }),
    ),

  /** Deleting a tenant removes everything it owns (see deleteTenant); the caller must type the tenant's slug to confirm. */
  delete: permissionProcedure("tenant.delete")
    .input(z.object({ confirmSlug: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (input.confirmSlug.trim() !== ctx.tenant.slug) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `confirmSlug: type "${ctx.tenant.slug}" to confirm deleting this tenant`,
        });
      }
      const { deleted, ruleIds } = await deleteTenant(ctx.db, ctx.user, ctx.tenant);
      // the rules' schedules follow (a failure is healed by the worker's reconcile)
      for (const ruleId of ruleIds) {
        await ctx.onRuleChanged?.(ruleId, null).catch((e: unknown) => {
          console.error(`[tenants] schedule removal for ${ruleId} failed (the worker's reconcile will repair it): ${(e as Error).message}`);
        });
      }
      return { deleted };
    }),
});
