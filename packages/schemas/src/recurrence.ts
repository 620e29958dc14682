import { z } from "zod";

/**
 * A recurring silence (maintenance window): an RFC 5545 RRULE, read on the local calendar of an IANA time zone, each
 * occurrence lasting `durationMinutes`. The series starts at the silence's `startsAt` (DTSTART: its local time of day
 * is the windows' start unless BYHOUR/BYMINUTE say otherwise). Only what a maintenance window needs is accepted, and
 * strictly: rrule.js itself reads `FREQ=FOO` or `INTERVAL=abc` without complaint.
 */

export const MAX_RECURRENCE_MINUTES = 7 * 24 * 60;
const MAX_RRULE_LENGTH = 500;
/** BYHOUR × BYMINUTE: more windows a day than this is a schedule nobody means. */
const MAX_WINDOWS_PER_DAY = 24;

const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
const TOO_FREQUENT = ["SECONDLY", "MINUTELY", "HOURLY"];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type RecurrenceFrequency = (typeof FREQUENCIES)[number];
export type Weekday = (typeof WEEKDAYS)[number];

/** The parts of an accepted RRULE, as the screen and the YAML describe it. */
export type RecurrenceRule = {
  freq: RecurrenceFrequency;
  interval: number;
  count?: number;
  /** UTC instant (RFC 5545 requires UNTIL in UTC when DTSTART has a time zone) */
  until?: Date;
  byDay?: { weekday: Weekday; n?: number }[];
  byMonthDay?: number[];
  byMonth?: number[];
  byHour?: number[];
  byMinute?: number[];
  bySetPos?: number[];
  wkst?: Weekday;
};

type Parsed = { ok: true; rule: RecurrenceRule; text: string } | { ok: false; error: string };

const F = "recurrence.rrule";

function intList(key: string, value: string, min: number, max: number, nonZero = false): number[] | string {
  const items = value.split(",");
  const out: number[] = [];
  for (const item of items) {
    if (!/^[+-]?\d{1,4}$/.test(item)) return `${F} ${key} must be a comma-separated list of whole numbers (got "${cut(item)}")`;
    const n = Number(item);
    if (n < min || n > max || (nonZero && n === 0)) return `${F} ${key} values must be between ${min} and ${max}${nonZero ? " and not 0" : ""} (got ${item})`;
    out.push(n);
  }
  if (new Set(out).size !== out.length) return `${F} ${key} must not repeat a value`;
  return out;
}

const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function untilOf(value: string): Date | string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(value);
  const error = `${F} UNTIL must be a date (20261231) or a UTC date-time (20261231T230000Z)`;
  if (!m) return error;
  const [, y, mo, d, h = "00", mi = "00", s = "00"] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1) return error;
  // a bare date ends the series at the end of that (UTC) day: the window starting on it still counts
  return m[4] === undefined ? new Date(date.getTime() + 86_400_000 - 1000) : date;
}

