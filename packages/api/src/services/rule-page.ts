/** The rules table's filters and sort keys (rules.page), as SQL over `alert_rule r`. */
import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { containsPattern, pageFields } from "./keyset";

export const rulePageInput = z.object({
  ...pageFields,
  /** failing: the last evaluation failed; healthy: it went through; pending: never evaluated yet */
  health: z.enum(["failing", "healthy", "pending"]).optional(),
  kind: z.enum(["log", "activity"]).optional(),
  enabled: z.boolean().optional(),
  /** 0 (critical) … 4 (verbose), as Azure numbers them */
  severity: z.number().int().min(0).max(4).optional(),
  /** part of the rule's name, any case */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "severity", "lastEvaluated", "health"]).default("name"),
});

export type RulePageInput = z.output<typeof rulePageInput>;

const healthSql = {
  failing: Prisma.sql`r."consecutiveFailures" > 0`,
  healthy: Prisma.sql`r."consecutiveFailures" = 0 AND r."lastEvaluatedAt" IS NOT NULL`,
  pending: Prisma.sql`r."consecutiveFailures" = 0 AND r."lastEvaluatedAt" IS NULL`,
};

export function ruleFilter(tenantId: string, input: RulePageInput): Prisma.Sql {
  const parts = [Prisma.sql`r."tenantId" = ${tenantId}::uuid`];
  if (input.health) parts.push(healthSql[input.health]);
  if (input.kind) parts.push(Prisma.sql`r.kind = ${input.kind}::"AlertRuleKind"`);
  if (input.enabled !== undefined) parts.push(Prisma.sql`r.enabled = ${input.enabled}`);
  if (input.severity !== undefined) parts.push(Prisma.sql`r.severity = ${input.severity}`);
  if (input.search) parts.push(Prisma.sql`r.name ILIKE ${containsPattern(input.search)}`);
  return Prisma.join(parts, " AND ");
}

/**
 * Each sort's keys before the id. Ascending reads as a user expects: names A→Z whatever their case (the database
 * collates bytewise, which would put every capital first), the most severe first (Sev0), the
 * longest unevaluated first (never evaluated sorts as the oldest), failing before pending before healthy.
 */
const byName = Prisma.sql`lower(r.name)`;
export const ruleSortKeys: Record<RulePageInput["sort"], Prisma.Sql[]> = {
  name: [byName],
  severity: [Prisma.sql`r.severity`, byName],
  lastEvaluated: [Prisma.sql`coalesce(r."lastEvaluatedAt", '-infinity'::timestamptz)`, byName],
  health: [Prisma.sql`(CASE WHEN r."consecutiveFailures" > 0 THEN 0 WHEN r."lastEvaluatedAt" IS NULL THEN 1 ELSE 2 END)`, byName],
};
