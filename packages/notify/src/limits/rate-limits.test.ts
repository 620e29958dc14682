import { describe, expect, it } from "vitest";
import { budgetDecision, rateLimitOf, windowOf } from "./rate-limits";

describe("rate limits (Azure's action group limits)", () => {
  it("allows 100 emails an hour per address, then folds the rest into a digest at the end of the hour", () => {
    const limit = rateLimitOf({ type: "email" });
    expect(limit).toEqual({ max: 100, windowMs: 3_600_000 });
    const at = new Date("2026-12-06T10:17:30Z");
    expect(budgetDecision(limit, 99, at)).toEqual({ action: "send" });
    expect(budgetDecision(limit, 100, at)).toEqual({ action: "fold", digestAt: new Date("2026-12-06T11:00:00Z") });
  });
  it("allows one SMS or voice call per 5 minutes per number", () => {
    for (const type of ["sms", "voice"]) {
      const limit = rateLimitOf({ type });
      expect(limit).toEqual({ max: 1, windowMs: 300_000 });
      const at = new Date("2026-12-06T10:17:30Z");
      expect(budgetDecision(limit, 0, at)).toEqual({ action: "send" });
      expect(budgetDecision(limit, 1, at)).toEqual({ action: "fold", digestAt: new Date("2026-12-06T10:20:00Z") });
    }
  });
  it("limits a webhook only when its receiver sets a rate per minute", () => {
    expect(rateLimitOf({ type: "webhook" })).toBeNull();
    expect(rateLimitOf({ type: "webhook", ratePerMinute: 30 })).toEqual({ max: 30, windowMs: 60_000 });
    expect(rateLimitOf({ type: "slack" })).toBeNull();
    expect(budgetDecision(null, 10_000, new Date())).toEqual({ action: "send" });
  });
  it("puts every instant of a window in the same window, and the end in the next", () => {
    const limit = { max: 1, windowMs: 300_000 };
    const w = windowOf(limit, new Date("2026-12-06T10:15:00Z"));
    expect(w).toEqual({ start: new Date("2026-12-06T10:15:00Z"), end: new Date("2026-12-06T10:20:00Z") });
    expect(windowOf(limit, new Date("2026-12-06T10:19:59.999Z"))).toEqual(w);
    expect(windowOf(limit, new Date("2026-12-06T10:20:00Z")).start).toEqual(w.end);
  });
});
