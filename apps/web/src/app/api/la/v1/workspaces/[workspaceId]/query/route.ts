import { handleLaQuery } from "@vaultwatch/local-workspace";
import { getDb } from "@/server/db";
import { getQueryGate, getQueryPool } from "@/server/pool";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ workspaceId: string }> };

/** The Log Analytics query API over a local workspace: see packages/local-workspace/src/http/la-query.ts. */
export async function POST(req: Request, ctx: Params) {
  return handleLaQuery(req, await ctx.params, { db: getDb(), pool: getQueryPool(), gate: getQueryGate() });
}

export async function GET(req: Request, ctx: Params) {
  return handleLaQuery(req, await ctx.params, { db: getDb(), pool: getQueryPool(), gate: getQueryGate() });
}
