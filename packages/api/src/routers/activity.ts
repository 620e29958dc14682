import { z } from "zod";
import { activityCategories, activityLevels, rowId } from "@vaultwatch/schemas";
import type { Prisma } from "@vaultwatch/db";
import { notFound } from "../errors";
import { pageAfter } from "../services/pagination";
import { createTRPCRouter, multiTenantProcedure } from "../trpc";

/** The event's REST fields a list row shows; the whole event comes with `get`. */
type EventJson = {
  caller?: string;
  status?: { value?: string; localizedValue?: string };
  subStatus?: { value?: string; localizedValue?: string };
  resourceGroupName?: string;
  description?: string;
};

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The activity log explorer: the events the tenants' workspaces received (what activity rules judge), newest first.
 * Status and caller live in the event's JSON (Azure's REST shape), so they filter through JSON paths.
 */
export const activityRouter = createTRPCRouter({
  list: multiTenantProcedure("alerts.read")
    .input(
      z.object({
        workspaceId: rowId.optional(),
        category: z.enum(activityCategories).optional(),
        level: z.array(z.enum(activityLevels)).max(activityLevels.length).optional(),
        /** `status.value`: Started, Accepted, Succeeded, Failed, Active, Resolved... */
        status: text(64).optional(),
        /** part of the resource id (case-insensitive) */
        resource: text(500).optional(),
        /** part of the caller (a UPN, an app id or a service's name) */
        caller: text(320).optional(),
        /** part of the operation name, e.g. `Microsoft.RecoveryServices/vaults/delete` */
        operation: text(300).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        cursor: rowId.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const json: Prisma.ActivityEventWhereInput[] = [];
      if (input.status) json.push({ event: { path: ["status", "value"], equals: input.status } });
      if (input.caller) json.push({ event: { path: ["caller"], string_contains: input.caller } });
      const where: Prisma.ActivityEventWhereInput = {
        tenantId: { in: ctx.tenantIds },
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        ...(input.category ? { category: input.category } : {}),
        ...(input.level ? { level: { in: input.level } } : {}),
        ...(input.resource ? { resourceId: { contains: input.resource, mode: "insensitive" } } : {}),
        ...(input.operation ? { operationName: { contains: input.operation, mode: "insensitive" } } : {}),
        ...(input.from || input.to
          ? { eventTimestamp: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } }
          : {}),
        ...(json.length ? { AND: json } : {}),
      };
      const page = await pageAfter(input.cursor, (id) => ctx.db.activityEvent.findFirst({ where: { AND: [where, { id }] }, select: { id: true } }));
      const rows = await ctx.db.activityEvent.findMany({
        where,
        select: {
          id: true,
          tenantId: true,
          workspaceId: true,
          category: true,
          level: true,
          operationName: true,
          resourceId: true,
          eventTimestamp: true,
          evaluatedAt: true,
          event: true,
          tenant: { select: { name: true, slug: true } },
          workspace: { select: { name: true } },
        },
        orderBy: [{ eventTimestamp: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...page,
      });
      const more = rows.length > input.limit;
      const items = rows.slice(0, input.limit).map(({ event, ...row }) => {
        const e = (event ?? {}) as EventJson;
        return {
          ...row,
          status: e.status?.value ?? null,
          subStatus: e.subStatus?.value || null,
          caller: e.caller ?? null,
          resourceGroup: e.resourceGroupName ?? null,
        };
      });
      return { items, nextCursor: more ? items[input.limit - 1]?.id : undefined };
    }),

  /** One event whole, in the activity log REST shape. */
  get: multiTenantProcedure("alerts.read")
    .input(z.object({ id: rowId }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.db.activityEvent.findFirst({
        where: { id: input.id, tenantId: { in: ctx.tenantIds } },
        select: {
          id: true,
          tenantId: true,
          workspaceId: true,
          eventTimestamp: true,
          ingestedAt: true,
          evaluatedAt: true,
          event: true,
          tenant: { select: { name: true, slug: true } },
          workspace: { select: { name: true } },
        },
      });
      if (!row) throw notFound("activity event");
      return row;
    }),
});
