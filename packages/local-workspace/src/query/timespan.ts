/**
 * Log Analytics' `timespan`: an ISO 8601 duration ending now (`PT12H`, `P1D`), or an interval `start/end`,
 * `start/duration` or `duration/end`. Both ends must lie in Kusto's datetime range (years 0001 to 9999), so an
 * absurd value (`P99999999999D`) is a clear error here rather than an invalid date further down.
 */
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export class TimespanError extends Error {}

/** The input as errors quote it: never more than a short prefix of a long value. */
const shown = (text: string) => `'${text.length > 60 ? `${text.slice(0, 60)}…` : text}'`;

/** Kusto's datetime range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z. */
export const MIN_DATETIME = new Date("0001-01-01T00:00:00.000Z");
export const MAX_DATETIME = new Date("9999-12-31T23:59:59.999Z");
const MAX_DURATION_MS = MAX_DATETIME.getTime() - MIN_DATETIME.getTime();

/** Milliseconds of an ISO 8601 duration; years and months are refused because their length varies. */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === "P" || /T$/i.test(text.trim())) {
    throw new TimespanError(`${shown(text)} is not an ISO 8601 duration such as PT12H or P7D`);
  }
  const [w, d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number, number];
  const ms = ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
  if (!(ms <= MAX_DURATION_MS)) throw new TimespanError(`${shown(text)} is longer than Kusto's whole datetime range (about 10,000 years)`);
  return ms;
}

function inRange(date: Date, text: string): Date {
  const ms = date.getTime();
  if (!(ms >= MIN_DATETIME.getTime() && ms <= MAX_DATETIME.getTime())) {
    throw new TimespanError(`${shown(text)} reaches outside Kusto's datetime range (0001-01-01 to 9999-12-31)`);
  }
  return date;
}

function parseInstant(text: string): Date {
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) throw new TimespanError(`${shown(text)} is not an ISO 8601 date-time`);
  return new Date(ms);
}

export function parseTimespan(text: string, now: Date): { start: Date; end: Date } {
  const parts = text.split("/");
  if (parts.length === 1) return { start: inRange(new Date(now.getTime() - parseDurationMs(parts[0]!)), text), end: now };
  if (parts.length !== 2) throw new TimespanError(`${shown(text)} is not a duration or a start/end interval`);
  const [a, b] = parts as [string, string];
  const isDuration = (s: string) => /^P/i.test(s.trim());
  let range: { start: Date; end: Date };
  if (isDuration(a) && isDuration(b)) throw new TimespanError(`${shown(text)} has two durations and no instant`);
  if (isDuration(a)) {
    const end = parseInstant(b);
    range = { start: new Date(end.getTime() - parseDurationMs(a)), end };
  } else if (isDuration(b)) {
    const start = parseInstant(a);
    range = { start, end: new Date(start.getTime() + parseDurationMs(b)) };
  } else {
    range = { start: parseInstant(a), end: parseInstant(b) };
  }
  if (range.end < range.start) throw new TimespanError(`${shown(text)} ends before it starts`);
  return { start: inRange(range.start, text), end: inRange(range.end, text) };
}
