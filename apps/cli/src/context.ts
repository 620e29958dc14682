import { createAuth, type Auth } from "@vaultwatch/auth";
import { createCaller, type SessionUser } from "@vaultwatch/api";
import { createDb, createPgPool, parseEncryptionKey, type Db } from "@vaultwatch/db";
import { localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import type pg from "pg";
import { env } from "./env";

/** Database and auth for one CLI run, created on first use and closed by main before exit. */
let db: Db | undefined;
let auth: Auth | undefined;
let rowPool: pg.Pool | undefined;

export function getDb(): Db {
  db ??= createDb(env().DATABASE_URL, { max: 3 });
  return db;
}

export function getAuth(): Auth {
  auth ??= createAuth({ db: getDb(), secret: env().AUTH_SECRET, baseURL: env().APP_URL });
  return auth;
}

/** The pg pool over local workspaces' row tables (queries, direct ingest). */
export function getRowPool(): pg.Pool {
  rowPool ??= createPgPool(env().DATABASE_URL, { max: 2, label: "cli row pool" });
  return rowPool;
}

export async function closeAll(): Promise<void> {
  const d = db;
  const p = rowPool;
  db = undefined;
  auth = undefined;
  rowPool = undefined;
  await d?.$disconnect();
  await p?.end();
}

/**
 * Call the API as a signed-in user (the same procedures, checks and audit entries as the web). Without
 * ENCRYPTION_KEY the key is empty, so anything that would encrypt a secret fails instead of using a wrong key.
 * `db` may be a transaction made to look like a client (rules-as-code applies a whole file in one transaction).
 */
export function callerAs(user: SessionUser, db: Db = getDb()) {
  const key = env().ENCRYPTION_KEY;
  return createCaller({
    db,
    auth: getAuth(),
    encryptionKey: key ? parseEncryptionKey(key) : Buffer.alloc(0),
    appUrl: env().APP_URL,
    user,
    headers: new Headers(),
    // rules are checked (and previewed) against their workspaces as the web does
    queryRunner: workspaceRunners({ local: localWorkspaceRunner(getRowPool()) }),
  });
}
