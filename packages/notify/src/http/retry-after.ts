/** The longest wait a receiver may ask for; the pipeline caps it further to its own schedule. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from `now`: either delay-seconds or an HTTP-date. Undefined when
 * absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date = new Date()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // IMF-fixdate and the obsolete forms all name a weekday or month: a bare number above was seconds
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS);
}
