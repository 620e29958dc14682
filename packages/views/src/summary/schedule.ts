/**
 * Which workspaces' summaries are due, claimed so that several workers never refresh one twice at once. Due: never
 * attempted, or last attempted `intervalMs` ago; claimed: a lease in the row (`claimedUntil`), taken in the same
 * statement that picks, so two workers racing for a row get it once (ON CONFLICT re-checks the lease on the row's
 * newest version). A worker that dies leaves its lease to lapse, and the workspace is due again.
 *
 * Fairness: the most overdue workspace of every tenant comes before any tenant's second one, so one tenant with 300
 * workspaces cannot hold back everyone else's refresh.
 */
import type { WorkspaceRef } from "@vaultwatch/evaluator";
import type pg from "pg";

export type ClaimOptions = {
  limit: number;
  intervalMs: number;
  /** how long a claim holds before another worker may take the workspace over */
  leaseMs: number;
  /** only these tenants' workspaces (WORKER_TENANT_IDS); absent: every tenant */
  tenantIds?: readonly string[];
};

export async function claimDueSummaries(pool: pg.Pool, o: ClaimOptions): Promise<WorkspaceRef[]> {
  const { rows } = await pool.query<{ id: string; tenantId: string; kind: "local" | "azure"; name: string; armId: string | null }>(
    `WITH due AS (
       SELECT w.id, w."tenantId", s."attemptedAt",
              row_number() OVER (PARTITION BY w."tenantId" ORDER BY s."attemptedAt" ASC NULLS FIRST, w.id) AS turn
         FROM workspace w
         LEFT JOIN workspace_summary s ON s."workspaceId" = w.id
        WHERE ($4::uuid[] IS NULL OR w."tenantId" = ANY($4::uuid[]))
          AND (s."workspaceId" IS NULL
               OR ((s."attemptedAt" IS NULL OR s."attemptedAt" <= now() - make_interval(secs => $2::double precision / 1000))
                   AND (s."claimedUntil" IS NULL OR s."claimedUntil" < now())))
        ORDER BY turn, s."attemptedAt" ASC NULLS FIRST, w.id
        LIMIT $1
     ), claimed AS (
       INSERT INTO workspace_summary ("workspaceId", "tenantId", "claimedUntil")
       SELECT id, "tenantId", now() + make_interval(secs => $3::double precision / 1000) FROM due
       ON CONFLICT ("workspaceId") DO UPDATE SET "claimedUntil" = EXCLUDED."claimedUntil"
        WHERE (workspace_summary."claimedUntil" IS NULL OR workspace_summary."claimedUntil" < now())
          AND (workspace_summary."attemptedAt" IS NULL OR workspace_summary."attemptedAt" <= now() - make_interval(secs => $2::double precision / 1000))
       RETURNING "workspaceId"
     )
     SELECT w.id, w."tenantId", w.kind, w.name, w."armId"
       FROM claimed c JOIN workspace w ON w.id = c."workspaceId"`,
    [o.limit, o.intervalMs, o.leaseMs, o.tenantIds ? [...o.tenantIds] : null],
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenantId, kind: r.kind, name: r.name, armId: r.armId }));
}
