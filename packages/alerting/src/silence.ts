/**
 * Silences: which alerts a silence matches and when it holds. A one-time silence holds over [startsAt, endsAt); a
 * recurring one over each occurrence of its RRULE, read on the local calendar of its time zone, for durationMinutes
 * of local (wall-clock) time, from startsAt (DTSTART) until endsAt if set.
 *
 * rrule.js's own TZID handling returns "fake UTC" dates that are easy to misread, so occurrences are computed on a
 * floating calendar (a Date whose UTC fields are the local wall time, no zone at all) and each local start and end
 * is turned into an instant with luxon in the zone. A window "Sunday 01:00–05:00 Europe/Berlin" therefore covers
 * 01:00–05:00 on the wall clock whatever the UTC offset (3 real hours on the spring-forward Sunday, 5 on the
 * fall-back one). A local time the clock skips (02:30 on spring-forward day) moves forward by the gap, as luxon does.
 */
import { DateTime } from "luxon";
import * as rruleModule from "rrule";
import { parseRecurrenceRule, type Recurrence, type RecurrenceRule, type SilenceMatchers } from "@vaultwatch/schemas";

// rrule ships CommonJS to Node (named exports invisible to ESM) and ESM to bundlers: take RRule from either
const { RRule, Weekday: RRuleWeekday } = ("RRule" in rruleModule ? rruleModule : (rruleModule as unknown as { default: typeof rruleModule }).default);
type RRuleInstance = InstanceType<typeof RRule>;

/** What a silence needs to be judged (the stored row has more). */
export type SilenceDefinition = {
  startsAt: Date;
  /** one-time: the end; recurring: the series' expiry (null: until deleted) */
  endsAt: Date | null;
  recurrence?: Recurrence | null;
  matchers: SilenceMatchers;
};
/** @deprecated the old name of SilenceDefinition */
export type SilenceWindow = SilenceDefinition;

export type Window = { start: Date; end: Date };

/** The alert a notification is about, as the notifier knows it. */
export type SilencedAlert = {
  ruleId: string | null;
  severity: number;
  dimensions: { name: string; value: string }[];
  /** the alert's target resources (ARM ids) */
  targetIds?: readonly string[];
  at: Date;
};

const DAY_MS = 86_400_000;
const MAX_WINDOWS_LISTED = 100;

// ---- time: floating local calendar <-> instants ----

const floating = (instant: Date, zone: string): Date => {
  const t = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond));
};

const instantOf = (local: Date, zone: string): Date =>
  DateTime.fromObject(
    {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
    },
    { zone },
  ).toJSDate();

const WEEKDAY_INDEX = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 } as const;
const FREQ = { DAILY: RRule.DAILY, WEEKLY: RRule.WEEKLY, MONTHLY: RRule.MONTHLY, YEARLY: RRule.YEARLY } as const;

/** `dtstart` is floating (the series' local start, or one moved by whole periods). */
function buildRRule(rule: RecurrenceRule, dtstart: Date, zone: string): RRuleInstance {
  return new RRule({
    freq: FREQ[rule.freq],
    interval: rule.interval,
    dtstart,
    count: rule.count ?? null,
    until: rule.until ? floating(rule.until, zone) : null,
    byweekday: rule.byDay?.map((d) => new RRuleWeekday(WEEKDAY_INDEX[d.weekday], d.n)) ?? null,
    bymonthday: rule.byMonthDay ?? null,
    bymonth: rule.byMonth ?? null,
    byhour: rule.byHour ?? null,
    byminute: rule.byMinute ?? null,
    bysetpos: rule.bySetPos ?? null,
    wkst: rule.wkst ? WEEKDAY_INDEX[rule.wkst] : null,
  });
}

// a drain asks about the same few silences again and again: keep their parsed rules
const parsedCache = new Map<string, RecurrenceRule>();
const rruleCache = new Map<string, RRuleInstance>();
const remember = <V>(cache: Map<string, V>, key: string, make: () => V): V => {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= 512) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
  return value;
};

/**
 * The silence's rule, for occurrences from `localFrom` (floating) on. rrule.js iterates from DTSTART on every call,
 * so a daily series a year old costs hundreds of steps per question; without COUNT, a DAILY or WEEKLY series is the
 * same from any DTSTART moved by whole periods (INTERVAL days or weeks: same time of day, same weekday, same week
 * alignment), so DTSTART is moved to a period or two before `localFrom`.
 */
