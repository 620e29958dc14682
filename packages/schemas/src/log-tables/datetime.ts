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
