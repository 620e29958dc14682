import { describe, expect, it } from "vitest";
import { localText, relativeText, utcText } from "./time-text";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe("time texts", () => {
  it("writes UTC to the second, whatever the zone", () => {
    expect(utcText("2026-12-05T14:57:38.512Z")).toBe("2026-12-05 14:57:38 UTC");
  });

  it("says how long ago or until, in the largest whole unit under a month", () => {
    expect(relativeText(NOW - 20_000, NOW)).toBe("20 seconds ago");
    expect(relativeText(NOW + 5 * 60_000, NOW)).toBe("in 5 minutes");
    expect(relativeText(NOW - 3 * 3_600_000, NOW)).toBe("3 hours ago");
    expect(relativeText(NOW - 86_400_000, NOW)).toBe("yesterday");
    expect(relativeText(NOW - 12 * 86_400_000, NOW)).toBe("12 days ago");
  });

  it("gives the local date from a month away", () => {
    const old = new Date(NOW - 45 * 86_400_000);
    expect(relativeText(old, NOW)).toBe(localText(old, "date"));
    expect(relativeText(old, NOW)).not.toMatch(/ago/);
  });
});
