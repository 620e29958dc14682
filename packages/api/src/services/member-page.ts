/** The members table's filters and sort keys (members.page), as SQL over `membership r` and its user. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const memberPageInput = z.object({
  ...pageFields,
  role: z.enum(["owner", "admin", "operator", "viewer"]).optional(),
  /** part of the name or email, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["email", "name", "role", "joined"]).default("email"),
});

export type MemberPageInput = z.output<typeof memberPageInput>;

const userColumn = (column: Prisma.Sql) => Prisma.sql`(SELECT lower(u.${column}) FROM "user" u WHERE u.id = r."userId")`;
const byEmail = userColumn(Prisma.sql`email`);

export function memberFilter(tenantId: string, input: MemberPageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.role) parts.push(Prisma.sql`r.role = ${input.role}::"Role"`);
  if (input.search) {
    const pattern = containsPattern(input.search);
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "user" u WHERE u.id = r."userId" AND (u.email ILIKE ${pattern} OR u.name ILIKE ${pattern}))`);
  }
  return Prisma.join(parts, " AND ");
}

export const memberSortKeys: Record<MemberPageInput["sort"], Prisma.Sql[]> = {
  email: [byEmail],
  name: [userColumn(Prisma.sql`name`), byEmail],
  // by power: owner first when ascending
  role: [Prisma.sql`array_position(ARRAY['owner','admin','operator','viewer']::"Role"[], r.role)`, byEmail],
  joined: [Prisma.sql`r."createdAt"`, byEmail],
};
