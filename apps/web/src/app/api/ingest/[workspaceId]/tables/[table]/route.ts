import { handleIngestTable } from "@vaultwatch/local-workspace";
import { getDb } from "@/server/db";
import { getIngestPool } from "@/server/pool";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/ingest/{workspaceId}/tables/{table} — see packages/local-workspace/src/http/ingest.ts. */
export async function POST(req: Request, ctx: { params: Promise<{ workspaceId: string; table: string }> }) {
  return handleIngestTable(req, await ctx.params, { db: getDb(), pool: getIngestPool() });
}
