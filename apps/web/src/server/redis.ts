import { Redis } from "ioredis";
import { env } from "@/env";

const g = globalThis as unknown as { __vwRedis?: Redis };

/** A lazily connecting client used by the health check only (queues belong to packages/jobs). */
export function getRedis(): Redis {
  if (!g.__vwRedis) {
    g.__vwRedis = new Redis(env.REDIS_URL, {
      lazyConnect: true,
      keyPrefix: `${env.REDIS_PREFIX}:`,
      maxRetriesPerRequest: 1,
      connectTimeout: 1500,
      enableOfflineQueue: true,
    });
    g.__vwRedis.on("error", () => {
      /* reported through /api/health */
    });
  }
  return g.__vwRedis;
}
