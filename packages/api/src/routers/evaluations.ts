import { z } from "zod";
import { Prisma } from "@vaultwatch/db";
import { rowId } from "@vaultwatch/schemas";
import { notFound } from "../errors";
import { createTRPCRouter, multiTenantProcedure } from "../trpc";
import type { Context } from "../context";

type RunRow = {
  ruleId: string;
  workspaceId: string;
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  ruleName: string;
  ruleKind: string;
  enabled: boolean;
  consecutiveFailures: number;
  workspaceName: string;
  runs: number;
  errors: number;
  fired: number;
  unfinished: number;
  avgMs: number | null;
  maxMs: number | null;
  maxLateMs: number | null;
  lastScheduledFor: Date;
  lastStartedAt: Date;
  lastFinishedAt: Date | null;
  lastOutcome: string | null;
  lastRows: number | null;
  lastError: string | null;
  lastMs: number | null;
  lastLateMs: number | null;
  total: number;
};

const dirSql = (dir: "asc" | "desc") => (dir === "asc" ? Prisma.sql`ASC NULLS LAST` : Prisma.sql`DESC NULLS LAST`);

/** The summary's sorts; a run still going has no duration yet and sorts after the finished ones either way. */
function pairOrder(sort: "attention" | "lastRun" | "duration" | "lateness" | "errors", dir: "asc" | "desc"): Prisma.Sql {
  const d = dirSql(dir);
  switch (sort) {
    case "attention":
      return Prisma.sql`(l.outcome = 'error') ${d}, t.errors ${d}`;
    case "lastRun":
      return Prisma.sql`l."startedAt" ${d}`;
    case "duration":
      return Prisma.sql`(l."finishedAt" - l."startedAt") ${d}`;
    case "lateness":
      return Prisma.sql`(l."startedAt" - l."scheduledFor") ${d}`;
    case "errors":
      return Prisma.sql`t.errors ${d}, (l.outcome = 'error') ${d}`;
  }
}

