import { z } from "zod";
import { tenantOverview, tenantSorts, workspaceOverview, workspaceSorts } from "../services/overview";
import { createTRPCRouter, multiTenantProcedure } from "../trpc";

const page = { offset: z.number().int().min(0).max(100_000).default(0), limit: z.number().int().min(1).max(100).default(25), dir: z.enum(["asc", "desc"]).default("desc") };

/**
 * The landing page: which customers need attention, from the worker's workspace summaries and the alerting tables.
 * Reads Postgres only; never runs a query on a workspace.
 */
export const overviewRouter = createTRPCRouter({
  /** Per tenant, worst first by default, one page, plus the totals over every tenant in scope. */
  tenants: multiTenantProcedure("tenant.read")
    .input(z.object({ ...page, sort: z.enum(tenantSorts).default("worst"), search: z.string().trim().max(100).optional() }))
    .query(({ ctx, input }) => tenantOverview(ctx.db, { ...input, tenantIds: ctx.tenantIds })),

  /** The workspaces behind those numbers, worst first by default; `blind` keeps only blind (or only seeing) ones. */
  workspaces: multiTenantProcedure("workspaces.read")
    .input(z.object({ ...page, sort: z.enum(workspaceSorts).default("worst"), blind: z.boolean().optional() }))
    .query(({ ctx, input }) => workspaceOverview(ctx.db, { ...input, tenantIds: ctx.tenantIds })),
});
