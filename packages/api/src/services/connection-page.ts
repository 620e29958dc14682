/** The connections table's filters and sort keys (connections.page), as SQL over `azure_connection r`. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const connectionPageInput = z.object({
  ...pageFields,
  cloud: z.enum(["AzurePublic", "AzureUSGovernment", "AzureChina", "Custom"]).optional(),
  /** own: this tenant's credential; shared: a link to a connection another tenant shares (Azure Lighthouse) */
  origin: z.enum(["own", "shared"]).optional(),
  /** part of the name, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "lastTested", "updated"]).default("name"),
});

export type ConnectionPageInput = z.output<typeof connectionPageInput>;

export function connectionFilter(tenantId: string, input: ConnectionPageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.cloud) parts.push(Prisma.sql`r.cloud::text = ${input.cloud}`);
  if (input.origin) parts.push(input.origin === "own" ? Prisma.sql`r."sharedFromId" IS NULL` : Prisma.sql`r."sharedFromId" IS NOT NULL`);
  if (input.search) parts.push(Prisma.sql`r.name ILIKE ${containsPattern(input.search)}`);
  return Prisma.join(parts, " AND ");
}

const byName = Prisma.sql`lower(r.name)`;
export const connectionSortKeys: Record<ConnectionPageInput["sort"], Prisma.Sql[]> = {
  name: [byName],
  // never tested sorts as the oldest
  lastTested: [Prisma.sql`coalesce(r."lastTestedAt", '-infinity'::timestamptz)`, byName],
  updated: [Prisma.sql`r."updatedAt"`, byName],
};
