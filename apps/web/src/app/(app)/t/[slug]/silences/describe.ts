/**
 * Silences in words for the Silences screen ("Sev2–4 of rule 'Backup failed' on vault contoso-rsv", "every Sunday
 * 01:00–05:00 Europe/Berlin") and the local wall time ↔ instant conversions its form needs (Intl only: the browser
 * knows every IANA zone).
 */
import { parseRecurrenceRule, type RecurrenceRule, type SilenceMatchers, type Weekday } from "@vaultwatch/schemas";

export const WEEKDAYS: { code: Weekday; short: string; long: string }[] = [
  { code: "MO", short: "Mon", long: "Monday" },
  { code: "TU", short: "Tue", long: "Tuesday" },
  { code: "WE", short: "Wed", long: "Wednesday" },
  { code: "TH", short: "Thu", long: "Thursday" },
  { code: "FR", short: "Fri", long: "Friday" },
  { code: "SA", short: "Sat", long: "Saturday" },
  { code: "SU", short: "Sun", long: "Sunday" },
];

const list = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
/** The last segment of an ARM id (a vault's name), or the text itself. */
export const lastSegment = (id: string) => id.replace(/\/+$/, "").split("/").at(-1) ?? id;

function severityWords(sevs: number[]): string {
  const s = [...sevs].sort((a, b) => a - b);
  const contiguous = s.every((v, i) => i === 0 || v === s[i - 1]! + 1);
  if (s.length > 1 && contiguous) return `Sev${s[0]}–${s.at(-1)}`;
  return list(s.map((v) => `Sev${v}`));
}

/** What a silence matches, in one sentence. */
export function describeMatchers(m: SilenceMatchers, ruleName: (id: string) => string | undefined): string {
  const parts: string[] = [m.severities ? `${severityWords(m.severities)} alerts` : "Alerts"];
  if (m.ruleIds) {
    const names = m.ruleIds.map((id) => `'${ruleName(id) ?? "a deleted rule"}'`);
    parts.push(`of ${names.length > 1 ? "rules" : "rule"} ${list(names)}`);
  }
  if (m.vaults) parts.push(`on ${m.vaults.length > 1 ? "vaults" : "vault"} ${list(m.vaults.map(lastSegment))}`);
  if (m.resourceGroups) parts.push(`in resource ${m.resourceGroups.length > 1 ? "groups" : "group"} ${list(m.resourceGroups)}`);
  if (m.resourceIds) parts.push(`under ${list(m.resourceIds.map(lastSegment))}`);
  if (m.dimensions) parts.push(`where ${list(m.dimensions.map((d) => `${d.name} = ${d.value}`))}`);
  return parts.join(" ");
}

// ---- time in a zone ----

function wallParts(instant: Date, zone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** `2026-03-29` and `01:00` as wall time in `zone` → the instant (a skipped local time moves forward, as the server does). */
export function zonedInstant(date: string, time: string, zone: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = wallParts(new Date(guess), zone);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
    guess = wall - offset;
  }
  return new Date(guess);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The instant's local date (YYYY-MM-DD) and time (HH:mm) in `zone`. */
export function wallDateTime(instant: Date, zone: string): { date: string; time: string } {
  const p = wallParts(instant, zone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** "Sun 29 Mar 01:00–05:00" in the zone (the end's date too when it is another day). */
export function windowText(w: { start: Date; end: Date }, zone: string): string {
  const day = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short" });
  const s = wallDateTime(w.start, zone);
  const e = wallDateTime(w.end, zone);
  return s.date === e.date ? `${day.format(w.start)} ${s.time}–${e.time}` : `${day.format(w.start)} ${s.time} – ${day.format(w.end)} ${e.time}`;
}

function durationWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}

const ORDINAL: Record<number, string> = { 1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", [-1]: "last", [-2]: "second-to-last" };

function daysWords(rule: RecurrenceRule): string | null {
  if (!rule.byDay) return null;
  return list(
    rule.byDay.map((d) => {
      const name = WEEKDAYS.find((w) => w.code === d.weekday)!.long;
      return d.n === undefined ? name : `${ORDINAL[d.n] ?? `#${d.n}`} ${name}`;
    }),
  );
}

/** A recurrence in words ("every Sunday 01:00–05:00 Europe/Berlin"), falling back to the RRULE where words fail. */
export function describeSchedule(s: { startsAt: Date; endsAt: Date | null; recurrence: { rrule: string; timeZone: string; durationMinutes: number } | null }): string {
  if (!s.recurrence) return `once, ${s.startsAt.toISOString().slice(0, 16).replace("T", " ")} – ${s.endsAt ? s.endsAt.toISOString().slice(0, 16).replace("T", " ") : "…"} UTC`;
  const { rrule, timeZone, durationMinutes } = s.recurrence;
  const parsed = parseRecurrenceRule(rrule);
  const start = wallDateTime(s.startsAt, timeZone).time;
  const [h, m] = start.split(":").map(Number) as [number, number];
  const endMinutes = h * 60 + m + durationMinutes;
  const time = durationMinutes < 24 * 60 ? `${start}–${pad(Math.floor(endMinutes / 60) % 24)}:${pad(endMinutes % 60)}` : `${start} for ${durationWords(durationMinutes)}`;
  const simple = parsed.ok && !parsed.rule.byHour && !parsed.rule.byMinute && !parsed.rule.bySetPos && !parsed.rule.byMonth && !parsed.rule.count && !parsed.rule.until;
  let when: string | null = null;
  if (parsed.ok && simple) {
    const r = parsed.rule;
    const every = r.interval > 1 ? `every ${r.interval} ${r.freq === "DAILY" ? "days" : r.freq === "WEEKLY" ? "weeks" : r.freq === "MONTHLY" ? "months" : "years"}` : null;
    const days = daysWords(r);
    if (r.freq === "DAILY" && !days && !r.byMonthDay) when = every ?? "every day";
    else if (r.freq === "WEEKLY" && !r.byMonthDay) when = days ? `${every ? `${every} on` : "every"} ${days}` : (every ?? "every week");
    else if (r.freq === "MONTHLY" && days && !r.byMonthDay) when = `the ${days} of ${every ?? "every month"}`;
    else if (r.freq === "MONTHLY" && r.byMonthDay && !days) when = `day ${list(r.byMonthDay.map(String))} of ${every ?? "every month"}`;
  }
  const expiry = s.endsAt ? `, until ${s.endsAt.toISOString().slice(0, 10)}` : "";
  return when ? `${when} ${time} ${timeZone}${expiry}` : `${rrule} at ${time} ${timeZone}${expiry}`;
}
