/**
 * Discovery for one connection: list the Recovery Services vaults of every subscription of the tenant that the
 * connection serves, register the new ones, mark the ones no longer listed as vanished (never deleted: rules and
 * history point at them; the mark is cleared when one is listed again), and record each vault's diagnostic-settings
 * status. A subscription whose vaults cannot be listed keeps its vaults as they were (its error is in the report).
 *
 * Which subscriptions the connection sees that discovery registers in the tenant by itself (autoRegistrable below):
 * - an ordinary connection of the tenant that is shared with no other tenant registers those of its own Entra tenant
 *   (a customer's connection sees the customer's subscriptions); a subscription delegated to it through Lighthouse
 *   (another home tenant) belongs to that customer and is left for the customer's link;
 * - a linked connection registers the subscriptions its link allows (the source's tenant delegated exactly those);
 * - a connection shared with other tenants (a Lighthouse source) registers none: what it sees is its customers'
 *   (shared or not yet), and registering them in the MSP's tenant would claim them for the wrong tenant.
 * In every case a subscription any tenant has registered already is left alone (reported as unregistered here, or as
 * not linked when this tenant has it under another connection or none), so a subscription is never claimed twice.
 */
import type { Db } from "@vaultwatch/db";
import { mapLimited, type ParsedVaultId } from "@vaultwatch/schemas";
import { listSubscriptions, type SeenSubscription } from "../arm";
import { linkAllows } from "../credential";
import { entraAdvice } from "../entra-errors";
import { armFailureOf, listDiagnosticSettings, listVaults, type ArmTarget } from "./arm-reads";
import { armTargetOf } from "./connection";
import { diagnosticsStatusOf, type DiagnosticsStatus, type DiagnosticsStatusName } from "./status";

export type DiscoveryReport = {
  connectionId: string;
  startedAt: string;
  finishedAt: string;
  subscriptions: { subscriptionId: string; vaults: number; error: { code: string; message: string } | null }[];
  /** subscriptions the connection sees that this tenant has not registered (left alone) */
  unregistered: { subscriptionId: string; displayName: string }[];
  /** subscriptions this run registered in the tenant with this connection (see the module comment for which) */
  subscriptionsRegistered: { subscriptionId: string; displayName: string }[];
  /** subscriptions the connection sees that are registered here without it (another connection's or none: left alone) */
  notLinked: { subscriptionId: string; displayName: string }[];
  /** vault ARM ids */
  registered: string[];
  vanished: string[];
  reappeared: string[];
  statuses: Record<DiagnosticsStatusName, number>;
};

export type DiscoveryDeps = { db: Db; encryptionKey: Buffer; concurrency?: number; timeoutMs?: number };

export const DISCOVERY_DEFAULTS = { concurrency: 4, timeoutMs: 300_000 };

type VaultRow = { id: string; armIdLower: string; vanishedAt: Date | null; region: string | null };

/** The lower-cased ARM ids of the tenant's Azure workspaces (where backup data counts as sent "here"). */
export async function registeredWorkspaces(db: Db, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.workspace.findMany({ where: { tenantId, kind: "azure", armId: { not: null } }, select: { id: true, armId: true } });
  return new Map(rows.map((w) => [w.armId!.toLowerCase(), w.id]));
}

/** Reads one vault's diagnostic settings and keeps the status on its row (a vault with no workspace is linked to the one it sends to). */
export async function checkVaultDiagnostics(
  db: Db,
  arm: ArmTarget,
  vault: { id: string; tenantId: string; workspaceId: string | null } & ParsedVaultId,
  workspaces: Map<string, string>,
  abortSignal?: AbortSignal,
): Promise<DiagnosticsStatus> {
  let status: DiagnosticsStatus;
  try {
    status = diagnosticsStatusOf(await listDiagnosticSettings(arm, vault, abortSignal), new Set(workspaces.keys()));
  } catch (e) {
    const f = armFailureOf(e);
    status =
      f.status === 403
        ? { status: "forbidden", shape: null, categories: [], workspace: null, detail: `cannot read its diagnostic settings (needs Reader or Monitoring Reader on ${vault.armId}). Azure said: ${f.message}`.slice(0, 1000) }
        : { status: "error", shape: null, categories: [], workspace: null, detail: `${f.code}: ${f.message}`.slice(0, 1000) };
  }
  const linkTo = status.status === "sends" && !vault.workspaceId && status.workspace ? workspaces.get(status.workspace) : undefined;
  await db.vault.updateMany({
    where: { id: vault.id, tenantId: vault.tenantId },
    data: {
      diagnosticsStatus: status.status,
      diagnosticsShape: status.shape,
      diagnosticsCategories: status.categories,
      diagnosticsWorkspace: status.workspace,
      diagnosticsDetail: status.detail,
      diagnosticsCheckedAt: new Date(),
      ...(linkTo ? { workspaceId: linkTo } : {}),
    },
  });
  return status;
}

