/** The tenants table's filters and sort keys (tenants.page), as SQL over `tenant r`: only the caller's own tenants. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const tenantPageInput = z.object({
  ...pageFields,
  /** part of the name or slug, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "created", "vaults"]).default("name"),
});

export type TenantPageInput = z.output<typeof tenantPageInput>;

export function tenantFilter(userId: string, input: TenantPageInput): Prisma.Sql {
  // a membership row is what makes a tenant the caller's (a platform admin included: "All tenants" is the same set)
  const parts = [Prisma.sql`EXISTS (SELECT 1 FROM membership m WHERE m."tenantId" = r.id AND m."userId" = ${userId})`];
  if (input.search) {
    const pattern = containsPattern(input.search);
    parts.push(Prisma.sql`(r.name ILIKE ${pattern} OR r.slug ILIKE ${pattern})`);
  }
  return Prisma.join(parts, " AND ");
}

const byName = Prisma.sql`lower(r.name)`;
export const tenantSortKeys: Record<TenantPageInput["sort"], Prisma.Sql[]> = {
  name: [byName],
  created: [Prisma.sql`r."createdAt"`, byName],
  vaults: [Prisma.sql`(SELECT count(*) FROM vault v WHERE v."tenantId" = r.id)`, byName],
};
