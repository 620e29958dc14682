import { localWorkspaceRunner, workspaceRunners, type WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import { createRowPool, type RowPool } from "@vaultwatch/local-workspace";
import { env } from "@/env";

const g = globalThis as unknown as { __vwRowPool?: RowPool };

/** The pg pool of local workspaces' row tables (COPY ingest, KQL queries). Created on first use; one per process. */
export function getPool(): RowPool {
  g.__vwRowPool ??= createRowPool(env.DATABASE_URL);
  return g.__vwRowPool;
}

/** Rule queries (previews) through the same interface the worker uses. */
export function getQueryRunner(): WorkspaceQueryRunner {
  return workspaceRunners({ local: localWorkspaceRunner(getPool()) });
}
