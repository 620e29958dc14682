import { describe, expect, it } from "vitest";
import { parseTimespan, TimespanError } from "./timespan";

const now = new Date("2026-11-20T12:00:00Z");

describe("parseTimespan", () => {
  it("reads durations and intervals", () => {
    expect(parseTimespan("PT12H", now)).toEqual({ start: new Date("2026-11-20T00:00:00Z"), end: now });
    expect(parseTimespan("2026-11-19T00:00:00Z/P1D", now)).toEqual({ start: new Date("2026-11-19T00:00:00Z"), end: new Date("2026-11-20T00:00:00Z") });
  });

  it.each([
    ["P99999999999D", /longer than Kusto's whole datetime range/],
    ["P1e400D", /not an ISO 8601 duration/],
    ["P3000000D", /outside Kusto's datetime range/],
    ["0000-06-01T00:00:00Z/P1D", /outside Kusto's datetime range/],
    ["9999-12-31T00:00:00Z/P2D", /outside Kusto's datetime range/],
    ["P99999999999D/2026-01-01T00:00:00Z", /longer than/],
  ])("refuses %s with a clear error, never an invalid date", (text, message) => {
    expect(() => parseTimespan(text, now)).toThrow(TimespanError);
    expect(() => parseTimespan(text, now)).toThrow(message);
  });

  it("quotes at most a short prefix of a long value", () => {
    const long = `P${"1".repeat(5000)}X`;
    expect(() => parseTimespan(long, now)).toThrow(/^'P1{59}…' is not/);
  });
});
