/**
 * Discovers every Azure connection's vaults and checks their diagnostic settings (packages/azure discovery) once per
 * `intervalMs`, at most `concurrency` connections at once in this process. Connections are claimed from Postgres with
 * a lease (vault_discovery), tenant-fair, so several workers share them and a killed worker's claims lapse;
 * WORKER_TENANT_IDS limits a worker to its tenants. A run Azure refuses is recorded on the connection's row and tried
 * again sooner than the interval (a growing wait), not in a loop.
 */
import { claimDueDiscoveries, runDiscovery, type ClaimedDiscovery } from "@vaultwatch/azure";
import type { Db } from "@vaultwatch/db";
import { startClaimLoop, type ClaimLoop } from "./claim-loop";
import { log } from "./log";

export type DiscoveryLoopDeps = {
  db: Db;
  encryptionKey: Buffer;
  intervalMs: number;
  concurrency: number;
  tenantIds?: string[];
  /** how often the loop looks for due connections when nothing is running */
  lookEveryMs?: number;
  /** longer than one run can take (its 5-minute budget) */
  leaseMs?: number;
};

export function startDiscoveryLoop(deps: DiscoveryLoopDeps): ClaimLoop {
  return startClaimLoop<ClaimedDiscovery>({
    name: "vault discoveries",
    concurrency: deps.concurrency,
    lookEveryMs: deps.lookEveryMs ?? Math.min(30_000, deps.intervalMs),
    claim: (limit) =>
      claimDueDiscoveries(deps.db, {
        limit,
        leaseMs: deps.leaseMs ?? 600_000,
        ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}),
      }),
    describe: (c) => ({ connectionId: c.connectionId, tenantId: c.tenantId }),
    run: async (c) => {
      const outcome = await runDiscovery({ db: deps.db, encryptionKey: deps.encryptionKey, intervalMs: deps.intervalMs }, c);
      if (!outcome.ok) log("warn", "vault discovery failed", { connectionId: c.connectionId, tenantId: c.tenantId, code: outcome.code, error: outcome.message });
      else log("info", "vault discovery done", { connectionId: c.connectionId, tenantId: c.tenantId, subscriptionsRegistered: outcome.report.subscriptionsRegistered.length, registered: outcome.report.registered.length, vanished: outcome.report.vanished.length, statuses: outcome.report.statuses });
    },
  });
}