/** Parses and checks an RRULE line (`FREQ=WEEKLY;BYDAY=SU`, an `RRULE:` prefix allowed); errors name `recurrence.rrule`. */
export function parseRecurrenceRule(input: string): Parsed {
  const text = input.trim().replace(/^RRULE:/i, "");
  if (!text) return { ok: false, error: `${F} is required, such as FREQ=WEEKLY;BYDAY=SU` };
  if (text.length > MAX_RRULE_LENGTH) return { ok: false, error: `${F} must be at most ${MAX_RRULE_LENGTH} characters` };
  if (/[\r\n]/.test(text)) return { ok: false, error: `${F} must be one RRULE line such as FREQ=WEEKLY;BYDAY=SU (the start comes from startsAt)` };
  const seen = new Map<string, string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return { ok: false, error: `${F} must be KEY=VALUE parts separated by ";" (got "${cut(part)}")` };
    const key = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().toUpperCase();
    if (seen.has(key)) return { ok: false, error: `${F} names ${key} twice` };
    if (!value) return { ok: false, error: `${F} ${key} needs a value` };
    seen.set(key, value);
  }
  const freq = seen.get("FREQ");
  if (!freq) return { ok: false, error: `${F} must have a FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)` };
  if (TOO_FREQUENT.includes(freq))
    return { ok: false, error: `${F} FREQ=${freq} is not allowed: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY` };
  if (!(FREQUENCIES as readonly string[]).includes(freq)) return { ok: false, error: `${F} FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got "${cut(freq)}")` };
  const rule: RecurrenceRule = { freq: freq as RecurrenceFrequency, interval: 1 };

  for (const [key, value] of seen) {
    let list: number[] | string;
    switch (key) {
      case "FREQ":
        break;
      case "INTERVAL":
        if (!/^\d{1,3}$/.test(value) || Number(value) < 1) return { ok: false, error: `${F} INTERVAL must be a whole number from 1 to 999` };
        rule.interval = Number(value);
        break;
      case "COUNT":
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1) return { ok: false, error: `${F} COUNT must be a whole number from 1 to 9999` };
        rule.count = Number(value);
        break;
      case "UNTIL": {
        const until = untilOf(value);
        if (typeof until === "string") return { ok: false, error: until };
        rule.until = until;
        break;
      }
      case "BYDAY": {
        const days: { weekday: Weekday; n?: number }[] = [];
        for (const item of value.split(",")) {
          const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
          if (!m) return { ok: false, error: `${F} BYDAY must list days such as MO,WE,FR or 1SU, -1FR (got "${cut(item)}")` };
          const n = m[1] === undefined ? undefined : Number(m[1]);
          if (n !== undefined && (n === 0 || Math.abs(n) > 53)) return { ok: false, error: `${F} BYDAY position must be 1 to 53 or -1 to -53 (got ${m[1]})` };
          if (n !== undefined && rule.freq !== "MONTHLY" && rule.freq !== "YEARLY")
            return { ok: false, error: `${F} BYDAY with a position (${item}) needs FREQ=MONTHLY or YEARLY` };
          days.push({ weekday: m[2] as Weekday, ...(n === undefined ? {} : { n }) });
        }
        if (new Set(value.split(",")).size !== days.length) return { ok: false, error: `${F} BYDAY must not repeat a day` };
        rule.byDay = days;
        break;
      }
      case "BYMONTHDAY":
        if (typeof (list = intList(key, value, -31, 31, true)) === "string") return { ok: false, error: list };
        rule.byMonthDay = list;
        break;
      case "BYMONTH":
        if (typeof (list = intList(key, value, 1, 12)) === "string") return { ok: false, error: list };
        rule.byMonth = list;
        break;
      case "BYHOUR":
        if (typeof (list = intList(key, value, 0, 23)) === "string") return { ok: false, error: list };
        rule.byHour = list;
        break;
      case "BYMINUTE":
        if (typeof (list = intList(key, value, 0, 59)) === "string") return { ok: false, error: list };
        rule.byMinute = list;
        break;
      case "BYSETPOS":
        if (typeof (list = intList(key, value, -366, 366, true)) === "string") return { ok: false, error: list };
        rule.bySetPos = list;
        break;
      case "WKST":
        if (!(WEEKDAYS as readonly string[]).includes(value)) return { ok: false, error: `${F} WKST must be a day such as MO` };
        rule.wkst = value as Weekday;
        break;
      case "DTSTART":
      case "TZID":
        return { ok: false, error: `${F} must not carry ${key}: the series starts at startsAt, in recurrence.timeZone` };
      default:
        return { ok: false, error: `${F} ${cut(key)} is not supported (use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE, BYSETPOS, WKST)` };
    }
  }
  if (rule.count !== undefined && rule.until !== undefined) return { ok: false, error: `${F} must not have both COUNT and UNTIL` };
  if ((rule.byHour?.length ?? 1) * (rule.byMinute?.length ?? 1) > MAX_WINDOWS_PER_DAY)
    return { ok: false, error: `${F} BYHOUR and BYMINUTE make more than ${MAX_WINDOWS_PER_DAY} windows a day` };
  return { ok: true, rule, text: [...seen].map(([k, v]) => `${k}=${v}`).join(";") };
}

/**
 * The IANA zone as given, in its proper case (`europe/berlin` → `Europe/Berlin`), or null when there is none. Intl knows the
 * zone database (luxon's IANAZone.isValidZone asks it the same way; this keeps luxon out of the browser's bundle);
 * offsets such as `+01:00`, which newer engines also accept, are not IANA names and are refused.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!zone || zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  // ICU resolves some names to legacy ones (Asia/Kolkata → Asia/Calcutta): keep the name given, in ICU's case
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

export const recurrenceSchema = z.strictObject(
  {
    rrule: z.string({ message: "recurrence.rrule must be an RRULE such as FREQ=WEEKLY;BYDAY=SU" }).transform((value, ctx) => {
      const parsed = parseRecurrenceRule(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.error });
        return z.NEVER;
      }
      return parsed.text;
    }),
    timeZone: z.string({ message: "recurrence.timeZone must be an IANA time zone such as Europe/Berlin" }).transform((value, ctx) => {
      const zone = canonicalTimeZone(value.trim());
      if (!zone) {
        ctx.addIssue({ code: "custom", message: `recurrence.timeZone must be an IANA time zone such as Europe/Berlin (got "${cut(value.trim())}")` });
        return z.NEVER;
      }
      return zone;
    }),
    durationMinutes: z
      .number({ message: "recurrence.durationMinutes must be a number of minutes" })
      .int("recurrence.durationMinutes must be a whole number of minutes")
      .min(1, "recurrence.durationMinutes must be at least 1")
      .max(MAX_RECURRENCE_MINUTES, `recurrence.durationMinutes must be at most ${MAX_RECURRENCE_MINUTES} (7 days)`),
  },
  { message: "recurrence must be an object with rrule, timeZone and durationMinutes" },
);

export type Recurrence = z.output<typeof recurrenceSchema>;
