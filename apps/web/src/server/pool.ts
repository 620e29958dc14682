import { azureRunnerFrom } from "@vaultwatch/azure";
import { localWorkspaceRunner, workspaceRunners, type WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { createRowPool, QueryGate, type RowPool } from "@vaultwatch/local-workspace";
import { env } from "@/env";
import { getEncryptionKey } from "./db";

const g = globalThis as unknown as { __vwIngestPool?: RowPool; __vwQueryPool?: RowPool; __vwQueryGate?: QueryGate; __vwQueryRunner?: WorkspaceQueryRunner };

/**
 * The pg pool ingest writes local workspaces' row tables through (COPY). Its own pool: queries may hold their
 * connections for minutes, and no number of them may make an ingest wait for one. Created on first use; one per process.
 */
export function getIngestPool(): RowPool {
  g.__vwIngestPool ??= createRowPool(env.DATABASE_URL, { max: 10, applicationName: "vaultwatch-web-ingest" });
  return g.__vwIngestPool;
}

/**
 * The pg pool KQL queries read through (the Log Analytics API, and through getQueryRunner the logs explorer, rule
 * previews and save checks, and the views). Every one of them takes a turn of the one query gate first, which keeps
 * a tenant below the pool's size (DEFAULT_QUERY_LIMITS.perTenant = 6 of 12), so another tenant's query always finds
 * a connection.
 */
export function getQueryPool(): RowPool {
  g.__vwQueryPool ??= createRowPool(env.DATABASE_URL, { max: 12, applicationName: "vaultwatch-web-query" });
  return g.__vwQueryPool;
}

/**
 * Concurrent local queries per workspace and per tenant, for the Log Analytics API and getQueryRunner alike (one gate,
 * since they share the pool; see packages/local-workspace/src/http/query-gate.ts).
 */
export function getQueryGate(): QueryGate {
  g.__vwQueryGate ??= new QueryGate();
  return g.__vwQueryGate;
}

/**
 * What tRPC queries workspaces through (logs, rule previews and checks, views): the interface the worker uses, with
 * local runs and checks gated as the Log Analytics API's are. One per process (Azure clients and limits live in it).
 */
export function getQueryRunner(): WorkspaceQueryRunner {
  g.__vwQueryRunner ??= workspaceRunners({ local: localWorkspaceRunner(getQueryPool(), { gate: getQueryGate() }), azure: azureRunnerFrom(getQueryPool(), getEncryptionKey()) });
  return g.__vwQueryRunner;
}
