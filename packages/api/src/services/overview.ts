/**
 * The Overview's reads: per tenant (and per workspace), the worker's summaries plus what Postgres already knows (open
 * alerts, failing rules, dead channels), aggregated, sorted and paged in one statement. Nothing here queries a
 * workspace: the numbers are as fresh as the summaries, and each row says when they were read.
 */
import { Prisma, type Db } from "@vaultwatch/db";

export const TREND_DAYS = 14;

/**
 * Worst first: datasources left without a successful backup (data at risk), then failed jobs, critical and error
 * alerts (Sev0–1), blind workspaces, failing rules, dead channels, any open alert, and the name to break ties.
 */
const worstFirst = `"withoutSuccess" DESC, "failedJobs" DESC, ("sev0" + "sev1") DESC, "blindWorkspaces" DESC, "failingRules" DESC, "deadChannels" DESC, "openAlerts" DESC, lower(name) ASC, id ASC`;

export const tenantSorts = ["worst", "name", "failedJobs", "withoutSuccess", "protected", "openAlerts", "blindWorkspaces", "failingRules", "deadChannels", "refreshedAt"] as const;
export type TenantSort = (typeof tenantSorts)[number];
export const workspaceSorts = ["worst", "name", "tenant", "failedJobs", "withoutSuccess", "protected", "rowsSeen", "refreshedAt"] as const;
export type WorkspaceSort = (typeof workspaceSorts)[number];

const tenantColumns: Record<Exclude<TenantSort, "worst">, string> = {
  name: "lower(name)",
  failedJobs: `"failedJobs"`,
  withoutSuccess: `"withoutSuccess"`,
  protected: `"protected"`,
  openAlerts: `"openAlerts"`,
  blindWorkspaces: `"blindWorkspaces"`,
  failingRules: `"failingRules"`,
  deadChannels: `"deadChannels"`,
  refreshedAt: `"oldestRefresh"`,
};

/** ORDER BY from a whitelisted key (the only text of a sort that reaches SQL). */
function orderBy(sort: TenantSort | WorkspaceSort, dir: "asc" | "desc", columns: Record<string, string>, worst: string): Prisma.Sql {
  if (sort === "worst") return Prisma.raw(worst);
  const column = columns[sort];
  if (!column) throw new Error(`unknown sort ${sort}`);
  return Prisma.raw(`${column} ${dir === "asc" ? "ASC" : "DESC"} NULLS LAST, ${worst}`);
}

export type TenantOverviewInput = { tenantIds: string[]; sort: TenantSort; dir: "asc" | "desc"; offset: number; limit: number; search?: string | undefined };

type TenantRowSql = {
  id: string;
  name: string;
  slug: string;
  workspaces: number;
  blindWorkspaces: number;
  pendingWorkspaces: number;
  erroredWorkspaces: number;
  failedJobs: number;
  withoutSuccess: number;
  protected: number;
  sev0: number;
  sev1: number;
  sev2: number;
  sev3: number;
  sev4: number;
  openAlerts: number;
  failingRules: number;
  deadChannels: number;
  oldestRefresh: Date | null;
  newestRefresh: Date | null;
  total: number;
  allFailedJobs: number;
  allWithoutSuccess: number;
  allProtected: number;
  allOpenAlerts: number;
  allSev0: number;
  allSev1: number;
  allBlind: number;
  allFailingRules: number;
  allDeadChannels: number;
  allWorkspaces: number;
};

export type DayCount = { day: string; failed: number };

