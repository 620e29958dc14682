import { slugify } from "@vaultwatch/schemas";
import type { Db, Tx } from "@vaultwatch/db";
import { writeAudit, type Actor } from "../audit";

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
