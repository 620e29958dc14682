import type { SilenceMatchers } from "@vaultwatch/schemas";

/** What a silence needs to be judged: its window and matchers (the stored row has more). */
export type SilenceWindow = { startsAt: Date; endsAt: Date; matchers: SilenceMatchers };

/** The alert a notification is about, as the notifier knows it. */
export type SilencedAlert = { ruleId: string; severity: number; dimensions: { name: string; value: string }[]; at: Date };

/**
 * Does the silence cover the alert at `at`? The window is half-open, [startsAt, endsAt). Every matcher the silence
 * names must hold: the alert's rule is one of `ruleIds` (ids compare case-insensitively), its severity one of
 * `severities`, and each `{name, value}` of `dimensions` is among the alert's dimensions (names exactly, as Kusto
 * columns are; values case-insensitively). A matcher left out matches every alert.
 */
export function silenceMatches(silence: SilenceWindow, alert: SilencedAlert): boolean {
  const at = alert.at.getTime();
  if (!(at >= silence.startsAt.getTime() && at < silence.endsAt.getTime())) return false;
  const { ruleIds, severities, dimensions } = silence.matchers;
  if (ruleIds && !ruleIds.some((id) => id.toLowerCase() === alert.ruleId.toLowerCase())) return false;
  if (severities && !severities.includes(alert.severity)) return false;
  if (dimensions) {
    for (const wanted of dimensions) {
      const value = wanted.value.toLowerCase();
      if (!alert.dimensions.some((d) => d.name === wanted.name && d.value.toLowerCase() === value)) return false;
    }
  }
  return true;
}

/** Is the alert's notification suppressed by any of the silences? */
export function isSilenced(silences: readonly SilenceWindow[], alert: SilencedAlert): boolean {
  return silences.some((s) => silenceMatches(s, alert));
}
