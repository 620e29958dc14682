import { generateApiKey, type Db } from "@vaultwatch/db";
import { writeAudit, type Actor } from "../audit";

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
