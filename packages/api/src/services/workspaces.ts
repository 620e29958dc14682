import { TRPCError } from "@trpc/server";
import { generateApiKey, type Db } from "@vaultwatch/db";
import { writeAudit, type Actor } from "../audit";
import { notFound } from "../errors";
import { dropSchemasIn, inDeletionTransaction, type DeletionOptions } from "./deletion";

export type LocalWorkspaceKeys = { ingestKey: string; queryKey: string };

/** Create a local workspace. The keys are returned here and only here (and on rotation); we keep their hashes. */
export async function createLocalWorkspace(db: Db, actor: Actor, input: { tenantId: string; name: string }) {
  const ingest = generateApiKey("vwi");
  const query = generateApiKey("vwq");
  const workspace = await db.$transaction(async (tx) => {
    const ws = await tx.workspace.create({
      data: {
        tenantId: input.tenantId,
        name: input.name,
        kind: "local",
        ingestKeyHash: ingest.hash,
        ingestKeyHint: ingest.hint,
        queryKeyHash: query.hash,
        queryKeyHint: query.hint,
        keysRotatedAt: new Date(),
      },
    });
    await writeAudit(tx, {
      tenantId: input.tenantId,
      actor,
      action: "workspace.create",
      targetType: "workspace",
      targetId: ws.id,
      after: ws,
    });
    return ws;
  });
  return { workspace, keys: { ingestKey: ingest.key, queryKey: query.key } satisfies LocalWorkspaceKeys };
}

/** What the API shows of a workspace: key hints, never key hashes. */
export const workspacePublicFields = {
  id: true,
  name: true,
  kind: true,
  azureWorkspaceId: true,
  armId: true,
  connectionId: true,
  ingestKeyHint: true,
  queryKeyHint: true,
  keysRotatedAt: true,
  createdAt: true,
} as const;

/**
 * Deletes a workspace with everything that is its own: its row storage (`lw_` schema), activity events, evaluations
 * and rule links; its vaults stay, unlinked. Refused while it is the only workspace of a log rule (that rule would
 * evaluate nothing, silently): the caller names the rules to change first. Alerts stay with their rules' history.
 */
export async function removeWorkspace(db: Db, actor: Actor, input: { tenantId: string; workspaceId: string }, options: DeletionOptions = {}) {
  const { tenantId } = input;
  return inDeletionTransaction(db, "workspaceId: the workspace", options, async (tx) => {
    const ws = await tx.workspace.findFirst({ where: { id: input.workspaceId, tenantId }, select: workspacePublicFields });
    if (!ws) throw notFound("workspace");
    // ingest lock and schema first: an ingest holding the lock may still write rows that reference the workspace row
    await dropSchemasIn(tx, [ws.id]);
    // from here no rule can link the workspace (a new link waits for this row lock, then finds the row gone)
    await tx.$executeRaw`SELECT 1 FROM workspace WHERE id = ${ws.id}::uuid FOR UPDATE`;
    const ruleIds = (await tx.alertRuleWorkspace.findMany({ where: { tenantId, workspaceId: ws.id }, select: { ruleId: true } })).map((l) => l.ruleId);
    if (ruleIds.length) await tx.$executeRaw`SELECT 1 FROM alert_rule WHERE id = ANY(${ruleIds}::uuid[]) FOR UPDATE`;
    const stranded = await tx.alertRule.findMany({
      where: { tenantId, id: { in: ruleIds }, workspaces: { every: { workspaceId: ws.id } } },
      select: { name: true },
      orderBy: { name: "asc" },
    });
    if (stranded.length) {
      const names = stranded.map((r) => `"${r.name}"`).join(", ");
      throw new TRPCError({
        code: "CONFLICT",
        message: `workspaceId: the workspace is the only one the rules ${names} read; give them another workspace or delete them first`,
      });
    }
    await tx.vault.updateMany({ where: { tenantId, workspaceId: ws.id }, data: { workspaceId: null } });
    // its subscriptions' activity logs stop being polled until they are given another workspace
    await tx.subscription.updateMany({ where: { tenantId, activityWorkspaceId: ws.id }, data: { activityWorkspaceId: null } });
    await tx.alertRuleWorkspace.deleteMany({ where: { tenantId, workspaceId: ws.id } });
    // cascades to its activity events and evaluations
    await tx.workspace.delete({ where: { id: ws.id } });
    await writeAudit(tx, {
      tenantId,
      actor,
      action: "workspace.remove",
      targetType: "workspace",
      targetId: ws.id,
      before: ws,
      after: ruleIds.length ? { removedFromRules: ruleIds } : undefined,
    });
    return { removed: ws.id };
  });
}
