/**
 * ISO 8601 datetimes as Azure writes them: up to 7 fractional digits (.NET ticks), `Z` or an offset.
 * A value without a zone is read as UTC, as Log Analytics does on ingestion.
 */
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Normalises a datetime string to UTC ISO form keeping sub-millisecond digits (Kusto keeps 100 ns),
 * e.g. `2018-01-29T22:42:31.3810679+02:00` → `2018-01-29T20:42:31.3810679Z`. Returns null when not a datetime.
 */
export function normaliseDatetime(input: string): string | null {
  const canonical = canonicalUtcDatetime(input);
  if (canonical !== undefined) return canonical;
  return normaliseDatetimePrecise(input);
}

/** The general parser (any zone, space separator, surrounding blanks); normaliseDatetime's reference behaviour. */
export function normaliseDatetimePrecise(input: string): string | null {
  const m = isoPattern.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00", frac = "", zone = "Z"] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(base);
  // Date.UTC rolls 2019-02-30 over into March; a rolled-over value was not a real date.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * (zone.startsWith("-") ? -1 : 1);
  }
  const utc = new Date(base - offsetMinutes * 60_000).toISOString().slice(0, 19);
  const fraction = frac.slice(0, 7).replace(/0+$/, "");
  return `${utc}${fraction ? `.${fraction}` : ""}Z`;
}

export function isDatetime(input: string): boolean {
  return normaliseDatetime(input) !== null;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at i as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Fast path for what nearly every sender writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (upper-case T and Z, year 100 or
 * later): its normal form is itself, less fraction digits past the 7th and trailing zeros. Checks the same calendar
 * rules as the general parser without allocating. Undefined means "not this form: ask the general parser".
 */
function canonicalUtcDatetime(s: string): string | null | undefined {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 /* T */) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const hi = digits2(s, 0);
  const lo = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  if (hi < 0 || lo < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const year = hi * 100 + lo;
  // Date.UTC reads years below 100 as 19xx: leave those to the general parser.
  if (year < 100) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!)) return null;
  if (n === 20) return s;
  // `.` then 1 to 9 digits, then Z
  if (s.charCodeAt(19) !== 46 || n === 21) return undefined;
  let end = n - 1; // one past the last fraction digit
  for (let i = 20; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (end > 27) end = 27; // at most 7 digits (100 ns)
  while (end > 20 && s.charCodeAt(end - 1) === 48) end--;
  if (end === n - 1) return s;
  return end === 20 ? `${s.slice(0, 19)}Z` : `${s.slice(0, end)}Z`;
}
