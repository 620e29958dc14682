import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Prisma, Tx } from "@vaultwatch/db";
import { parseBulkVaults, region, rowId, vaultArmId, type ParsedVaultId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { pageAfter } from "../services/pagination";
import { createTRPCRouter, multiTenantProcedure, permissionProcedure } from "../trpc";

const MAX_BULK_TEXT = 512 * 1024;
const MAX_BULK_VAULTS = 2000;

async function assertWorkspace(tx: Tx, tenantId: string, workspaceId: string | null | undefined) {
  if (!workspaceId) return null;
  const ws = await tx.workspace.findFirst({ where: { id: workspaceId, tenantId }, select: { id: true } });
  if (!ws) throw badInput("workspaceId", "no such workspace in this tenant");
  return ws.id;
}

/** The tenant's Subscription rows for these Azure subscription ids, creating the missing ones. */
async function subscriptionsFor(tx: Tx, tenantId: string, azureIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(azureIds)];
  await tx.subscription.createMany({
    data: unique.map((azureSubscriptionId) => ({ tenantId, azureSubscriptionId })),
    skipDuplicates: true,
  });
  const rows = await tx.subscription.findMany({
    where: { tenantId, azureSubscriptionId: { in: unique } },
    select: { id: true, azureSubscriptionId: true },
  });
  return new Map(rows.map((r) => [r.azureSubscriptionId, r.id]));
}

const vaultView = {
  id: true,
  tenantId: true,
  armId: true,
  name: true,
  resourceGroup: true,
  region: true,
  createdAt: true,
  subscription: { select: { id: true, azureSubscriptionId: true, displayName: true } },
  workspace: { select: { id: true, name: true, kind: true } },
  tenant: { select: { id: true, name: true, slug: true } },
} as const;

