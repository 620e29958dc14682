import { createDb, parseEncryptionKey, type Db } from "@vaultwatch/db";
import { env } from "@/env";

const g = globalThis as unknown as { __vwDb?: Db; __vwKey?: Buffer };

/** Created on first use (never at import, so `next build` needs no secrets); one per process. */
export function getDb(): Db {
  g.__vwDb ??= createDb(env.DATABASE_URL);
  return g.__vwDb;
}

export function getEncryptionKey(): Buffer {
  g.__vwKey ??= parseEncryptionKey(env.ENCRYPTION_KEY);
  return g.__vwKey;
}
