import { describe, expect, it } from "vitest";
import { recordPeriod, shouldFire, stepFailingPeriods } from "./failing-periods";

describe("failing periods (M of the last N)", () => {
  it("fires when at least M of the last N violated", () => {
    const p = { minFailing: 2, of: 3 };
    expect(shouldFire([true], p)).toBe(false);
    expect(shouldFire([true, true], p)).toBe(true);
    expect(shouldFire([true, false, true], p)).toBe(true);
    expect(shouldFire([true, true, false, false], p)).toBe(false); // the oldest fell out of the last 3
    expect(shouldFire([false, false, true, false, true], p)).toBe(true);
  });

  it("with 1 of 1 follows the latest evaluation", () => {
    expect(shouldFire([false, true], { minFailing: 1, of: 1 })).toBe(true);
    expect(shouldFire([true, false], { minFailing: 1, of: 1 })).toBe(false);
  });

  it("keeps only the last N flags", () => {
    expect(recordPeriod([true, false, true], false, { of: 3 })).toEqual([false, true, false]);
  });

  it("steps every combination, giving absent ones a clear period", () => {
    const p = { minFailing: 2, of: 3 };
    const step = stepFailingPeriods(new Map([["a", [true]], ["b", [true, true]]]), [{ fingerprintKey: "a", violated: true }, { fingerprintKey: "c", violated: true }], p);
    expect(Object.fromEntries(step)).toEqual({
      a: { history: [true, true], fire: true },
      b: { history: [true, true, false], fire: true },
      c: { history: [true], fire: false },
    });
  });
});
