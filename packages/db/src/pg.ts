/**
 * Plain `pg`, for the hot paths where Prisma costs more than the statements (the evaluator, row tables of local
 * workspaces): one way to make a pool and one way to run a transaction on it.
 */
import pg from "pg";

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export type PgPoolOptions = {
  /** most connections at once (default 10) */
  max?: number;
  /** an idle connection is closed after this long (default 30 s) */
  idleTimeoutMillis?: number;
  /** shows in pg_stat_activity, so each pool's connections can be told apart */
  applicationName?: string;
  /** names the pool in the log line of an idle connection's error (default "pg pool") */
  label?: string;
};

export function createPgPool(connectionString: string, options: PgPoolOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // An idle connection's error (Postgres restarted, backend terminated) must not crash the process: the pool drops
  // that connection, and the next query opens another.
  pool.on("error", (e) => console.error(`${options.label ?? "pg pool"}: idle connection error: ${e.message}`));
  return pool;
}

export type PgTransactionOptions = {
  /** BEGIN READ ONLY */
  readOnly?: boolean;
  /** SET LOCAL statement_timeout, in milliseconds */
  statementTimeoutMs?: number;
  /** other SET LOCAL settings for the transaction, e.g. `{ TimeZone: "UTC" }` */
  settings?: Readonly<Record<string, string>>;
};

const settingName = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** BEGIN and the transaction's settings as one statement (no parameters, so one round trip runs them all). */
function beginSql(options: PgTransactionOptions): string {
  const parts = [options.readOnly ? "BEGIN READ ONLY" : "BEGIN"];
  if (options.statementTimeoutMs !== undefined) {
    const ms = Math.floor(options.statementTimeoutMs);
    if (!Number.isFinite(ms) || ms < 1) throw new RangeError(`statementTimeoutMs must be at least 1, got ${options.statementTimeoutMs}`);
    parts.push(`SET LOCAL statement_timeout = ${ms}`);
  }
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    if (!settingName.test(name)) throw new RangeError(`not a setting name: ${JSON.stringify(name)}`);
    parts.push(`SET LOCAL ${name} = ${literal(value)}`);
  }
  return parts.join("; ");
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * Runs `fn` between BEGIN and COMMIT on one pooled connection, and ROLLBACK when anything throws (the error is
 * rethrown as it came). A connection that cannot be trusted afterwards is discarded rather than handed to the next
 * caller: one whose ROLLBACK failed (its transaction may still be open, or half a COPY still in flight), and one
 * that reported an error of its own while checked out (its backend was terminated, the server went away).
 */
export async function withPgTransaction<T>(
  pool: Pick<pg.Pool, "connect">,
  fn: (client: PgClient) => Promise<T>,
  options: PgTransactionOptions = {},
): Promise<T> {
  const begin = beginSql(options);
  const client = await pool.connect();
  // The pool stops listening to a connection while it is checked out; a backend that dies meanwhile emits "error"
  // on the client, which with no listener would crash the process. The statement that was running fails with it.
  let lost: Error | undefined;
  const onError = (e: Error) => {
    lost = e;
  };
  client.on("error", onError);
  let rollbackFailed: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      rollbackFailed = asError(rollbackError);
    }
    throw e;
  } finally {
    client.off("error", onError);
    // release(err) destroys the connection instead of returning it to the pool
    client.release(rollbackFailed ?? lost);
  }
}
