/**
 * Where a runner's answer becomes an outcome: whatever a runner throws (a QueryFailure, an error of Postgres the
 * compiler did not foresee, a lost connection, an Azure RestError, a plain Error) or however long it hangs, the
 * evaluation gets a message to record instead of an exception that would leave its claim unfinished.
 */
import { QueryFailure } from "./query-runner";

export type Guarded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Beyond the query's own timeout, how long a runner may take to give up by itself before we stop waiting. */
const ANSWER_GRACE_MS = 10_000;
const MAX_MESSAGE = 2_000;

/** Runs one runner call; never throws. */
export async function guardQuery<T>(call: () => Promise<T>, timeoutMs: number, graceMs = ANSWER_GRACE_MS): Promise<Guarded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const limit = timeoutMs + graceMs;
  const pending = new Promise<T>((resolve) => resolve(call())); // a synchronous throw is a failure too
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryFailure(`the query did not answer within ${limit} ms`)), limit);
    timer.unref();
  });
  try {
    return { ok: true, value: await Promise.race([pending, hung]) };
  } catch (e) {
    pending.catch(() => undefined); // a hung call that fails later has nobody left to tell
    return { ok: false, error: queryErrorMessage(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** A failure's message for the user: a QueryFailure's own, anything else named as the query's failure. */
export function queryErrorMessage(e: unknown): string {
  const text = e instanceof QueryFailure ? e.message : `the query failed: ${e instanceof Error ? e.message : String(e)}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
