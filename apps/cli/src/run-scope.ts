// What one run of `vaultwatch` sees: its output streams, its environment and the connections it opened. The binary
// makes one run per process; tests make many in one process, some at once, so nothing of a run lives in a module
// variable: it lives in the run's scope (AsyncLocalStorage follows the run through every await).
import { AsyncLocalStorage } from "node:async_hooks";
import type { Auth } from "@vaultwatch/auth";
import type { Db } from "@vaultwatch/db";
import type pg from "pg";
import type { CliEnv } from "./env";

/** Anything with a `write(text)`: process.stdout, or a test's string buffer. */
export type Output = { write(text: string): unknown };

export type RunIo = {
  stdout: Output;
  stderr: Output;
  /** The variables the run reads (the repo's `.env` fills in what they lack); absent: the process's own. */
  env?: Record<string, string | undefined>;
};

export type RunScope = { io: RunIo; env?: CliEnv; db?: Db; auth?: Auth; rowPool?: pg.Pool };

const storage = new AsyncLocalStorage<RunScope>();

/** Outside any run (a module's top level): the process's own streams and environment. */
const processScope: RunScope = { io: { stdout: process.stdout, stderr: process.stderr } };

export function currentRun(): RunScope {
  return storage.getStore() ?? processScope;
}

export function inRunScope<T>(io: RunIo, fn: () => Promise<T>): Promise<T> {
  return storage.run({ io }, fn);
}
