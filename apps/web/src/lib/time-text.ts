/** How the pages write a moment: UTC to the second, local date and time, or how long ago (components/time.tsx shows them). */
export type TimeFormat = "relative" | "local" | "date";

type At = Date | string | number;

const asDate = (at: At) => (at instanceof Date ? at : new Date(at));

/** 2026-12-07 11:57:31 UTC */
export function utcText(at: At): string {
  return asDate(at).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** Dec 7, 2026, 12:57 PM in the browser's zone and conventions. */
export function localText(at: At, format: Exclude<TimeFormat, "relative"> = "local"): string {
  return asDate(at).toLocaleString(undefined, format === "date" ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" });
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 3600],
  ["hour", 86_400],
  ["day", 30 * 86_400],
];

/** "in 5 minutes", "3 hours ago"; a month or more away it is the local date. */
export function relativeText(at: At, now: number): string {
  const d = asDate(at);
  const diff = (d.getTime() - now) / 1000;
  let unitSeconds = 1;
  for (const [unit, limit] of steps) {
    if (Math.abs(diff) < limit) return rtf.format(Math.round(diff / unitSeconds), unit);
    unitSeconds = limit;
  }
  return localText(d, "date");
}

