import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { applyDiagnosticsFix, FixInputError, FixPlanChanged, planDiagnosticsFix, runDiscovery, type DiscoveryReport } from "@vaultwatch/azure";
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
  vanishedAt: true,
  discoveredAt: true,
  diagnosticsStatus: true,
  diagnosticsShape: true,
  diagnosticsCategories: true,
  diagnosticsWorkspace: true,
  diagnosticsDetail: true,
  diagnosticsCheckedAt: true,
  subscription: { select: { id: true, azureSubscriptionId: true, displayName: true } },
  workspace: { select: { id: true, name: true, kind: true } },
  tenant: { select: { id: true, name: true, slug: true } },
} as const;

/** The fix's scope: one vault of the tenant, or all of them; `legacy`: AzureBackupReport instead of the six resource-specific categories. */
const fixInput = z.object({ vaultId: rowId.optional(), legacy: z.boolean().default(false) });
/** The apply also brings back the fingerprint of the plan the person reviewed (planDiagnosticsFix returns it). */
const applyInput = fixInput.extend({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "fingerprint must be the 64-character fingerprint planDiagnosticsFix returned"),
});

/** The fix's refusals of its input as the API's field errors (the plan's per-vault problems are answers, not errors). */
async function fixCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof FixInputError) throw badInput(e.field, e.message);
    if (e instanceof FixPlanChanged) throw new TRPCError({ code: "CONFLICT", message: e.message });
    throw e;
  }
}

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

  /**
   * Discover now: every connection of the tenant registers the subscriptions it may (discover.ts says which), lists
   * its subscriptions' vaults, registers new ones, marks vanished
   * ones and reads each vault's diagnostic settings (what the worker does every DISCOVERY_INTERVAL_SECONDS). A
   * connection Azure refuses is an outcome with Azure's code, recorded on it as the worker's runs are.
   */
  discover: permissionProcedure("vaults.write").mutation(async ({ ctx }) => {
    const connections = await ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id }, select: { id: true, name: true }, orderBy: { name: "asc" } });
    const outcomes = [];
    for (const c of connections) {
      const outcome = await runDiscovery({ db: ctx.db, encryptionKey: ctx.encryptionKey }, { tenantId: ctx.tenant.id, connectionId: c.id });
      outcomes.push({ connectionId: c.id, connectionName: c.name, ...outcome });
    }
    const reports = outcomes.flatMap((o) => (o.ok ? [o.report] : []));
    const sum = (pick: (r: DiscoveryReport) => string[]) => reports.flatMap(pick);
    await writeAudit(ctx.db, {
      tenantId: ctx.tenant.id,
      actor: ctx.user,
      action: "vault.discover",
      targetType: "vault",
      after: {
        subscriptionsRegistered: sum((r) => (r.subscriptionsRegistered ?? []).map((x) => x.subscriptionId)),
        registered: sum((r) => r.registered),
        vanished: sum((r) => r.vanished),
        reappeared: sum((r) => r.reappeared),
        failed: outcomes.filter((o) => !o.ok).map((o) => o.connectionName),
      },
    });
    return { outcomes };
  }),

  /** Each connection's discovery: last run, next run, the error that stopped it, and the subscriptions it left alone. */
  discoveryState: permissionProcedure("vaults.read").query(async ({ ctx }) => {
    const connections = await ctx.db.azureConnection.findMany({
      where: { tenantId: ctx.tenant.id },
      select: { id: true, name: true, discovery: true },
      orderBy: { name: "asc" },
    });
    return connections.map((c) => {
      const report = c.discovery?.lastReport as DiscoveryReport | null | undefined;
      return {
        connectionId: c.id,
        connectionName: c.name,
        lastRunAt: c.discovery?.lastRunAt ?? null,
        lastSuccessAt: c.discovery?.lastSuccessAt ?? null,
        nextRunAt: c.discovery?.nextRunAt ?? null,
        errorCode: c.discovery?.lastErrorCode ?? null,
        error: c.discovery?.lastError ?? null,
        unregistered: report?.unregistered ?? [],
        // reports stored before discovery registered subscriptions have no such list
        subscriptionsRegistered: report?.subscriptionsRegistered ?? [],
        notLinked: report?.notLinked ?? [],
        subscriptionErrors: (report?.subscriptions ?? []).filter((s) => s.error),
      };
    });
  }),

  /** What fixing the diagnostic settings would change, per vault (nothing is written): what the confirmation lists. */
  planDiagnosticsFix: permissionProcedure("vaults.write")
    .input(fixInput)
    .mutation(({ ctx, input }) =>
      fixCall(() => planDiagnosticsFix({ db: ctx.db, encryptionKey: ctx.encryptionKey }, { tenantId: ctx.tenant.id, legacy: input.legacy, ...(input.vaultId ? { vaultId: input.vaultId } : {}) })),
    ),

  /**
   * Fix the diagnostic settings (after the confirmation): the plan is made again from what Azure holds now and
   * applied vault by vault only if it is the plan the person confirmed (its `fingerprint`); otherwise CONFLICT "the
   * diagnostic settings changed since you reviewed them; review again" and nothing is written. Every change is in the
   * audit log, and each vault's status is read again. A vault Azure refuses (403: the connection lacks Monitoring
   * Contributor there) is that vault's error; the others proceed.
   */
  fixDiagnostics: permissionProcedure("vaults.write")
    .input(applyInput)
    .mutation(async ({ ctx, input }) => {
      const applied = await fixCall(() =>
        applyDiagnosticsFix(
          { db: ctx.db, encryptionKey: ctx.encryptionKey },
          { tenantId: ctx.tenant.id, legacy: input.legacy, fingerprint: input.fingerprint, ...(input.vaultId ? { vaultId: input.vaultId } : {}) },
        ),
      );
      for (const r of applied.results) {
        if (!r.ok || r.action === "none") continue;
        await writeAudit(ctx.db, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "vault.diagnostics.fix",
          targetType: "vault",
          targetId: r.vaultId,
          before: { armId: r.vaultArmId, setting: r.settingName, ...r.before },
          after: { armId: r.vaultArmId, setting: r.settingName, action: r.action, ...r.after },
        });
      }
      return applied;
    }),

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
