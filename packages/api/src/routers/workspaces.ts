import { z } from "zod";
import { generateApiKey, Prisma } from "@vaultwatch/db";
import { backupDataState } from "@vaultwatch/evaluator";
import { displayName, guid, rowId, workspaceArmId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { createLocalWorkspace, removeWorkspace, workspacePublicFields } from "../services/workspaces";
import { inPageOrder, keysetPage } from "../services/keyset";
import { workspaceFilter, workspacePageInput, workspaceSortKeys } from "../services/workspace-page";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import type { Context } from "../context";

export { workspacePublicFields };

const listedFields = {
  ...workspacePublicFields,
  connection: { select: { id: true, name: true } },
  _count: { select: { vaults: true } },
} as const;

type Listed = Prisma.WorkspaceGetPayload<{ select: typeof listedFields }>;

function withBackupData(ctx: Context & { tenant: { id: string } }, rows: Listed[]) {
  const runner = ctx.queryRunner;
  return Promise.all(
    rows.map(async ({ _count, ...w }) => ({
      ...w,
      vaultCount: _count.vaults,
      // receiving / blind / never: a silent workspace must never look healthy
      backupData: runner ? await backupDataState(runner, { ...w, tenantId: ctx.tenant.id }) : null,
    })),
  );
}

export const workspacesRouter = createTRPCRouter({
  list: permissionProcedure("workspaces.read").query(async ({ ctx }) => {
    const rows = await ctx.db.workspace.findMany({ where: { tenantId: ctx.tenant.id }, select: listedFields, orderBy: { name: "asc" } });
    return withBackupData(ctx, rows);
  }),

  /**
   * One page of the workspaces table, filtered and sorted in SQL. Each row's backup-data state asks its workspace, so
   * a page asks only its own workspaces, not the tenant's every one.
   */
  page: permissionProcedure("workspaces.read")
    .input(workspacePageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("workspace"),
        where: workspaceFilter(ctx.tenant.id, input),
        keys: workspaceSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const rows = await ctx.db.workspace.findMany({ where: { tenantId: ctx.tenant.id, id: { in: page.items } }, select: listedFields });
      return { ...page, items: await withBackupData(ctx, inPageOrder(page.items, rows)) };
    }),

  /** A customer's Log Analytics workspace, queried with the tenant's Azure connection. */
  createAzure: permissionProcedure("workspaces.write")
    .input(z.object({ name: displayName, azureWorkspaceId: guid, armId: workspaceArmId, connectionId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const conn = await tx.azureConnection.findFirst({
          where: { id: input.connectionId, tenantId: ctx.tenant.id },
          select: { id: true, name: true, sharedFromId: true, subscriptionIds: true },
        });
        if (!conn) throw badInput("connectionId", "no such connection in this tenant");
        // a link (Azure Lighthouse) reaches only its delegated subscriptions: the workspace must live in one of them
        const subscription = /^\/subscriptions\/([^/]+)\//i.exec(input.armId)?.[1]?.toLowerCase();
        if (conn.sharedFromId && !conn.subscriptionIds.some((s) => s.toLowerCase() === subscription)) {
          throw badInput("armId", `the workspace's subscription is not among the subscriptions shared with this tenant through the connection "${conn.name}"`);
        }
        const ws = await tx.workspace.create({
          data: {
            tenantId: ctx.tenant.id,
            name: input.name,
            kind: "azure",
            azureWorkspaceId: input.azureWorkspaceId,
            armId: input.armId,
            connectionId: conn.id,
          },
          select: workspacePublicFields,
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "workspace.create",
          targetType: "workspace",
          targetId: ws.id,
          after: ws,
        });
        return ws;
      }),
    ),

  /** A local workspace (data pushed to Vaultwatch). Its keys are in this response only. */
  createLocal: permissionProcedure("workspaces.write")
    .input(z.object({ name: displayName }))
    .mutation(async ({ ctx, input }) => {
      const { workspace, keys } = await createLocalWorkspace(ctx.db, ctx.user, {
        tenantId: ctx.tenant.id,
        name: input.name,
      });
      return { id: workspace.id, name: workspace.name, kind: workspace.kind, ...keys };
    }),

  /** New ingest and/or query key; the old one stops working at once. The new key is shown in this response only. */
  rotateKeys: permissionProcedure("workspaces.rotateKeys")
    .input(z.object({ workspaceId: rowId, which: z.enum(["ingest", "query", "both"]).default("both") }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const ws = await tx.workspace.findFirst({ where: { id: input.workspaceId, tenantId: ctx.tenant.id } });
        if (!ws) throw notFound("workspace");
        if (ws.kind !== "local") throw badInput("workspaceId", "only local workspaces have keys");
        const ingest = input.which !== "query" ? generateApiKey("vwi") : null;
        const query = input.which !== "ingest" ? generateApiKey("vwq") : null;
        await tx.workspace.update({
          where: { id: ws.id },
          data: {
            ...(ingest ? { ingestKeyHash: ingest.hash, ingestKeyHint: ingest.hint } : {}),
            ...(query ? { queryKeyHash: query.hash, queryKeyHint: query.hint } : {}),
            keysRotatedAt: new Date(),
          },
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "workspace.rotateKeys",
          targetType: "workspace",
          targetId: ws.id,
          after: { which: input.which },
        });
        return { id: ws.id, ingestKey: ingest?.key ?? null, queryKey: query?.key ?? null };
      }),
    ),

  /** Deletes a workspace and everything that is its own (see removeWorkspace); vaults linked to it become unlinked. */
  remove: permissionProcedure("workspaces.write")
    .input(z.object({ workspaceId: rowId }))
    .mutation(({ ctx, input }) => removeWorkspace(ctx.db, ctx.user, { tenantId: ctx.tenant.id, workspaceId: input.workspaceId })),
});
