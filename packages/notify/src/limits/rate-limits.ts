/**
 * Per-endpoint send budgets, as Azure limits action groups (100 emails an hour per address, one SMS or voice call
 * per 5 minutes per number) plus an optional per-webhook rate. Azure drops what exceeds a limit; we fold it into one
 * digest sent when the window ends. Windows are fixed (aligned to the epoch), so every worker computes the same
 * window and the same digest for an endpoint without talking to the others.
 */
export type RateLimit = { max: number; windowMs: number };

export const EMAIL_PER_HOUR = 100;
export const PHONE_WINDOW_MS = 5 * 60_000;

/** The budget of one receiver's endpoint, or null when its channel is not rate limited by us. */
export function rateLimitOf(receiver: { type: string; ratePerMinute?: number | null }): RateLimit | null {
  switch (receiver.type) {
    case "email":
    case "armRoleEmail":
      return { max: EMAIL_PER_HOUR, windowMs: 3600_000 };
    case "sms":
    case "voice":
      return { max: 1, windowMs: PHONE_WINDOW_MS };
    case "webhook":
      return receiver.ratePerMinute ? { max: receiver.ratePerMinute, windowMs: 60_000 } : null;
    default:
      return null;
  }
}

/** The fixed window holding `at`: [start, end). */
export function windowOf(limit: RateLimit, at: Date): { start: Date; end: Date } {
  const start = Math.floor(at.getTime() / limit.windowMs) * limit.windowMs;
  return { start: new Date(start), end: new Date(start + limit.windowMs) };
}

/**
 * What to do with one more message to an endpoint that has already sent `sentInWindow` in the current window:
 * send it now, or fold it into the digest sent when the window ends.
 */
export function budgetDecision(limit: RateLimit | null, sentInWindow: number, at: Date): { action: "send" } | { action: "fold"; digestAt: Date } {
  if (!limit || sentInWindow < limit.max) return { action: "send" };
  return { action: "fold", digestAt: windowOf(limit, at).end };
}
