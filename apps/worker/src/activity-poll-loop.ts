/**
 * Polls every registered subscription's activity log (packages/azure activity-log) once per `intervalMs`, at most
 * `concurrency` subscriptions at once in this process. Subscriptions are claimed from Postgres with a lease, in
 * tenant-fair order, so several workers share them without Redis and a killed worker's claims lapse; WORKER_TENANT_IDS
 * limits a worker to its tenants. New events are stored in the subscription's local workspace and an `alerts.activity`
 * job is asked for, exactly as the ingest route does for pushed events (the activity sweep catches a lost request).
 */
import { activityPoller, claimDueSubscriptions, type ClaimedSubscription } from "@vaultwatch/azure";
import { enqueueActivity, type Queues } from "@vaultwatch/jobs";
import { ingestActivityEvents } from "@vaultwatch/local-workspace";
import type pg from "pg";
import { startClaimLoop, type ClaimLoop } from "./claim-loop";
import { describeError, log } from "./log";

export type ActivityPollLoopDeps = {
  pool: pg.Pool;
  queues: Queues;
  encryptionKey: Buffer;
  intervalMs: number;
  concurrency: number;
  tenantIds?: string[];
  /** how often the loop looks for due subscriptions when nothing is running */
  lookEveryMs?: number;
  /** longer than one poll can take (its 2-minute budget and the SDK's Retry-After waits) */
  leaseMs?: number;
};

/**
 * Asks for an evaluation of a workspace's new activity events (what the ingest route does after its commit). A failed
 * request is only logged: the activity sweep finds the events anyway. Shared with the storage-archive loop.
 */
export function requestActivityEvaluation(queues: Queues, workspaceId: string): Promise<void> {
  return enqueueActivity(queues, workspaceId).then(
    () => undefined,
    (e: unknown) => log("warn", "activity evaluation request failed (the sweep will pick it up)", { workspaceId, ...describeError(e) }),
  );
}

export function startActivityPollLoop(deps: ActivityPollLoopDeps): ClaimLoop {
  const poller = activityPoller({
    pool: deps.pool,
    encryptionKey: deps.encryptionKey,
    intervalMs: deps.intervalMs,
    store: async (scope, events) => ({ new: (await ingestActivityEvents(deps.pool, { ...scope, registered: true }, events)).new.length }),
    judge: (workspaceId) =>
      requestActivityEvaluation(deps.queues, workspaceId),
  });
  return startClaimLoop<ClaimedSubscription>({
    name: "activity log polls",
    concurrency: deps.concurrency,
    lookEveryMs: deps.lookEveryMs ?? Math.min(5_000, deps.intervalMs),
    claim: (limit) =>
      claimDueSubscriptions(deps.pool, {
        limit,
        leaseMs: deps.leaseMs ?? 300_000,
        ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}),
      }),
    describe: (sub) => ({ subscriptionId: sub.subscriptionId, tenantId: sub.tenantId }),
    run: async (sub) => {
      const outcome = await poller.poll(sub);
      if (!outcome.ok) log("warn", "activity log poll failed", { subscriptionId: sub.subscriptionId, tenantId: sub.tenantId, code: outcome.code, error: outcome.message });
    },
  });
}
