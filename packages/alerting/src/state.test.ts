import { describe, expect, it } from "vitest";
import { applyUserAction, changeUserState, clearEvaluationsToResolve, shouldNotifyFired, stepMonitor, userStates, type MonitorState } from "./state";

const start = new Date("2026-11-24T00:00:00Z").getTime();

/** Runs a stateful rule through a pattern of firing flags; returns the transitions with their evaluation index. */
function run(evaluationFrequency: string, pattern: boolean[], autoResolve = true) {
  let state: MonitorState | null = null;
  const transitions: string[] = [];
  pattern.forEach((firing, i) => {
    const step = stepMonitor(state, { firing, at: new Date(start + i * 60_000) }, { autoResolve, evaluationFrequency });
    state = step.state;
    if (step.transition) transitions.push(`${step.transition}@${i}`);
  });
  return transitions;
}

const fireThenClear = (clear: number) => [true, ...Array<boolean>(clear).fill(false)];

describe("auto-resolve timing per frequency band", () => {
  it.each([
    ["PT1M", 10],
    ["PT2M", 5],
    ["PT3M", 4],
    ["PT5M", 3],
    ["PT10M", 3],
    ["PT15M", 3],
    ["PT30M", 2],
    ["PT1H", 2],
    ["PT11H", 2],
    ["PT12H", 1],
    ["P1D", 1],
  ])("%s resolves after %i clear evaluations", (frequency, clear) => {
    expect(clearEvaluationsToResolve({ evaluationFrequency: frequency })).toBe(clear);
    expect(run(frequency, fireThenClear(clear - 1))).toEqual(["Fired@0"]);
    expect(run(frequency, fireThenClear(clear))).toEqual(["Fired@0", `Resolved@${clear}`]);
  });

  it("restarts the clear count when the condition comes back while Fired", () => {
    expect(run("PT5M", [true, false, false, true, false, false, false])).toEqual(["Fired@0", "Resolved@6"]);
  });

  it("fires again as a new alert after resolving", () => {
    expect(run("PT15M", [true, false, false, false, true])).toEqual(["Fired@0", "Resolved@3", "Fired@4"]);
  });

  it("fires once for a condition that stays true", () => {
    expect(run("PT5M", [true, true, true, true])).toEqual(["Fired@0"]);
  });
});

describe("stateless rules", () => {
  it("fire on every violating evaluation and never resolve", () => {
    expect(run("PT5M", [true, true, false, false, false, false, true], false)).toEqual(["Fired@0", "Fired@1", "Fired@6"]);
  });
});

describe("mute actions", () => {
  const at = (m: number) => new Date(start + m * 60_000);
  it("holds back notifications within the mute window after the last notified firing", () => {
    const rule = { muteActionsFor: "PT1H" };
    expect(shouldNotifyFired({ at: at(0), lastNotifiedFiredAt: null }, rule)).toBe(true);
    expect(shouldNotifyFired({ at: at(59), lastNotifiedFiredAt: at(0) }, rule)).toBe(false);
    expect(shouldNotifyFired({ at: at(60), lastNotifiedFiredAt: at(0) }, rule)).toBe(true);
  });
  it("always notifies without a mute duration", () => {
    expect(shouldNotifyFired({ at: at(1), lastNotifiedFiredAt: at(0) }, {})).toBe(true);
  });
});

describe("user response", () => {
  it("allows New → Acknowledged → Closed, closing directly, and reopening", () => {
    expect(changeUserState("New", "Acknowledged")).toEqual({ ok: true, from: "New", to: "Acknowledged" });
    expect(changeUserState("Acknowledged", "Closed").ok).toBe(true);
    expect(changeUserState("New", "Closed").ok).toBe(true);
    expect(applyUserAction("Closed", "reopen")).toEqual({ ok: true, from: "Closed", to: "New" });
    expect(applyUserAction("Acknowledged", "reopen").ok).toBe(true);
  });

  it("refuses illegal changes with a reason", () => {
    expect(changeUserState("Closed", "Acknowledged")).toEqual({ ok: false, error: "an alert cannot go from Closed to Acknowledged; allowed: New" });
    for (const s of userStates) expect(changeUserState(s, s)).toEqual({ ok: false, error: `the alert is already ${s}` });
    expect(applyUserAction("New", "reopen").ok).toBe(false);
    expect(applyUserAction("Closed", "close").ok).toBe(false);
  });
});
