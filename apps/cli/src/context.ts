import { createAuth, type Auth } from "@vaultwatch/auth";
import { createCaller, type SessionUser } from "@vaultwatch/api";
import { azureRunnerFrom } from "@vaultwatch/azure";
import { createDb, createPgPool, parseEncryptionKey, type Db } from "@vaultwatch/db";
import { localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { channelConfig } from "@vaultwatch/notify/channel-config";
import type pg from "pg";
import { env } from "./env";
import { currentRun } from "./run-scope";

/** Database and auth for one CLI run (kept in the run's scope), created on first use and closed when the run ends. */
export function getDb(): Db {
  const run = currentRun();
  run.db ??= createDb(env().DATABASE_URL, { max: 3 });
  return run.db;
}

export function getAuth(): Auth {
  const run = currentRun();
  run.auth ??= createAuth({ db: getDb(), secret: env().AUTH_SECRET, baseURL: env().APP_URL });
  return run.auth;
}

/** The pg pool over local workspaces' row tables (queries, direct ingest). */
export function getRowPool(): pg.Pool {
  const run = currentRun();
  run.rowPool ??= createPgPool(env().DATABASE_URL, { max: 2, label: "cli row pool" });
  return run.rowPool;
}

export async function closeAll(): Promise<void> {
  const run = currentRun();
  const { db, rowPool } = run;
  run.db = undefined;
  run.auth = undefined;
  run.rowPool = undefined;
  await db?.$disconnect();
  await rowPool?.end();
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
    queryRunner: workspaceRunners({ local: localWorkspaceRunner(getRowPool()), ...(key ? { azure: azureRunnerFrom(getRowPool(), parseEncryptionKey(key)) } : {}) }),
    // test sends reach receivers with the deployment's SMTP, Twilio and network settings
    notify: channelConfig(env()),
  });
}
