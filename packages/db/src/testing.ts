/**
 * Test support. Vitest runs many test files in one process (`isolate: false`, for speed): a harness module, and its
 * pool, is loaded once and shared by every file the process runs. So a file's `afterAll(() => pool.end())` must not
 * end the pool for the files after it: the shared pool ignores `end()`, and lets the process exit while it is idle.
 */
import pg from "pg";

export function sharedTestPool(connectionString: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 8, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
  pool.on("error", () => undefined); // an idle connection dropped by a test that restarts or terminates backends
  pool.end = () => Promise.resolve();
  return pool;
}
