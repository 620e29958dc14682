import { NextResponse } from "next/server";
import { getDb } from "@/server/db";
import { getRedis } from "@/server/redis";

export const dynamic = "force-dynamic";

const TIMEOUT_MS = 1500;

type Check = { ok: boolean; latencyMs: number };

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - start) };
  } catch {
    return { ok: false, latencyMs: Math.round(performance.now() - start) };
  } finally {
    clearTimeout(timer);
  }
}

export async function GET() {
  const [postgres, redis] = await Promise.all([
    timed(() => getDb().$queryRaw`SELECT 1`),
    timed(async () => {
      const r = getRedis();
      if (r.status === "wait" || r.status === "end") await r.connect().catch(() => undefined);
      await r.ping();
    }),
  ]);
  const ok = postgres.ok && redis.ok;
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", postgres, redis },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
