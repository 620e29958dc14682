/**
 * Workspace API keys on the REST surface: `Authorization: Bearer <key>`.
 * A missing or unknown key is 401; a valid key of another workspace (even the same tenant's) is 403,
 * so a leaked key opens exactly one workspace for exactly one purpose (ingest or query).
 */
import { hashApiKey, type Db } from "@vaultwatch/db";
import { z } from "zod";

export type KeyPurpose = "ingest" | "query";
export type KeyCheck =
  | { ok: true; workspace: { id: string; tenantId: string } }
  | { ok: false; status: 400 | 401 | 403 | 404; code: string; message: string };

const workspaceIdSchema = z.uuid();

export function bearerToken(header: string | null): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

export async function checkWorkspaceKey(
  db: Db,
  workspaceId: string,
  authorization: string | null,
  purpose: KeyPurpose,
): Promise<KeyCheck> {
  const token = bearerToken(authorization);
  if (!token) {
    return { ok: false, status: 401, code: "AuthenticationFailed", message: "Authorization: Bearer <key> is required" };
  }
  const hash = hashApiKey(token);
  const where = purpose === "ingest" ? { ingestKeyHash: hash } : { queryKeyHash: hash };
  const owner = await db.workspace.findFirst({ where: { ...where, kind: "local" }, select: { id: true, tenantId: true } });
  if (!owner) {
    return { ok: false, status: 401, code: "AuthenticationFailed", message: `the ${purpose} key is not valid` };
  }
  if (!workspaceIdSchema.safeParse(workspaceId).success || owner.id !== workspaceId.toLowerCase()) {
    return {
      ok: false,
      status: 403,
      code: "InsufficientAccessError",
      message: `this ${purpose} key does not give access to workspace ${workspaceId}`,
    };
  }
  return { ok: true, workspace: owner };
}