function rruleFrom(silence: SilenceDefinition & { recurrence: Recurrence }, localFrom: Date): RRuleInstance {
  const { rrule, timeZone } = silence.recurrence;
  const rule = remember(parsedCache, rrule, () => {
    const parsed = parseRecurrenceRule(rrule);
    if (!parsed.ok) throw new RangeError(parsed.error); // stored silences were validated: this is a bug, not input
    return parsed.rule;
  });
  let dtstart = floating(silence.startsAt, timeZone);
  if (rule.count === undefined && (rule.freq === "DAILY" || rule.freq === "WEEKLY")) {
    const periodMs = (rule.freq === "DAILY" ? 1 : 7) * rule.interval * DAY_MS;
    const periods = Math.floor((localFrom.getTime() - dtstart.getTime()) / periodMs) - 1;
    if (periods > 0) dtstart = new Date(dtstart.getTime() + periods * periodMs);
  }
  return remember(rruleCache, `${rrule}|${timeZone}|${dtstart.getTime()}`, () => buildRRule(rule, dtstart, timeZone));
}

const isRecurring = (s: SilenceDefinition): s is SilenceDefinition & { recurrence: Recurrence } => Boolean(s.recurrence);

/** The occurrence whose local start is `local` (floating), clipped to the series' expiry. */
function occurrence(s: SilenceDefinition & { recurrence: Recurrence }, local: Date): Window | null {
  const zone = s.recurrence.timeZone;
  const minutes = s.recurrence.durationMinutes;
  const start = instantOf(local, zone);
  let end = instantOf(new Date(local.getTime() + minutes * 60_000), zone);
  // a short window inside the hour the clock skips would vanish: it lasts its minutes of real time instead
  if (end <= start) end = new Date(start.getTime() + minutes * 60_000);
  if (s.endsAt && end > s.endsAt) end = s.endsAt;
  return end > start ? { start, end } : null;
}

/**
 * The window of the silence covering `at` ([start, end), half-open), or null when it does not hold then. When
 * occurrences overlap, the one ending last.
 */
export function silenceWindowAt(silence: SilenceDefinition, at: Date): Window | null {
  const t = at.getTime();
  if (t < silence.startsAt.getTime() || (silence.endsAt && t >= silence.endsAt.getTime())) return null;
  if (!isRecurring(silence)) return silence.endsAt ? { start: silence.startsAt, end: silence.endsAt } : null;
  const local = floating(at, silence.recurrence.timeZone);
  // occurrences starting up to one window (plus a day for offset changes) before `at`, on the local calendar
  const from = new Date(local.getTime() - silence.recurrence.durationMinutes * 60_000 - DAY_MS);
  const to = new Date(local.getTime() + DAY_MS);
  let best: Window | null = null;
  for (const start of rruleFrom(silence, from).between(from, to, true)) {
    const w = occurrence(silence, start);
    if (w && w.start.getTime() <= t && t < w.end.getTime() && (!best || w.end > best.end)) best = w;
  }
  return best;
}

/** The silence's next `count` windows that end after `from` (the one running now first), for the screen. */
export function nextWindows(silence: SilenceDefinition, from: Date, count: number): Window[] {
  const wanted = Math.max(0, Math.min(count, MAX_WINDOWS_LISTED));
  if (!wanted) return [];
  if (!isRecurring(silence)) {
    return silence.endsAt && silence.endsAt > from ? [{ start: silence.startsAt, end: silence.endsAt }] : [];
  }
  const seriesStart = floating(silence.startsAt, silence.recurrence.timeZone);
  const local = floating(from, silence.recurrence.timeZone);
  const after = new Date(Math.max(seriesStart.getTime(), local.getTime() - silence.recurrence.durationMinutes * 60_000 - DAY_MS));
  const windows: Window[] = [];
  // a rule that never occurs (BYMONTH=2;BYMONTHDAY=30) would be iterated to the year 9999: stop after 5 years
  const fiveYears = new Date(local.getTime() + 5 * 366 * DAY_MS);
  const horizon = silence.endsAt ? new Date(Math.min(floating(silence.endsAt, silence.recurrence.timeZone).getTime(), fiveYears.getTime())) : fiveYears;
  rruleFrom(silence, after).between(after, horizon, true, (start) => {
    const w = occurrence(silence, start);
    if (w && w.end > from && (!silence.endsAt || w.start < silence.endsAt)) windows.push(w);
    return windows.length < wanted;
  });
  return windows;
}

