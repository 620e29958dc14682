import { z } from "zod";
import { rowId } from "@vaultwatch/schemas";
import type { Prisma } from "@vaultwatch/db";
import { pageAfter } from "../services/pagination";
import { createTRPCRouter, multiTenantProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  /** Audit entries across the caller's tenants where they may read the audit log, newest first. */
  list: multiTenantProcedure("audit.read")
    .input(
      z.object({
        action: z.string().trim().max(100).optional(),
        cursor: rowId.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: Prisma.AuditLogWhereInput = {
        tenantId: { in: ctx.tenantIds },
        ...(input.action ? { action: { startsWith: input.action } } : {}),
      };
      const page = await pageAfter(input.cursor, (id) => ctx.db.auditLog.findFirst({ where: { AND: [where, { id }] }, select: { id: true } }));
      const items = await ctx.db.auditLog.findMany({
        where,
        include: { tenant: { select: { id: true, name: true, slug: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...page,
      });
      const more = items.length > input.limit;
      return { items: items.slice(0, input.limit), nextCursor: more ? items[input.limit - 1]?.id : undefined };
    }),
});
