import { parseIsoDuration, type LogRule } from "@vaultwatch/schemas";
import { sha256Hex } from "./sha256";

/** Event mode: rows whose TimeGenerated lies in [start, end) (Azure's behaviour). */
export type EventWindow = { kind: "event"; start: Date; end: Date };
/** Ingestion mode: rows whose ingestion time lies in (after, upTo], the shape the KQL engine's `ingested` option takes. */
export type IngestionWindow = { kind: "ingestion"; after: Date; upTo: Date; firstRun: boolean };
export type EvaluationWindow = EventWindow | IngestionWindow;

/** Milliseconds of a rule duration; the schema has already checked it, so a bad value is a programming error. */
export function durationMs(field: string, iso: string): number {
  const ms = parseIsoDuration(iso);
  if (ms === null || ms <= 0) throw new RangeError(`${field} "${iso}" is not a positive ISO 8601 duration`);
  return ms;
}

/** Event mode: the `windowSize` that ends at the scheduled time. A row that lands after its window has passed is never seen. */
export function eventWindow(scheduledAt: Date, rule: Pick<LogRule, "windowSize">): EventWindow {
  const size = durationMs("windowSize", rule.windowSize);
  return { kind: "event", start: new Date(scheduledAt.getTime() - size), end: new Date(scheduledAt.getTime()) };
}

/**
 * Ingestion mode: everything ingested after the previous run's watermark up to and including the new one, so
 * consecutive runs tile the ingestion timeline with no gap and no overlap. A first run (no previous watermark)
 * looks back one `windowSize`.
 */
export function ingestionWindow(previousWatermark: Date | null, newWatermark: Date, rule: Pick<LogRule, "windowSize">): IngestionWindow {
  if (previousWatermark && newWatermark.getTime() < previousWatermark.getTime())
    throw new RangeError(
      `the new watermark ${newWatermark.toISOString()} is before the previous one ${previousWatermark.toISOString()}; watermarks only move forward`,
    );
  const after = previousWatermark ?? new Date(newWatermark.getTime() - durationMs("windowSize", rule.windowSize));
  return { kind: "ingestion", after: new Date(after.getTime()), upTo: new Date(newWatermark.getTime()), firstRun: !previousWatermark };
}

/** The window of one evaluation, by the rule's time mode. */
export function evaluationWindow(
  rule: Pick<LogRule, "windowSize" | "timeMode">,
  run: { scheduledAt: Date; previousWatermark: Date | null; newWatermark: Date },
): EvaluationWindow {
  return rule.timeMode === "event" ? eventWindow(run.scheduledAt, rule) : ingestionWindow(run.previousWatermark, run.newWatermark, rule);
}

/** A window's two ends, whatever its kind (TimeGenerated bounds, or the ingestion range). */
export function windowBounds(window: EvaluationWindow): { start: Date; end: Date } {
  return window.kind === "event" ? { start: window.start, end: window.end } : { start: window.after, end: window.upTo };
}

/** Does a row belong to a window? (The same boundaries the query applies; for tests and previews.) */
export function rowInWindow(window: EvaluationWindow, row: { timeGenerated: Date; ingestedAt: Date }): boolean {
  if (window.kind === "event") return row.timeGenerated >= window.start && row.timeGenerated < window.end;
  return row.ingestedAt > window.after && row.ingestedAt <= window.upTo;
}

/**
 * A rule's stable phase within its period, in [1, frequency − 1] ms, derived from its id. Ticks are shifted by it so
 * that 10,000 one-minute rules spread over the minute instead of all falling due at :00 (which would make the last
 * one a minute late). Never 0: BullMQ treats a zero offset as "pick one from the current time".
 */
export function rulePhaseMs(ruleId: string, rule: Pick<LogRule, "evaluationFrequency">): number {
  const frequency = durationMs("evaluationFrequency", rule.evaluationFrequency);
  if (frequency <= 1) return 0;
  return (parseInt(sha256Hex(ruleId).slice(0, 12), 16) % (frequency - 1)) + 1;
}

/**
 * The scheduled instants of a rule: multiples of its frequency since the Unix epoch, shifted by its phase (so with
 * phase 0, P1D ticks at 00:00 UTC and PT15M at :00/:15/:30/:45). A tick's time is the stable identity of an evaluation.
 */
export function tickAtOrBefore(at: Date, rule: Pick<LogRule, "evaluationFrequency">, phaseMs = 0): Date {
  const frequency = durationMs("evaluationFrequency", rule.evaluationFrequency);
  return new Date(Math.floor((at.getTime() - phaseMs) / frequency) * frequency + phaseMs);
}

/**
 * Ticks in (from, to], oldest first: what a worker owes after `from` (its last completed tick), e.g. after downtime.
 * At most `limit` ticks (the newest ones are kept when there are more) so a long outage cannot build a huge list;
 * `skipped` says how many older ones were left out, so the caller can record the gap rather than hide it.
 */
export function ticksBetween(
  from: Date,
  to: Date,
  rule: Pick<LogRule, "evaluationFrequency">,
  limit = 1000,
  phaseMs = 0,
): { ticks: Date[]; skipped: number } {
  const frequency = durationMs("evaluationFrequency", rule.evaluationFrequency);
  const last = Math.floor((to.getTime() - phaseMs) / frequency);
  const first = Math.floor((from.getTime() - phaseMs) / frequency) + 1;
  const total = Math.max(0, last - first + 1);
  const kept = Math.min(total, Math.max(0, limit));
  const ticks: Date[] = [];
  for (let k = last - kept + 1; k <= last; k++) ticks.push(new Date(k * frequency + phaseMs));
  return { ticks, skipped: total - kept };
}
