/**
 * Log Analytics' `timespan`: an ISO 8601 duration ending now (`PT12H`, `P1D`), or an interval `start/end`,
 * `start/duration` or `duration/end`.
 */
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export class TimespanError extends Error {}

/** Milliseconds of an ISO 8601 duration; years and months are refused because their length varies. */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === "P" || /T$/i.test(text.trim())) {
    throw new TimespanError(`'${text}' is not an ISO 8601 duration such as PT12H or P7D`);
  }
  const [w, d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number, number];
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

function parseInstant(text: string): Date {
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) throw new TimespanError(`'${text}' is not an ISO 8601 date-time`);
  return new Date(ms);
}

export function parseTimespan(text: string, now: Date): { start: Date; end: Date } {
  const parts = text.split("/");
  if (parts.length === 1) return { start: new Date(now.getTime() - parseDurationMs(parts[0]!)), end: now };
  if (parts.length !== 2) throw new TimespanError(`'${text}' is not a duration or a start/end interval`);
  const [a, b] = parts as [string, string];
  const isDuration = (s: string) => /^P/i.test(s.trim());
  let range: { start: Date; end: Date };
  if (isDuration(a) && isDuration(b)) throw new TimespanError(`'${text}' has two durations and no instant`);
  if (isDuration(a)) {
    const end = parseInstant(b);
    range = { start: new Date(end.getTime() - parseDurationMs(a)), end };
  } else if (isDuration(b)) {
    const start = parseInstant(a);
    range = { start, end: new Date(start.getTime() + parseDurationMs(b)) };
  } else {
    range = { start: parseInstant(a), end: parseInstant(b) };
  }
  if (range.end < range.start) throw new TimespanError(`'${text}' ends before it starts`);
  return range;
}
