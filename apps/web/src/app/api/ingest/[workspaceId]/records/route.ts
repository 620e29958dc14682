import { handleIngestRecords } from "@vaultwatch/local-workspace";
import { getDb } from "@/server/db";
import { activityArrived } from "@/server/jobs";
import { getIngestPool } from "@/server/pool";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/ingest/{workspaceId}/records — see packages/local-workspace/src/http/ingest.ts. */
export async function POST(req: Request, ctx: { params: Promise<{ workspaceId: string }> }) {
  return handleIngestRecords(req, await ctx.params, { db: getDb(), pool: getIngestPool(), onActivityEvents: activityArrived });
}
