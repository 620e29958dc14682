/**
 * When to try a delivery again. Azure retries a webhook on 408, 429, 503, 504 and network errors after 5, 20, 5, 40
 * and 5 seconds, then leaves the endpoint alone for 15 minutes. We do the same, wait at least what a Retry-After asks
 * (capped, so one header cannot park a delivery for a day), and hold what arrives during the skip instead of dropping it.
 */
import type { SendResult } from "../message";

export type RetryPolicy = {
  /** the waits before each retry: one retry per entry */
  delaysMs: readonly number[];
  /** the most a Retry-After header can make us wait */
  retryAfterCapMs: number;
  /** how long an endpoint is skipped once a delivery used up its retries */
  skipMs: number;
};

export const azureRetryPolicy: RetryPolicy = {
  delaysMs: [5_000, 20_000, 5_000, 40_000, 5_000],
  retryAfterCapMs: 5 * 60_000,
  skipMs: 15 * 60_000,
};

export type NextStep =
  | { kind: "sent" }
  | { kind: "retry"; at: Date }
  /** `skipUntil`: the retries ran out, so the endpoint is skipped until then */
  | { kind: "failed"; skipUntil: Date | null };

/** After attempt number `attempt` (1 = the first try) ended with `result` at `now`. */
export function nextStep(policy: RetryPolicy, attempt: number, result: Pick<SendResult, "outcome" | "retryAfterMs">, now: Date): NextStep {
  if (result.outcome === "sent") return { kind: "sent" };
  if (result.outcome === "failed") return { kind: "failed", skipUntil: null };
  const delay = policy.delaysMs[attempt - 1];
  if (delay === undefined) return { kind: "failed", skipUntil: new Date(now.getTime() + policy.skipMs) };
  const asked = result.retryAfterMs !== undefined && Number.isFinite(result.retryAfterMs) ? Math.min(Math.max(result.retryAfterMs, 0), policy.retryAfterCapMs) : 0;
  return { kind: "retry", at: new Date(now.getTime() + Math.max(delay, asked)) };
}
