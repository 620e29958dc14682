import { describe, expect, it } from "vitest";
import { isSilenced, silenceMatches, type SilencedAlert, type SilenceWindow } from "./index";

const ruleA = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";
const ruleB = "7d1f0e2a-9b3c-4d5e-8f60-123456789abc";
const window = { startsAt: new Date("2026-03-01T22:00:00Z"), endsAt: new Date("2026-03-02T04:00:00Z") };
const alert: SilencedAlert = {
  ruleId: ruleA,
  severity: 1,
  dimensions: [
    { name: "Resource", value: "RSV-CONTOSO-PROD" },
    { name: "JobStatus_s", value: "Failed" },
  ],
  at: new Date("2026-03-01T23:00:00Z"),
};
const silence = (matchers: SilenceWindow["matchers"]): SilenceWindow => ({ ...window, matchers });

describe("silenceMatches", () => {
  it("covers [startsAt, endsAt): the start instant in, the end instant out", () => {
    const s = silence({ ruleIds: [ruleA] });
    expect(silenceMatches(s, { ...alert, at: window.startsAt })).toBe(true);
    expect(silenceMatches(s, { ...alert, at: new Date(window.endsAt.getTime() - 1) })).toBe(true);
    expect(silenceMatches(s, { ...alert, at: window.endsAt })).toBe(false);
    expect(silenceMatches(s, { ...alert, at: new Date(window.startsAt.getTime() - 1) })).toBe(false);
  });

  it("matches the rule by id, case-insensitively", () => {
    expect(silenceMatches(silence({ ruleIds: [ruleB, ruleA.toUpperCase()] }), alert)).toBe(true);
    expect(silenceMatches(silence({ ruleIds: [ruleB] }), alert)).toBe(false);
  });

  it("matches any listed severity", () => {
    expect(silenceMatches(silence({ severities: [0, 1] }), alert)).toBe(true);
    expect(silenceMatches(silence({ severities: [3, 4] }), alert)).toBe(false);
  });

  it("needs every listed dimension, values case-insensitive, names exact", () => {
    expect(silenceMatches(silence({ dimensions: [{ name: "Resource", value: "rsv-contoso-prod" }] }), alert)).toBe(true);
    expect(
      silenceMatches(
        silence({ dimensions: [{ name: "Resource", value: "rsv-contoso-prod" }, { name: "JobStatus_s", value: "FAILED" }] }),
        alert,
      ),
    ).toBe(true);
    expect(
      silenceMatches(silence({ dimensions: [{ name: "Resource", value: "rsv-contoso-prod" }, { name: "JobStatus_s", value: "Completed" }] }), alert),
    ).toBe(false);
    expect(silenceMatches(silence({ dimensions: [{ name: "resource", value: "rsv-contoso-prod" }] }), alert)).toBe(false);
    expect(silenceMatches(silence({ dimensions: [{ name: "Resource", value: "rsv-contoso" }] }), alert)).toBe(false);
    expect(silenceMatches(silence({ dimensions: [{ name: "Resource", value: "x" }] }), { ...alert, dimensions: [] })).toBe(false);
  });

  it("needs every kind of matcher it names to hold", () => {
    const all = { ruleIds: [ruleA], severities: [1], dimensions: [{ name: "Resource", value: "RSV-CONTOSO-PROD" }] };
    expect(silenceMatches(silence(all), alert)).toBe(true);
    expect(silenceMatches(silence({ ...all, severities: [2] }), alert)).toBe(false);
    expect(silenceMatches(silence({ ...all, ruleIds: [ruleB] }), alert)).toBe(false);
  });
});

describe("isSilenced", () => {
  it("is true when any silence matches, false for none", () => {
    const miss = silence({ ruleIds: [ruleB] });
    const hit = silence({ severities: [1] });
    expect(isSilenced([], alert)).toBe(false);
    expect(isSilenced([miss], alert)).toBe(false);
    expect(isSilenced([miss, hit], alert)).toBe(true);
    expect(isSilenced([{ ...hit, startsAt: new Date("2026-03-02T00:00:00Z") }], alert)).toBe(false);
  });
});
