import type { LogRule } from "@vaultwatch/schemas";
import { evaluateRows, type ResultRow } from "./evaluate";
import { recordPeriod, shouldFire } from "./failing-periods";
import { alertFingerprint, type Dimension } from "./fingerprint";
import { shouldNotifyFired, stepMonitor, type MonitorCondition, type MonitorState } from "./state";

/** What the worker persists per (rule, dimension combination) between evaluations. */
export type CombinationState = {
  dimensions: Dimension[];
  /** Violated flags of the last N evaluations, oldest first. */
  history: boolean[];
  monitor: MonitorState | null;
  lastNotifiedFiredAt: Date | null;
};

export type CombinationDecision = {
  fingerprint: string;
  fingerprintKey: string;
  dimensions: Dimension[];
  value: number | null;
  violated: boolean;
  /** The failing-periods verdict. */
  firing: boolean;
  transition: MonitorCondition | null;
  /** Whether the transition is owed to the action groups (false when muted). */
  notify: boolean;
  /** The state to persist; null when there is nothing worth keeping (never violated, no open alert). */
  next: CombinationState | null;
};

type DecisionRule = Pick<LogRule, "measure" | "operator" | "threshold" | "dimensions" | "failingPeriods" | "autoResolve" | "evaluationFrequency" | "muteActionsFor">;

/**
 * One evaluation of a log rule, end to end and without I/O: rows → per-combination values → failing periods →
 * monitor transitions → notifications owed. Combinations with stored state count as "seen before" (see evaluateRows).
 */
export function decideEvaluation(
  ruleId: string,
  rule: DecisionRule,
  rows: readonly ResultRow[],
  previous: ReadonlyMap<string, CombinationState>,
  at: Date,
): { ok: true; decisions: CombinationDecision[] } | { ok: false; error: string } {
  const evaluated = evaluateRows(rows, rule, [...previous.values()].map((s) => s.dimensions));
  if (!evaluated.ok) return evaluated;
  const decisions = evaluated.results.map((result): CombinationDecision => {
    const before = previous.get(result.fingerprintKey);
    const history = recordPeriod(before?.history ?? [], result.violated, rule.failingPeriods);
    const firing = shouldFire(history, rule.failingPeriods);
    const step = stepMonitor(before?.monitor ?? null, { firing, at }, rule);
    const lastNotified = before?.lastNotifiedFiredAt ?? null;
    const notify =
      step.transition === "Resolved" || (step.transition === "Fired" && shouldNotifyFired({ at, lastNotifiedFiredAt: lastNotified }, rule));
    const state: CombinationState = {
      dimensions: result.dimensions,
      history,
      monitor: step.state,
      lastNotifiedFiredAt: step.transition === "Fired" && notify ? at : lastNotified,
    };
    // forget a combination once it has nothing to remember: no recent violation, no open (stateful) alert, no mute running
    const muteRunning = !shouldNotifyFired({ at, lastNotifiedFiredAt: state.lastNotifiedFiredAt }, rule);
    const keep = history.some(Boolean) || (rule.autoResolve && state.monitor?.condition === "Fired") || muteRunning;
    return {
      fingerprint: alertFingerprint(ruleId, result.dimensions),
      fingerprintKey: result.fingerprintKey,
      dimensions: result.dimensions,
      value: result.value,
      violated: result.violated,
      firing,
      transition: step.transition,
      notify,
      next: keep ? state : null,
    };
  });
  return { ok: true, decisions };
}
