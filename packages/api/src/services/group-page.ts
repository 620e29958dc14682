/** The action groups table's filters and sort keys (actionGroups.page), as SQL over `action_group r`. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const groupPageInput = z.object({
  ...pageFields,
  /** dead: a receiver's dead-channel alert is raised; failing: a receiver's last deliveries failed or it is skipped */
  health: z.enum(["dead", "failing"]).optional(),
  enabled: z.boolean().optional(),
  /** part of the group's name or short name, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "rules"]).default("name"),
});

export type GroupPageInput = z.output<typeof groupPageInput>;

// a notify_endpoint row counts only while the group still has a receiver of that name (receivers is a JSON array)
const endpointOf = (condition: Prisma.Sql) => Prisma.sql`EXISTS (
  SELECT 1 FROM notify_endpoint e
  WHERE e."actionGroupId" = r.id AND (${condition})
    AND e."receiverName" IN (SELECT x->>'name' FROM jsonb_array_elements(r.receivers) x))`;

const healthSql = {
  dead: endpointOf(Prisma.sql`e."alertRaisedAt" IS NOT NULL`),
  failing: endpointOf(Prisma.sql`e."consecutiveFailures" > 0 OR e."failingSince" IS NOT NULL OR e."skippedUntil" > now()`),
};

export function groupFilter(tenantId: string, input: GroupPageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.health) parts.push(healthSql[input.health]);
  if (input.enabled !== undefined) parts.push(Prisma.sql`r.enabled = ${input.enabled}`);
  if (input.search) {
    const pattern = containsPattern(input.search);
    parts.push(Prisma.sql`(r.name ILIKE ${pattern} OR coalesce(r."shortName", '') ILIKE ${pattern})`);
  }
  return Prisma.join(parts, " AND ");
}

const byName = Prisma.sql`lower(r.name)`;
export const groupSortKeys: Record<GroupPageInput["sort"], Prisma.Sql[]> = {
  name: [byName],
  rules: [Prisma.sql`(SELECT count(*) FROM alert_rule_action_group l WHERE l."actionGroupId" = r.id AND l."tenantId" = r."tenantId")`, byName],
};
