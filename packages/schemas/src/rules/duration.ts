import { z } from "zod";

/**
 * ISO 8601 durations as Azure alert rules write them (`PT5M`, `PT1H`, `P1D`, `P1DT12H`).
 * Only days, hours, minutes and (fractional) seconds: years and months have no fixed length, and Azure's
 * rule properties never use them. One implementation, shared by the schemas and the alert engine.
 */
const durationPattern = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds in an ISO 8601 duration, or null when the text is not one (or is empty, like `P` or `PT`). */
export function parseIsoDuration(text: string): number | null {
  const m = durationPattern.exec(text.trim().toUpperCase());
  if (!m || text.trim().toUpperCase().endsWith("T")) return null;
  const [, d, h, min, s] = m;
  if (d === undefined && h === undefined && min === undefined && s === undefined) return null;
  return Math.round(Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Number(s ?? 0) * SECOND);
}

/** The shortest ISO 8601 form of a non-negative number of milliseconds (`PT0S` for zero). */
export function formatIsoDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a duration must be a non-negative number of ms, got ${ms}`);
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = rest / SECOND;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${seconds}S` : ""}`;
  if (!days && !time) return "PT0S";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

export type DurationRange = { min: string; max: string };

/** Why a duration is unacceptable for `field`, or null when it parses and lies in [min, max]. */
export function checkIsoDuration(field: string, text: string, range: DurationRange): string | null {
  const ms = parseIsoDuration(text);
  if (ms === null) return `${field} must be an ISO 8601 duration such as PT5M, PT1H or P1D`;
  if (ms < (parseIsoDuration(range.min) ?? 0) || ms > (parseIsoDuration(range.max) ?? Infinity))
    return `${field} must be between ${range.min} and ${range.max}`;
  return null;
}

/** A zod string holding an ISO duration in range; kept as written, upper-cased. */
export function isoDuration(field: string, range: DurationRange) {
  return z
    .string({ message: `${field} must be an ISO 8601 duration such as PT5M` })
    .trim()
    .transform((s, ctx) => {
      const problem = checkIsoDuration(field, s, range);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return s.toUpperCase();
    });
}