// ---- matchers ----

const VAULT_SEGMENT = /\/providers\/microsoft\.recoveryservices\/vaults\/([^/]+)/i;
const RESOURCE_GROUP_SEGMENT = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)/i;
const trimSlash = (s: string) => s.trim().replace(/\/+$/, "").toLowerCase();
/** `id` is `resource` or lies under it (a vault's backup items lie under the vault). */
const within = (id: string, resource: string) => id === resource || id.startsWith(`${resource}/`);

/**
 * Do the silence's matchers hold for the alert? Every matcher it names must hold; one left out matches every alert.
 * - ruleIds: the alert's rule (ids compare case-insensitively); severities: its severity;
 * - dimensions: each `{name, value}` is among the alert's dimensions (names exactly, as Kusto columns; values
 *   case-insensitively);
 * - vaults: a name equals a dimension value or the vault segment of a target id or ARM-id dimension value; an ARM id
 *   covers the vault and everything under it;
 * - resourceGroups: the resource group segment of a target id or ARM-id dimension value, or a `ResourceGroup`
 *   dimension;
 * - resourceIds: a target id or dimension value is the resource or lies under it.
 * Names and ids compare case-insensitively, as Azure treats them.
 */
export function matchersHold(matchers: SilenceMatchers, alert: Omit<SilencedAlert, "at">): boolean {
  const { ruleIds, severities, dimensions, vaults, resourceGroups, resourceIds } = matchers;
  if (ruleIds && !(alert.ruleId && ruleIds.some((id) => id.toLowerCase() === alert.ruleId!.toLowerCase()))) return false;
  if (severities && !severities.includes(alert.severity)) return false;
  if (dimensions) {
    for (const wanted of dimensions) {
      const value = wanted.value.toLowerCase();
      if (!alert.dimensions.some((d) => d.name === wanted.name && d.value.toLowerCase() === value)) return false;
    }
  }
  if (!vaults && !resourceGroups && !resourceIds) return true;
  const values = [...(alert.targetIds ?? []), ...alert.dimensions.map((d) => d.value)].map(trimSlash).filter(Boolean);
  const armIds = values.filter((v) => v.startsWith("/subscriptions/"));
  if (vaults) {
    const hit = vaults.some((wanted) => {
      const w = trimSlash(wanted);
      if (w.startsWith("/")) return armIds.some((id) => within(id, w));
      return values.some((v) => v === w) || armIds.some((id) => VAULT_SEGMENT.exec(id)?.[1] === w);
    });
    if (!hit) return false;
  }
  if (resourceGroups) {
    const groups = new Set([
      ...armIds.map((id) => RESOURCE_GROUP_SEGMENT.exec(id)?.[1]).filter((g): g is string => Boolean(g)),
      ...alert.dimensions.filter((d) => d.name.toLowerCase() === "resourcegroup").map((d) => d.value.toLowerCase()),
    ]);
    if (!resourceGroups.some((g) => groups.has(g.toLowerCase()))) return false;
  }
  if (resourceIds && !resourceIds.some((r) => armIds.some((id) => within(id, trimSlash(r))))) return false;
  return true;
}

/** Does the silence hold at the alert's time and match it? */
export function silenceMatches(silence: SilenceDefinition, alert: SilencedAlert): boolean {
  return matchersHold(silence.matchers, alert) && silenceWindowAt(silence, alert.at) !== null;
}

/** Is the alert's notification suppressed by any of the silences? */
export function isSilenced(silences: readonly SilenceDefinition[], alert: SilencedAlert): boolean {
  return matchingSilence(silences, alert) !== null;
}

/** The silence holding back the alert at its time (of several, the one whose window ends last), and when that window ends. */
export function matchingSilence<S extends SilenceDefinition>(silences: readonly S[], alert: SilencedAlert): { silence: S; windowEnd: Date } | null {
  let best: { silence: S; windowEnd: Date } | null = null;
  for (const silence of silences) {
    if (!matchersHold(silence.matchers, alert)) continue;
    const w = silenceWindowAt(silence, alert.at);
    if (w && (!best || w.end > best.windowEnd)) best = { silence, windowEnd: w.end };
  }
  return best;
}
