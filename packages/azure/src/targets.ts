/** Where an Azure workspace's queries go: its Log Analytics workspace id and its connection, secret unsealed per use. */
import { QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { resourceIdParts } from "@vaultwatch/schemas";
import type pg from "pg";
import { linkAllows, LINK_COLUMNS, SEALED_CONNECTION_COLUMNS, SIGNING_CONNECTION_FROM, unsealConnection, type LinkColumns, type SealedConnection } from "./credential";
import { azureWorkspaceRunner, type AzureRunnerDeps, type AzureWorkspaceTarget } from "./logs-runner";

type Row = SealedConnection & LinkColumns & { azureWorkspaceId: string | null; armId: string | null; connectionId: string | null };

/** The workspace's target, read within its own tenant; a workspace without a connection or workspace id is the rule's error. */
export async function azureTargetOf(pool: pg.Pool, encryptionKey: Buffer, workspace: WorkspaceRef): Promise<AzureWorkspaceTarget> {
  const { rows } = await pool.query<Row>(
    // a linked connection signs in as its source (`c`); the link row (`l`) of the workspace's tenant says where it may
    // go. Keyed by the identity that signs in: Log Analytics throttles per identity, so the per-connection limit and the
    // cached client are shared by a source and all its links rather than multiplied by them
    `SELECT w."azureWorkspaceId"::text, w."armId", c.id::text AS "connectionId", ${SEALED_CONNECTION_COLUMNS("c")}, ${LINK_COLUMNS("l")}
       FROM workspace w JOIN ${SIGNING_CONNECTION_FROM("l", "c")} ON l.id = w."connectionId" AND l."tenantId" = w."tenantId"
      WHERE w.id = $1::uuid AND w."tenantId" = $2::uuid AND w.kind = 'azure'`,
    [workspace.id, workspace.tenantId],
  );
  const r = rows[0];
  if (!r?.connectionId) throw new QueryFailure(`the Azure workspace "${workspace.name}" has no connection to query it with`);
  if (!r.azureWorkspaceId) throw new QueryFailure(`the Azure workspace "${workspace.name}" has no Log Analytics workspace id`);
  if (r.linkSubscriptionIds !== null) {
    const subscription = r.armId ? resourceIdParts(r.armId).subscriptionId : "";
    if (!subscription || !linkAllows(r.linkSubscriptionIds, subscription)) {
      throw new QueryFailure(`the Azure workspace "${workspace.name}" is in a subscription that is not shared with this tenant through its linked connection`);
    }
  }
  return {
    connectionId: r.connectionId,
    azureWorkspaceId: r.azureWorkspaceId,
    connection: unsealConnection(r, encryptionKey),
  };
}

/** The runner for Azure workspaces of one process (its clients, tokens and per-connection limits live in it). */
export const azureRunnerFrom = (pool: pg.Pool, encryptionKey: Buffer, options: Omit<AzureRunnerDeps, "resolve"> = {}): WorkspaceQueryRunner =>
  azureWorkspaceRunner({ ...options, resolve: (w) => azureTargetOf(pool, encryptionKey, w) });