/** How many pairs a page past the end would have shown (the window's count comes with any non-empty page). */
async function countPairs(db: Context["db"], filters: Prisma.Sql, failingOnly: boolean): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM (
      SELECT DISTINCT ON (e."ruleId", e."workspaceId") e.outcome
      FROM rule_evaluation e
      JOIN alert_rule r ON r.id = e."ruleId" AND r."tenantId" = e."tenantId"
      JOIN workspace w ON w.id = e."workspaceId" AND w."tenantId" = e."tenantId"
      WHERE ${filters}
      ORDER BY e."ruleId", e."workspaceId", e."scheduledFor" DESC
    ) last ${failingOnly ? Prisma.sql`WHERE last.outcome = 'error'` : Prisma.empty}`);
  return row?.n ?? 0;
}

/**
 * How the rules run: per rule and workspace, the last run (when, how long, how late after its scheduled tick, rows,
 * outcome, error) and the window's totals. Reads `rule_evaluation` only, tenant-filtered in SQL.
 */
export const evaluationsRouter = createTRPCRouter({
  summary: multiTenantProcedure("rules.read")
    .input(
      z.object({
        ruleId: rowId.optional(),
        workspaceId: rowId.optional(),
        /** only the pairs whose last run was an error */
        failingOnly: z.boolean().default(false),
        hours: z.number().int().min(1).max(24 * 14).default(24),
        /** attention: pairs whose last run failed first, then by error count (the default) */
        sort: z.enum(["attention", "lastRun", "duration", "lateness", "errors"]).default("attention"),
        dir: z.enum(["asc", "desc"]).default("desc"),
        limit: z.number().int().min(1).max(500).default(50),
        /** numbered pages: the pairs are totals computed per request, so there is no row to hold a cursor */
        offset: z.number().int().min(0).max(100_000).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const since = new Date(Date.now() - input.hours * 3_600_000);
      const filters = Prisma.sql`e."tenantId" = ANY(${ctx.tenantIds}::uuid[]) AND e."scheduledFor" >= ${since}
        ${input.ruleId ? Prisma.sql`AND e."ruleId" = ${input.ruleId}::uuid` : Prisma.empty}
        ${input.workspaceId ? Prisma.sql`AND e."workspaceId" = ${input.workspaceId}::uuid` : Prisma.empty}`;
      const rows = await ctx.db.$queryRaw<RunRow[]>(Prisma.sql`
        WITH totals AS (
          SELECT e."ruleId", e."workspaceId",
                 count(*)::int AS runs,
                 count(*) FILTER (WHERE e.outcome = 'error')::int AS errors,
                 count(*) FILTER (WHERE e.outcome = 'fired')::int AS fired,
                 count(*) FILTER (WHERE e."finishedAt" IS NULL)::int AS unfinished,
                 avg(extract(epoch FROM e."finishedAt" - e."startedAt") * 1000)::float8 AS "avgMs",
                 max(extract(epoch FROM e."finishedAt" - e."startedAt") * 1000)::float8 AS "maxMs",
                 max(extract(epoch FROM e."startedAt" - e."scheduledFor") * 1000)::float8 AS "maxLateMs"
          FROM rule_evaluation e WHERE ${filters}
          GROUP BY 1, 2
        ), latest AS (
          SELECT DISTINCT ON (e."ruleId", e."workspaceId") e.*
          FROM rule_evaluation e WHERE ${filters}
          ORDER BY e."ruleId", e."workspaceId", e."scheduledFor" DESC
        )
        SELECT t."ruleId", t."workspaceId", r."tenantId", tn.name AS "tenantName", tn.slug AS "tenantSlug",
               r.name AS "ruleName", r.kind::text AS "ruleKind", r.enabled, r."consecutiveFailures",
               w.name AS "workspaceName", t.runs, t.errors, t.fired, t.unfinished, t."avgMs", t."maxMs", t."maxLateMs",
               l."scheduledFor" AS "lastScheduledFor", l."startedAt" AS "lastStartedAt", l."finishedAt" AS "lastFinishedAt",
               l.outcome::text AS "lastOutcome", l."rowsSeen" AS "lastRows", coalesce(l.error, l."attemptError") AS "lastError",
               (extract(epoch FROM l."finishedAt" - l."startedAt") * 1000)::float8 AS "lastMs",
               (extract(epoch FROM l."startedAt" - l."scheduledFor") * 1000)::float8 AS "lastLateMs",
               count(*) OVER ()::int AS total
        FROM totals t
        JOIN latest l ON l."ruleId" = t."ruleId" AND l."workspaceId" = t."workspaceId"
        JOIN alert_rule r ON r.id = t."ruleId" AND r."tenantId" = ANY(${ctx.tenantIds}::uuid[])
        JOIN workspace w ON w.id = t."workspaceId" AND w."tenantId" = r."tenantId"
        JOIN tenant tn ON tn.id = r."tenantId"
        ${input.failingOnly ? Prisma.sql`WHERE l.outcome = 'error'` : Prisma.empty}
        ORDER BY ${pairOrder(input.sort, input.dir)}, tn.name, r.name, w.name, t."ruleId", t."workspaceId"
        LIMIT ${input.limit} OFFSET ${input.offset}`);
      const total = rows[0]?.total ?? (input.offset > 0 ? await countPairs(ctx.db, filters, input.failingOnly) : 0);
      return { since, total, items: rows.map(({ total: _t, ...row }) => row) };
    }),

  /** One rule's runs on one workspace, newest first: the history behind a summary row. */
  runs: multiTenantProcedure("rules.read")
    .input(z.object({ ruleId: rowId, workspaceId: rowId, limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const rule = await ctx.db.alertRule.findFirst({ where: { id: input.ruleId, tenantId: { in: ctx.tenantIds } }, select: { id: true, tenantId: true } });
      if (!rule) throw notFound("rule");
      const runs = await ctx.db.ruleEvaluation.findMany({
        where: { tenantId: rule.tenantId, ruleId: rule.id, workspaceId: input.workspaceId },
        orderBy: { scheduledFor: "desc" },
        take: input.limit,
        select: {
          id: true,
          scheduledFor: true,
          startedAt: true,
          finishedAt: true,
          windowStart: true,
          windowEnd: true,
          watermarkFrom: true,
          watermarkTo: true,
          rowsSeen: true,
          outcome: true,
          error: true,
          attempts: true,
          attemptError: true,
        },
      });
      return { items: runs };
    }),
});
