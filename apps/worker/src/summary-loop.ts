/**
 * Keeps the Overview's workspace summaries fresh: each workspace is refreshed every `intervalMs` through the
 * WorkspaceQueryRunner, at most `concurrency` at once in this process. Work is claimed from Postgres
 * (packages/views/src/summary/schedule.ts: a lease per workspace, tenant-fair order), so several workers share it
 * without Redis and a killed worker's claims lapse; WORKER_TENANT_IDS limits a worker to its tenants' workspaces.
 * A slot that frees up claims the next due workspace at once; with nothing due, the loop looks again every `pollMs`.
 */
import type { WorkspaceQueryRunner, WorkspaceRef } from "@vaultwatch/evaluator";
import { claimDueSummaries, refreshWorkspaceSummary } from "@vaultwatch/views/summary";
import type pg from "pg";
import { startClaimLoop, type ClaimLoop } from "./claim-loop";
import { log } from "./log";

export type SummaryLoopDeps = {
  pool: pg.Pool;
  runner: WorkspaceQueryRunner;
  intervalMs: number;
  concurrency: number;
  tenantIds?: string[];
  pollMs?: number;
  /** longer than a refresh can take (its two queries' time budget), so a live claim is never taken over */
  leaseMs?: number;
};

export function startSummaryLoop(deps: SummaryLoopDeps): ClaimLoop {
  return startClaimLoop<WorkspaceRef>({
    name: "workspace summaries",
    concurrency: deps.concurrency,
    lookEveryMs: deps.pollMs ?? 5_000,
    claim: (limit) =>
      claimDueSummaries(deps.pool, {
        limit,
        intervalMs: deps.intervalMs,
        leaseMs: deps.leaseMs ?? 180_000,
        ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}),
      }),
    describe: (workspace) => ({ workspaceId: workspace.id, tenantId: workspace.tenantId }),
    run: async (workspace) => {
      const outcome = await refreshWorkspaceSummary(deps, workspace);
      if (!outcome.ok) log("warn", "workspace summary failed", { workspaceId: workspace.id, tenantId: workspace.tenantId, error: outcome.error });
    },
  });
}
