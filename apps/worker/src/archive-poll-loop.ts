/**
 * Reads every enabled storage-account archive source (packages/azure archive) once per `intervalMs`, at most
 * `concurrency` sources at once in this process, claimed from Postgres with a lease in tenant-fair order (several
 * workers share them; a killed worker's claims lapse; WORKER_TENANT_IDS limits a worker to its tenants). Records go
 * through the ingest route's own conversion (ingestRecords: AzureBackupReport → AzureDiagnostics, the resource-specific
 * categories → their own tables) with each blob's cursor moved in the same transaction; a record of a category with no
 * table is refused by name and counted as malformed on the source (archiveIngest); new activity events are handed to
 * the activity rules as the ingest route does.
 */
import { archivePoller, claimDueArchiveSources, type ArchiveIngest, type ClaimedArchiveSource } from "@vaultwatch/azure";
import type { Queues } from "@vaultwatch/jobs";
import { ingestRecords } from "@vaultwatch/local-workspace";
import type pg from "pg";
import { requestActivityEvaluation } from "./activity-poll-loop";
import { startClaimLoop, type ClaimLoop } from "./claim-loop";
import { log } from "./log";

export type ArchivePollLoopDeps = {
  pool: pg.Pool;
  queues: Queues;
  encryptionKey: Buffer;
  intervalMs: number;
  concurrency: number;
  tenantIds?: string[];
  lookEveryMs?: number;
  /** longer than one poll can take (its 5-minute budget) */
  leaseMs?: number;
};

/**
 * How an archive's records are stored: the ingest route's conversion, except that a category with no table of its own
 * is refused (the poller counts and names it as a malformed record) rather than kept in AzureDiagnostics.
 */
export const archiveIngest = (pool: pg.Pool): ArchiveIngest => async (scope, records, alsoInTransaction) => ({
  activityEvents: (await ingestRecords(pool, { ...scope, registered: true }, records, { alsoInTransaction, otherCategories: "refuse" })).activityEvents.new.length,
});

export function startArchivePollLoop(deps: ArchivePollLoopDeps): ClaimLoop {
  const poller = archivePoller({
    pool: deps.pool,
    encryptionKey: deps.encryptionKey,
    intervalMs: deps.intervalMs,
    ingest: archiveIngest(deps.pool),
    onActivityEvents: (workspaceId) =>
      requestActivityEvaluation(deps.queues, workspaceId),
  });
  return startClaimLoop<ClaimedArchiveSource>({
    name: "storage archive polls",
    concurrency: deps.concurrency,
    lookEveryMs: deps.lookEveryMs ?? Math.min(5_000, deps.intervalMs),
    claim: (limit) => claimDueArchiveSources(deps.pool, { limit, leaseMs: deps.leaseMs ?? 600_000, ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}) }),
    describe: (s) => ({ archiveSourceId: s.sourceId, tenantId: s.tenantId }),
    run: async (s) => {
      const outcome = await poller.poll(s);
      if (!outcome.ok) log("warn", "storage archive poll failed", { archiveSourceId: s.sourceId, tenantId: s.tenantId, code: outcome.code, error: outcome.message });
    },
  });
}
