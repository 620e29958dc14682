/** The subscriptions table's filters and sort keys (subscriptions.page), as SQL over `subscription r`. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const subscriptionPageInput = z.object({
  ...pageFields,
  /** with: reached through an Azure connection; without: registered by id only */
  connection: z.enum(["with", "without"]).optional(),
  /** on: its activity log is polled into a local workspace */
  polling: z.enum(["on", "off"]).optional(),
  /** part of the display name or of the subscription GUID, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "added", "vaults"]).default("name"),
});

export type SubscriptionPageInput = z.output<typeof subscriptionPageInput>;

// what the table shows as the name: the display name, else the GUID
const shownName = Prisma.sql`lower(coalesce(r."displayName", r."azureSubscriptionId"::text))`;

export function subscriptionFilter(tenantId: string, input: SubscriptionPageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.connection) parts.push(input.connection === "with" ? Prisma.sql`r."connectionId" IS NOT NULL` : Prisma.sql`r."connectionId" IS NULL`);
  if (input.polling) parts.push(input.polling === "on" ? Prisma.sql`r."activityWorkspaceId" IS NOT NULL` : Prisma.sql`r."activityWorkspaceId" IS NULL`);
  if (input.search) {
    const pattern = containsPattern(input.search);
    parts.push(Prisma.sql`(coalesce(r."displayName", '') ILIKE ${pattern} OR r."azureSubscriptionId"::text ILIKE ${pattern})`);
  }
  return Prisma.join(parts, " AND ");
}

export const subscriptionSortKeys: Record<SubscriptionPageInput["sort"], Prisma.Sql[]> = {
  name: [shownName],
  added: [Prisma.sql`r."createdAt"`, shownName],
  vaults: [Prisma.sql`(SELECT count(*) FROM vault v WHERE v."subscriptionId" = r.id AND v."tenantId" = r."tenantId")`, shownName],
};
