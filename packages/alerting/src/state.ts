import type { LogRule } from "@vaultwatch/schemas";
import { durationMs } from "./windows";

// ---------------------------------------------------------------- monitor condition (set by the system)

export type MonitorCondition = "Fired" | "Resolved";

/** What we keep between evaluations for one alert identity (rule + dimension fingerprint). */
export type MonitorState = {
  condition: MonitorCondition;
  /** When the current (or last) firing began. */
  firedAt: Date;
  resolvedAt: Date | null;
  /** Consecutive evaluations with the condition clear while Fired. */
  clearEvaluations: number;
};

export type MonitorStep = { state: MonitorState | null; transition: MonitorCondition | null };

const MINUTE = 60_000;

/**
 * How many consecutive clear evaluations resolve a stateful alert, by evaluation frequency (Azure's timing):
 * 1-minute rules after 10 minutes clear (10 evaluations; 2-4 minute rules likewise need 10 minutes, rounded up to
 * whole evaluations), 5 to 15 minutes after 3 periods, over 15 minutes up to 11 hours after 2 periods.
 * Over 11 hours (Azure does not say): 1 period, i.e. the next clear evaluation, since two 12-24 hour periods would
 * keep a cleared alert open for up to two days.
 */
export function clearEvaluationsToResolve(rule: Pick<LogRule, "evaluationFrequency">): number {
  const frequency = durationMs("evaluationFrequency", rule.evaluationFrequency);
  if (frequency < 5 * MINUTE) return Math.ceil((10 * MINUTE) / frequency);
  if (frequency <= 15 * MINUTE) return 3;
  if (frequency <= 11 * 60 * MINUTE) return 2;
  return 1;
}

/**
 * One evaluation's effect on one alert identity. `firing` is the failing-periods verdict for this evaluation.
 * Stateful (autoResolve): Fired once, then Resolved after `clearEvaluationsToResolve` clear evaluations in a row;
 * a violation while Fired resets the count. Stateless: every firing evaluation is a Fired transition (a new
 * alert instance for the caller to record) and nothing ever resolves.
 */
export function stepMonitor(
  previous: MonitorState | null,
  input: { firing: boolean; at: Date },
  rule: Pick<LogRule, "autoResolve" | "evaluationFrequency">,
): MonitorStep {
  const at = new Date(input.at.getTime());
  if (!rule.autoResolve) {
    if (!input.firing) return { state: previous, transition: null };
    return { state: { condition: "Fired", firedAt: at, resolvedAt: null, clearEvaluations: 0 }, transition: "Fired" };
  }
  const open = previous?.condition === "Fired";
  if (input.firing) {
    if (open) return { state: { ...previous, clearEvaluations: 0 }, transition: null };
    return { state: { condition: "Fired", firedAt: at, resolvedAt: null, clearEvaluations: 0 }, transition: "Fired" };
  }
  if (!open) return { state: previous, transition: null };
  const clearEvaluations = previous.clearEvaluations + 1;
  if (clearEvaluations >= clearEvaluationsToResolve(rule))
    return { state: { ...previous, condition: "Resolved", resolvedAt: at, clearEvaluations }, transition: "Resolved" };
  return { state: { ...previous, clearEvaluations }, transition: null };
}

// ---------------------------------------------------------------- mute actions

/**
 * Should a Fired transition notify the action groups? Not while muted: within `muteActionsFor` after the last
 * notified firing of the same alert identity. The alert is still recorded; only notifications are held back.
 * Resolved transitions are not muted: whoever heard of a firing should hear that it cleared.
 */
export function shouldNotifyFired(input: { at: Date; lastNotifiedFiredAt: Date | null }, rule: Pick<LogRule, "muteActionsFor">): boolean {
  if (!rule.muteActionsFor || !input.lastNotifiedFiredAt) return true;
  return input.at.getTime() >= input.lastNotifiedFiredAt.getTime() + durationMs("muteActionsFor", rule.muteActionsFor);
}

// ---------------------------------------------------------------- user response (set by people)

export const userStates = ["New", "Acknowledged", "Closed"] as const;
export type UserState = (typeof userStates)[number];

const legalUserTransitions: Record<UserState, readonly UserState[]> = {
  New: ["Acknowledged", "Closed"],
  Acknowledged: ["Closed", "New"],
  // reopening goes back to New; acknowledging a closed alert means reopening it first
  Closed: ["New"],
};

export type UserTransition = { ok: true; from: UserState; to: UserState } | { ok: false; error: string };

/** Checks a person's change of an alert's state: New → Acknowledged → Closed, and reopen (→ New). */
export function changeUserState(from: UserState, to: UserState): UserTransition {
  if (legalUserTransitions[from].includes(to)) return { ok: true, from, to };
  if (from === to) return { ok: false, error: `the alert is already ${from}` };
  return { ok: false, error: `an alert cannot go from ${from} to ${to}; allowed: ${legalUserTransitions[from].join(", ")}` };
}

/** The actions the API offers, named as buttons are. */
export type UserAction = "acknowledge" | "close" | "reopen";
const actionTarget: Record<UserAction, UserState> = { acknowledge: "Acknowledged", close: "Closed", reopen: "New" };

export function applyUserAction(from: UserState, action: UserAction): UserTransition {
  return changeUserState(from, actionTarget[action]);
}
