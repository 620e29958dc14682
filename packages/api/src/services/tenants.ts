import { TRPCError } from "@trpc/server";
import { slugify } from "@vaultwatch/schemas";
import type { Db, Tx } from "@vaultwatch/db";
import { writeAudit, type Actor } from "../audit";
import { dropSchemasIn, inDeletionTransaction, type DeletionOptions } from "./deletion";

/** Pick a free slug: `acme`, then `acme-2`, `acme-3`, ... */
async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await tx.tenant.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((t) => t.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Create a tenant; `ownerUserId` becomes its first owner. */
export async function createTenant(db: Db, actor: Actor, input: { name: string; ownerUserId: string | null }) {
  return db.$transaction(async (tx) => {
    const slug = await freeSlug(tx, input.name);
    const tenant = await tx.tenant.create({ data: { name: input.name, slug } });
    if (input.ownerUserId) {
      await tx.membership.create({ data: { tenantId: tenant.id, userId: input.ownerUserId, role: "owner" } });
    }
    await writeAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "tenant.create",
      targetType: "tenant",
      targetId: tenant.id,
      after: tenant,
    });
    return tenant;
  });
}

/**
 * Deletes a tenant and every row it owns (memberships, invitations, connections, subscriptions, workspaces with their
 * `lw_` schemas, activity events and evaluations, vaults, rules, alerts and their history, outbox, silences, action
 * groups, and its audit trail), in one transaction. One platform-level audit row records the deletion itself, naming
 * only the tenant's id and name: the tenant's own trail goes, since it is tenant data (actors' emails, object names,
 * settings), but who deleted which tenant when must outlive it. Users stay: they are platform accounts that may
 * belong to other tenants. Returns the ids of the rules that went, for their schedules to follow.
 */
export async function deleteTenant(db: Db, actor: Actor, tenant: { id: string; name: string }, options: DeletionOptions = {}) {
  return inDeletionTransaction(db, "tenantId: the tenant", options, async (tx) => {
    const workspaceIds = async () => (await tx.workspace.findMany({ where: { tenantId: tenant.id }, select: { id: true } })).map((w) => w.id);
    // ingest locks and schemas first (an ingest holding its lock still writes rows that reference the tenant row)
    const first = await workspaceIds();
    await dropSchemasIn(tx, first);
    // from here no workspace or other row can be added to the tenant; drop any workspace created in between
    await tx.$executeRaw`SELECT 1 FROM tenant WHERE id = ${tenant.id}::uuid FOR UPDATE`;
    const late = (await workspaceIds()).filter((id) => !first.includes(id));
    if (late.length) await dropSchemasIn(tx, late);
    // a connection shared with other tenants (Azure Lighthouse) serves them: deleting it would stop their monitoring
    // behind their backs, so its links are removed first, knowingly (links within this tenant go with it)
    const links = await tx.azureConnection.findMany({
      where: { sharedFrom: { tenantId: tenant.id }, tenantId: { not: tenant.id } },
      select: { tenant: { select: { name: true } }, sharedFrom: { select: { name: true } } },
    });
    if (links.length) {
      const shared = links.map((l) => `"${l.sharedFrom?.name}" with "${l.tenant.name}"`).join(", ");
      throw new TRPCError({ code: "CONFLICT", message: `tenantId: its connections are shared with other tenants (${shared}): unshare them first` });
    }
    const rules = await tx.alertRule.findMany({ where: { tenantId: tenant.id }, select: { id: true } });
    // every tenant-owned table references the tenant (directly or through a row that does) with ON DELETE CASCADE
    await tx.tenant.delete({ where: { id: tenant.id } });
    await writeAudit(tx, {
      tenantId: null,
      actor,
      action: "tenant.delete",
      targetType: "tenant",
      targetId: tenant.id,
      before: { id: tenant.id, name: tenant.name },
    });
    return { deleted: tenant.id, ruleIds: rules.map((r) => r.id) };
  });
}
