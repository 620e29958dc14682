import { Redis, type RedisOptions } from "ioredis";

export type RedisRole = "producer" | "worker";

/**
 * One Redis connection per role. Producers (web, schedulers) fail fast when Redis is down instead of queueing
 * commands forever; workers block on Redis, so BullMQ requires `maxRetriesPerRequest: null` for them.
 * The URL may carry a password: it never appears in our logs or errors.
 */
export function createRedisConnection(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
  return new Redis(url, { lazyConnect: false, connectionName: `vaultwatch-${role}`, ...options, ...extra });
}

/** BullMQ key prefix (`REDIS_PREFIX`): runs and deployments sharing one Redis never see each other's queues. */
export function bullPrefix(prefix: string): string {
  const p = prefix.trim();
  if (!/^[\w.-]{1,64}$/.test(p)) throw new Error("REDIS_PREFIX: must be 1-64 letters, digits, '.', '_' or '-'");
  return p;
}

/** A key of our own (outside BullMQ) under the same prefix. */
export function ownKey(prefix: string, ...parts: string[]): string {
  return [bullPrefix(prefix), "vw", ...parts].join(":");
}