export const vaultsRouter = createTRPCRouter({
  /** Vaults across the caller's tenants (or the ones named), filtered and paged by name. */
  list: multiTenantProcedure("vaults.read")
    .input(
      z.object({
        search: z.string().trim().max(200).optional(),
        azureSubscriptionId: z.string().trim().max(64).optional(),
        resourceGroup: z.string().trim().max(90).optional(),
        region: z.string().trim().max(40).optional(),
        workspaceId: rowId.optional(),
        unlinked: z.boolean().optional(),
        cursor: rowId.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: Prisma.VaultWhereInput = {
        tenantId: { in: ctx.tenantIds },
        ...(input.search
          ? {
              OR: [
                { name: { contains: input.search, mode: "insensitive" } },
                { armIdLower: { contains: input.search.toLowerCase() } },
              ],
            }
          : {}),
        ...(input.azureSubscriptionId
          ? { subscription: { azureSubscriptionId: input.azureSubscriptionId.toLowerCase() } }
          : {}),
        ...(input.resourceGroup ? { resourceGroup: { equals: input.resourceGroup, mode: "insensitive" } } : {}),
        ...(input.region ? { region: input.region.replace(/\s+/g, "").toLowerCase() } : {}),
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        ...(input.unlinked ? { workspaceId: null } : {}),
      };
      const page = await pageAfter(input.cursor, (id) => ctx.db.vault.findFirst({ where: { AND: [where, { id }] }, select: { id: true } }));
      const [items, total] = await Promise.all([
        ctx.db.vault.findMany({
          where,
          select: vaultView,
          orderBy: [{ name: "asc" }, { id: "asc" }],
          take: input.limit + 1,
          ...page,
        }),
        ctx.db.vault.count({ where }),
      ]);
      const more = items.length > input.limit;
      return { items: items.slice(0, input.limit), nextCursor: more ? items[input.limit - 1]?.id : undefined, total };
    }),

  register: permissionProcedure("vaults.write")
    .input(z.object({ armId: vaultArmId, region: region.optional(), workspaceId: rowId.nullish() }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const workspaceId = await assertWorkspace(tx, ctx.tenant.id, input.workspaceId);
        const subs = await subscriptionsFor(tx, ctx.tenant.id, [input.armId.subscriptionId]);
        const vault = await tx.vault.create({
          data: vaultData(ctx.tenant.id, input.armId, subs, input.region ?? null, workspaceId),
          select: vaultView,
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "vault.register",
          targetType: "vault",
          targetId: vault.id,
          after: { armId: vault.armId, region: vault.region, workspaceId },
        });
        return vault;
      }),
    ),

  /**
   * Import many vaults from pasted JSON or CSV. Every bad line is reported and then nothing is imported; vaults
   * already registered are skipped. `dryRun` validates only (the form's preview).
   */
  bulkImport: permissionProcedure("vaults.write")
    .input(
      z.object({
        text: z.string().max(MAX_BULK_TEXT, `must be at most ${MAX_BULK_TEXT / 1024} KB`),
        workspaceId: rowId.nullish(),
        dryRun: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const parsed = parseBulkVaults(input.text, MAX_BULK_VAULTS);
      if (parsed.errors.length > 0) {
        return { ok: false as const, created: 0, skipped: 0, errors: parsed.errors };
      }
      return ctx.db.$transaction(async (tx) => {
        const workspaceId = await assertWorkspace(tx, ctx.tenant.id, input.workspaceId);
        const existing = new Set(
          (
            await tx.vault.findMany({
              where: { tenantId: ctx.tenant.id, armIdLower: { in: parsed.vaults.map((v) => v.armIdLower) } },
              select: { armIdLower: true },
            })
          ).map((v) => v.armIdLower),
        );
        const fresh = parsed.vaults.filter((v) => !existing.has(v.armIdLower));
        if (input.dryRun || fresh.length === 0) {
          return { ok: true as const, created: 0, wouldCreate: fresh.length, skipped: existing.size, errors: [] };
        }
        const subs = await subscriptionsFor(
          tx,
          ctx.tenant.id,
          fresh.map((v) => v.subscriptionId),
        );
        await tx.vault.createMany({
          data: fresh.map((v) => vaultData(ctx.tenant.id, v, subs, v.region ?? null, workspaceId)),
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "vault.bulkImport",
          targetType: "vault",
          after: { created: fresh.map((v) => v.armId), skipped: existing.size, workspaceId },
        });
        return { ok: true as const, created: fresh.length, wouldCreate: fresh.length, skipped: existing.size, errors: [] };
      });
    }),

  /** Link vaults to a workspace (where their diagnostics go), or unlink them with `workspaceId: null`. */
  linkWorkspace: permissionProcedure("vaults.write")
    .input(z.object({ vaultIds: z.array(rowId).min(1).max(MAX_BULK_VAULTS), workspaceId: rowId.nullable() }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const workspaceId = await assertWorkspace(tx, ctx.tenant.id, input.workspaceId);
        const vaults = await tx.vault.findMany({
          where: { id: { in: input.vaultIds }, tenantId: ctx.tenant.id },
          select: { id: true, workspaceId: true },
        });
        if (vaults.length !== new Set(input.vaultIds).size) throw notFound("vault");
        await tx.vault.updateMany({ where: { id: { in: input.vaultIds }, tenantId: ctx.tenant.id }, data: { workspaceId } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "vault.linkWorkspace",
          targetType: "vault",
          targetId: vaults.length === 1 ? vaults[0]?.id : null,
          before: vaults,
          after: { vaultIds: input.vaultIds, workspaceId },
        });
        return { updated: vaults.length };
      }),
    ),

  remove: permissionProcedure("vaults.write")
    .input(z.object({ vaultId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const vault = await tx.vault.findFirst({ where: { id: input.vaultId, tenantId: ctx.tenant.id } });
        if (!vault) throw notFound("vault");
        await tx.vault.delete({ where: { id: vault.id } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "vault.remove",
          targetType: "vault",
          targetId: vault.id,
          before: { armId: vault.armId, region: vault.region, workspaceId: vault.workspaceId },
        });
        return { removed: vault.id };
      }),
    ),
});

function vaultData(
  tenantId: string,
  v: ParsedVaultId,
  subs: Map<string, string>,
  regionName: string | null,
  workspaceId: string | null,
) {
  const subscriptionId = subs.get(v.subscriptionId);
  if (!subscriptionId) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "subscription row missing" });
  return {
    tenantId,
    armId: v.armId,
    armIdLower: v.armIdLower,
    subscriptionId,
    resourceGroup: v.resourceGroup,
    name: v.name,
    region: regionName,
    workspaceId,
  };
}