/** The UTC days of the trend, oldest first, ending today. */
export function trendDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: TREND_DAYS }, (_, i) => new Date(today - (TREND_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Failed jobs per day summed over each tenant's workspaces (summaries refreshed on different days line up by date). */
async function trendsOf(db: Db, tenantIds: string[], now: Date): Promise<Map<string, DayCount[]>> {
  const days = trendDays(now);
  const out = new Map(tenantIds.map((id) => [id, days.map((day) => ({ day, failed: 0 }))]));
  if (!tenantIds.length) return out;
  const rows = await db.$queryRaw<{ tenantId: string; day: string; failed: number }[]>(Prisma.sql`
    SELECT s."tenantId", e->>'day' AS day, sum((e->>'failed')::int)::int AS failed
      FROM workspace_summary s CROSS JOIN LATERAL jsonb_array_elements(s."failedTrend") e
     WHERE s."tenantId" = ANY(${tenantIds}::uuid[]) AND e->>'day' >= ${days[0]}
     GROUP BY 1, 2`);
  for (const r of rows) {
    const bucket = out.get(r.tenantId)?.find((d) => d.day === r.day);
    if (bucket) bucket.failed = r.failed;
  }
  return out;
}

/** One page of tenants, worst first (or as asked), with the totals over every tenant in scope. */
export async function tenantOverview(db: Db, input: TenantOverviewInput, now = new Date()) {
  const search = input.search?.trim() ? `%${input.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db.$queryRaw<TenantRowSql[]>(Prisma.sql`
    WITH t AS (
      SELECT id, name, slug FROM tenant
       WHERE id = ANY(${input.tenantIds}::uuid[]) AND (${search}::text IS NULL OR name ILIKE ${search}::text)
    ), w AS (
      SELECT w."tenantId",
             count(*)::int AS workspaces,
             count(*) FILTER (WHERE s.blind AND s."refreshedAt" IS NOT NULL)::int AS "blindWorkspaces",
             count(*) FILTER (WHERE s."refreshedAt" IS NULL)::int AS "pendingWorkspaces",
             count(*) FILTER (WHERE s."lastError" IS NOT NULL)::int AS "erroredWorkspaces",
             coalesce(sum(s."failedJobs24h"), 0)::int AS "failedJobs",
             coalesce(sum(s."datasourcesWithoutSuccess24h"), 0)::int AS "withoutSuccess",
             coalesce(sum(s."protectedDatasources"), 0)::int AS protected,
             min(s."refreshedAt") AS "oldestRefresh",
             max(s."refreshedAt") AS "newestRefresh"
        FROM workspace w LEFT JOIN workspace_summary s ON s."workspaceId" = w.id
       WHERE w."tenantId" IN (SELECT id FROM t)
       GROUP BY w."tenantId"
    ), a AS (
      SELECT "tenantId",
             count(*) FILTER (WHERE severity = 0)::int AS sev0, count(*) FILTER (WHERE severity = 1)::int AS sev1,
             count(*) FILTER (WHERE severity = 2)::int AS sev2, count(*) FILTER (WHERE severity = 3)::int AS sev3,
             count(*) FILTER (WHERE severity = 4)::int AS sev4, count(*)::int AS "openAlerts"
        FROM alert
       WHERE "tenantId" IN (SELECT id FROM t) AND "monitorCondition" = 'fired' AND "userState" <> 'closed'
       GROUP BY "tenantId"
    ), r AS (
      SELECT "tenantId", count(*)::int AS "failingRules" FROM alert_rule
       WHERE "tenantId" IN (SELECT id FROM t) AND "consecutiveFailures" > 0 GROUP BY "tenantId"
    ), d AS (
      SELECT "tenantId", count(*)::int AS "deadChannels" FROM notify_endpoint
       WHERE "tenantId" IN (SELECT id FROM t) AND "alertRaisedAt" IS NOT NULL GROUP BY "tenantId"
    ), rows AS (
      SELECT t.id, t.name, t.slug,
             coalesce(w.workspaces, 0) AS workspaces, coalesce(w."blindWorkspaces", 0) AS "blindWorkspaces",
             coalesce(w."pendingWorkspaces", 0) AS "pendingWorkspaces", coalesce(w."erroredWorkspaces", 0) AS "erroredWorkspaces",
             coalesce(w."failedJobs", 0) AS "failedJobs", coalesce(w."withoutSuccess", 0) AS "withoutSuccess",
             coalesce(w.protected, 0) AS protected,
             coalesce(a.sev0, 0) AS sev0, coalesce(a.sev1, 0) AS sev1, coalesce(a.sev2, 0) AS sev2,
             coalesce(a.sev3, 0) AS sev3, coalesce(a.sev4, 0) AS sev4, coalesce(a."openAlerts", 0) AS "openAlerts",
             coalesce(r."failingRules", 0) AS "failingRules", coalesce(d."deadChannels", 0) AS "deadChannels",
             w."oldestRefresh", w."newestRefresh"
        FROM t LEFT JOIN w ON w."tenantId" = t.id LEFT JOIN a ON a."tenantId" = t.id
             LEFT JOIN r ON r."tenantId" = t.id LEFT JOIN d ON d."tenantId" = t.id
    )
    SELECT *, count(*) OVER ()::int AS total,
           (sum("failedJobs") OVER ())::int AS "allFailedJobs", (sum("withoutSuccess") OVER ())::int AS "allWithoutSuccess",
           (sum(protected) OVER ())::int AS "allProtected", (sum("openAlerts") OVER ())::int AS "allOpenAlerts",
           (sum(sev0) OVER ())::int AS "allSev0", (sum(sev1) OVER ())::int AS "allSev1",
           (sum("blindWorkspaces") OVER ())::int AS "allBlind", (sum("failingRules") OVER ())::int AS "allFailingRules",
           (sum("deadChannels") OVER ())::int AS "allDeadChannels", (sum(workspaces) OVER ())::int AS "allWorkspaces"
      FROM rows
     ORDER BY ${orderBy(input.sort, input.dir, tenantColumns, worstFirst)}
     LIMIT ${input.limit} OFFSET ${input.offset}`);
  const trends = await trendsOf(db, rows.map((r) => r.id), now);
  const first = rows[0];
  return {
    total: first?.total ?? (input.offset > 0 ? await countTenants(db, input.tenantIds, search) : 0),
    totals: {
      failedJobs24h: first?.allFailedJobs ?? 0,
      datasourcesWithoutSuccess24h: first?.allWithoutSuccess ?? 0,
      protectedDatasources: first?.allProtected ?? 0,
      openAlerts: first?.allOpenAlerts ?? 0,
      criticalAlerts: (first?.allSev0 ?? 0) + (first?.allSev1 ?? 0),
      blindWorkspaces: first?.allBlind ?? 0,
      failingRules: first?.allFailingRules ?? 0,
      deadChannels: first?.allDeadChannels ?? 0,
      workspaces: first?.allWorkspaces ?? 0,
    },
    items: rows.map((r) => ({
      tenant: { id: r.id, name: r.name, slug: r.slug },
      workspaces: r.workspaces,
      blindWorkspaces: r.blindWorkspaces,
      pendingWorkspaces: r.pendingWorkspaces,
      erroredWorkspaces: r.erroredWorkspaces,
      failedJobs24h: r.failedJobs,
      datasourcesWithoutSuccess24h: r.withoutSuccess,
      protectedDatasources: r.protected,
      openAlerts: { total: r.openAlerts, bySeverity: [r.sev0, r.sev1, r.sev2, r.sev3, r.sev4] },
      failingRules: r.failingRules,
      deadChannels: r.deadChannels,
      oldestRefreshAt: r.oldestRefresh,
      newestRefreshAt: r.newestRefresh,
      trend: trends.get(r.id) ?? [],
    })),
  };
}

/** A page past the end has no row to carry the count. */
async function countTenants(db: Db, tenantIds: string[], search: string | null): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM tenant WHERE id = ANY(${tenantIds}::uuid[]) AND (${search}::text IS NULL OR name ILIKE ${search}::text)`);
  return row?.n ?? 0;
}

const workspaceWorst = `"withoutSuccess" DESC NULLS LAST, "failedJobs" DESC NULLS LAST, blind DESC NULLS LAST, ("lastError" IS NOT NULL) DESC, lower(name) ASC, id ASC`;
const workspaceColumns: Record<Exclude<WorkspaceSort, "worst">, string> = {
  name: "lower(name)",
  tenant: `lower("tenantName")`,
  failedJobs: `"failedJobs"`,
  withoutSuccess: `"withoutSuccess"`,
  protected: "protected",
  rowsSeen: `"rowsSeen"`,
  refreshedAt: `"refreshedAt"`,
};

export type WorkspaceOverviewInput = { tenantIds: string[]; sort: WorkspaceSort; dir: "asc" | "desc"; offset: number; limit: number; blind?: boolean | undefined };

/** The workspaces behind the tenants' numbers, one page, worst first (or as asked). */
export async function workspaceOverview(db: Db, input: WorkspaceOverviewInput) {
  const rows = await db.$queryRaw<
    {
      id: string;
      name: string;
      kind: "local" | "azure";
      tenantId: string;
      tenantName: string;
      tenantSlug: string;
      refreshedAt: Date | null;
      failedJobs: number | null;
      withoutSuccess: number | null;
      protected: number | null;
      rowsSeen: number | null;
      blind: boolean | null;
      lastDataAt: Date | null;
      lastError: string | null;
      failedTrend: DayCount[] | null;
      total: number;
    }[]
  >(Prisma.sql`
    WITH rows AS (
      SELECT w.id, w.name, w.kind::text AS kind, w."tenantId", t.name AS "tenantName", t.slug AS "tenantSlug",
             s."refreshedAt", s."failedJobs24h" AS "failedJobs", s."datasourcesWithoutSuccess24h" AS "withoutSuccess",
             s."protectedDatasources" AS protected, s."rowsSeen", CASE WHEN s."refreshedAt" IS NULL THEN NULL ELSE s.blind END AS blind,
             s."lastDataAt", s."lastError", s."failedTrend"
        FROM workspace w JOIN tenant t ON t.id = w."tenantId" LEFT JOIN workspace_summary s ON s."workspaceId" = w.id
       WHERE w."tenantId" = ANY(${input.tenantIds}::uuid[])
    )
    SELECT *, count(*) OVER ()::int AS total FROM rows
     WHERE (${input.blind ?? null}::boolean IS NULL OR coalesce(blind, false) = ${input.blind ?? null}::boolean)
     ORDER BY ${orderBy(input.sort, input.dir, workspaceColumns, workspaceWorst)}
     LIMIT ${input.limit} OFFSET ${input.offset}`);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, failedTrend, ...r }) => ({ ...r, failedTrend: failedTrend ?? [] })),
  };
}