/** Which of the subscriptions a connection sees its discovery may register in the tenant (the rule in the module comment). */
async function autoRegistrable(db: Db, target: { tenantId: string; connectionId: string }): Promise<(s: SeenSubscription) => boolean> {
  const row = await db.azureConnection.findFirst({ where: { id: target.connectionId, tenantId: target.tenantId }, select: { sharedFromId: true, entraTenantId: true } });
  if (!row) return () => false;
  // a link: the caller already narrowed what it sees to the link's subscriptions
  if (row.sharedFromId) return () => true;
  // links to it live in other tenants: this reads only whether one exists
  if ((await db.azureConnection.count({ where: { sharedFromId: target.connectionId } })) > 0) return () => false;
  return (s) => !s.tenantId || s.tenantId.toLowerCase() === row.entraTenantId.toLowerCase();
}

/**
 * Registers each subscription that no tenant has registered yet, with the connection; returns those it registered. Each
 * registration checks every tenant under a lock on the subscription id, so two tenants' discoveries cannot both claim it.
 */
async function registerSeen(db: Db, target: { tenantId: string; connectionId: string }, candidates: SeenSubscription[]) {
  const registered: { subscriptionId: string; displayName: string }[] = [];
  for (const s of candidates) {
    const created = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`subscription:${s.subscriptionId}`}, 0))`;
      // across tenants on purpose, and only whether a row exists: a subscription belongs to at most one tenant here
      if (await tx.subscription.findFirst({ where: { azureSubscriptionId: s.subscriptionId }, select: { id: true } })) return false;
      await tx.subscription.create({ data: { tenantId: target.tenantId, azureSubscriptionId: s.subscriptionId, displayName: s.displayName, connectionId: target.connectionId } });
      return true;
    });
    if (created) registered.push({ subscriptionId: s.subscriptionId, displayName: s.displayName });
  }
  return registered;
}

export class DiscoveryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function discoverConnection(deps: DiscoveryDeps, target: { tenantId: string; connectionId: string }): Promise<DiscoveryReport> {
  const { db } = deps;
  const concurrency = deps.concurrency ?? DISCOVERY_DEFAULTS.concurrency;
  const abortSignal = AbortSignal.timeout(deps.timeoutMs ?? DISCOVERY_DEFAULTS.timeoutMs);
  const startedAt = new Date();
  const arm = await armTargetOf(db, deps.encryptionKey, target.tenantId, target.connectionId);
  if (!arm) throw new DiscoveryFailure("NoConnection", "the connection was removed");

  let seen;
  try {
    // a link sees only its delegated subscriptions: the source's others are neither listed nor reported to this tenant
    seen = (await listSubscriptions(arm.credential, arm.armEndpoint)).filter((s) => linkAllows(arm.subscriptionIds, s.subscriptionId));
  } catch (e) {
    const f = armFailureOf(e);
    if (/AADSTS\d+/.test(f.message) || (e as { name?: unknown }).name === "AuthenticationError") {
      const { code, advice } = entraAdvice(e);
      throw new DiscoveryFailure(code, `Sign-in failed: ${advice}`);
    }
    throw new DiscoveryFailure(f.code, `could not list the subscriptions the connection sees: ${f.message}`);
  }
  const subscriptionsRegistered = await registerSeen(db, target, seen.filter(await autoRegistrable(db, target)));
  const tenantSubs = await db.subscription.findMany({ where: { tenantId: target.tenantId }, select: { id: true, azureSubscriptionId: true, connectionId: true } });
  const known = new Set(tenantSubs.map((s) => s.azureSubscriptionId.toLowerCase()));
  const unregistered = seen.filter((s) => !known.has(s.subscriptionId)).map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName }));
  const served = tenantSubs.filter((s) => s.connectionId === target.connectionId && linkAllows(arm.subscriptionIds, s.azureSubscriptionId));
  const servedIds = new Set(served.map((s) => s.azureSubscriptionId.toLowerCase()));
  const notLinked = seen.filter((s) => known.has(s.subscriptionId) && !servedIds.has(s.subscriptionId)).map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName }));
  const workspaces = await registeredWorkspaces(db, target.tenantId);

  const report: DiscoveryReport = {
    connectionId: target.connectionId,
    startedAt: startedAt.toISOString(),
    finishedAt: "",
    subscriptions: [],
    unregistered,
    subscriptionsRegistered,
    notLinked,
    registered: [],
    vanished: [],
    reappeared: [],
    statuses: { sends: 0, elsewhere: 0, none: 0, forbidden: 0, error: 0 },
  };
  const listed: (ParsedVaultId & { id: string; workspaceId: string | null })[] = [];

  report.subscriptions = await mapLimited(served, concurrency, async (sub) => {
    let vaults;
    try {
      vaults = await listVaults(arm, sub.azureSubscriptionId, abortSignal);
    } catch (e) {
      const f = armFailureOf(e);
      return { subscriptionId: sub.azureSubscriptionId, vaults: 0, error: { code: f.code, message: f.message } };
    }
    const rows: VaultRow[] = await db.vault.findMany({ where: { tenantId: target.tenantId, subscriptionId: sub.id }, select: { id: true, armIdLower: true, vanishedAt: true, region: true } });
    const byId = new Map(rows.map((r) => [r.armIdLower, r]));
    const now = new Date();
    for (const v of vaults) {
      const row = byId.get(v.armIdLower);
      if (!row) {
        // another subscription row of this tenant cannot hold it: the ARM id names this subscription
        const created = await db.vault.upsert({
          where: { tenantId_armIdLower: { tenantId: target.tenantId, armIdLower: v.armIdLower } },
          create: { tenantId: target.tenantId, armId: v.armId, armIdLower: v.armIdLower, subscriptionId: sub.id, resourceGroup: v.resourceGroup, name: v.name, region: v.location, discoveredAt: now },
          update: { vanishedAt: null },
          select: { id: true, workspaceId: true },
        });
        report.registered.push(v.armId);
        listed.push({ ...v, ...created });
        continue;
      }
      if (row.vanishedAt || (!row.region && v.location)) {
        await db.vault.updateMany({ where: { id: row.id, tenantId: target.tenantId }, data: { vanishedAt: null, ...(!row.region && v.location ? { region: v.location } : {}) } });
        if (row.vanishedAt) report.reappeared.push(v.armId);
      }
      const current = await db.vault.findFirstOrThrow({ where: { id: row.id, tenantId: target.tenantId }, select: { id: true, workspaceId: true } });
      listed.push({ ...v, ...current });
    }
    const listedIds = new Set(vaults.map((v) => v.armIdLower));
    const gone = rows.filter((r) => !r.vanishedAt && !listedIds.has(r.armIdLower));
    if (gone.length) {
      await db.vault.updateMany({ where: { tenantId: target.tenantId, id: { in: gone.map((r) => r.id) } }, data: { vanishedAt: now } });
      const armIds = await db.vault.findMany({ where: { tenantId: target.tenantId, id: { in: gone.map((r) => r.id) } }, select: { armId: true } });
      report.vanished.push(...armIds.map((r) => r.armId));
    }
    return { subscriptionId: sub.azureSubscriptionId, vaults: vaults.length, error: null };
  });

  await mapLimited(listed, concurrency, async (v) => {
    const status = await checkVaultDiagnostics(db, arm, { ...v, tenantId: target.tenantId }, workspaces, abortSignal);
    report.statuses[status.status]++;
  });
  report.finishedAt = new Date().toISOString();
  return report;
}
