/** The workspaces table's filters and sort keys (workspaces.page), as SQL over `workspace r`. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const workspacePageInput = z.object({
  ...pageFields,
  kind: z.enum(["local", "azure"]).optional(),
  /** part of the name, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "kind", "vaults", "created"]).default("name"),
});

export type WorkspacePageInput = z.output<typeof workspacePageInput>;

export function workspaceFilter(tenantId: string, input: WorkspacePageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.kind) parts.push(Prisma.sql`r.kind = ${input.kind}::"WorkspaceKind"`);
  if (input.search) parts.push(Prisma.sql`r.name ILIKE ${containsPattern(input.search)}`);
  return Prisma.join(parts, " AND ");
}

const byName = Prisma.sql`lower(r.name)`;
export const workspaceSortKeys: Record<WorkspacePageInput["sort"], Prisma.Sql[]> = {
  name: [byName],
  kind: [Prisma.sql`r.kind::text`, byName],
  vaults: [Prisma.sql`(SELECT count(*) FROM vault v WHERE v."workspaceId" = r.id AND v."tenantId" = r."tenantId")`, byName],
  created: [Prisma.sql`r."createdAt"`, byName],
};
