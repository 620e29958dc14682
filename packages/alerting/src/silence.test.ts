import { describe, expect, it } from "vitest";
import { isSilenced, matchingSilence, nextWindows, silenceMatches, silenceWindowAt, type SilenceDefinition, type SilencedAlert, type SilenceWindow } from "./index";

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

const iso = (w: { start: Date; end: Date } | null) => (w ? [w.start.toISOString(), w.end.toISOString()] : null);
const at = (text: string) => new Date(text);

describe("recurring windows across daylight-saving changes (Europe/Berlin)", () => {
  // Sunday 2026-03-01 01:00 CET (+01:00) = 00:00Z starts the series. Europe springs forward on Sunday 2026-03-29
  // (02:00 CET → 03:00 CEST) and falls back on Sunday 2026-10-25 (03:00 CEST → 02:00 CET).
  const sunday: SilenceDefinition = {
    startsAt: at("2026-03-01T00:00:00Z"),
    endsAt: null,
    recurrence: { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 },
    matchers: { severities: [3] },
  };

  it("covers 01:00–05:00 local the Sunday before spring-forward (+01:00 on both ends)", () => {
    expect(iso(silenceWindowAt(sunday, at("2026-03-22T02:00:00Z")))).toEqual(["2026-03-22T00:00:00.000Z", "2026-03-22T04:00:00.000Z"]);
    expect(silenceWindowAt(sunday, at("2026-03-21T23:59:59Z"))).toBeNull(); // 00:59:59 local
    expect(silenceWindowAt(sunday, at("2026-03-22T04:00:00Z"))).toBeNull(); // 05:00 local: the end is out
  });

  it("covers 01:00 CET to 05:00 CEST on the spring-forward Sunday: three real hours", () => {
    expect(iso(silenceWindowAt(sunday, at("2026-03-29T00:00:00Z")))).toEqual(["2026-03-29T00:00:00.000Z", "2026-03-29T03:00:00.000Z"]);
    expect(silenceWindowAt(sunday, at("2026-03-29T02:59:59Z"))).not.toBeNull(); // 04:59:59 CEST
    expect(silenceWindowAt(sunday, at("2026-03-29T03:00:00Z"))).toBeNull(); // 05:00 CEST
  });

  it("covers 01:00–05:00 local the Sunday after (+02:00): 23:00Z on Saturday to 03:00Z", () => {
    expect(iso(silenceWindowAt(sunday, at("2026-04-04T23:00:00Z")))).toEqual(["2026-04-04T23:00:00.000Z", "2026-04-05T03:00:00.000Z"]);
    expect(silenceWindowAt(sunday, at("2026-04-04T22:59:59Z"))).toBeNull();
    expect(silenceWindowAt(sunday, at("2026-04-05T03:30:00Z"))).toBeNull();
  });

  it("covers 01:00 CEST to 05:00 CET on the fall-back Sunday: five real hours", () => {
    expect(iso(silenceWindowAt(sunday, at("2026-10-25T03:59:59Z")))).toEqual(["2026-10-24T23:00:00.000Z", "2026-10-25T04:00:00.000Z"]);
    expect(silenceWindowAt(sunday, at("2026-10-25T04:00:00Z"))).toBeNull();
    expect(iso(silenceWindowAt(sunday, at("2026-11-01T00:00:00Z")))).toEqual(["2026-11-01T00:00:00.000Z", "2026-11-01T04:00:00.000Z"]);
  });

  it("is not a window on other days, or before the series starts", () => {
    expect(silenceWindowAt(sunday, at("2026-03-23T02:00:00Z"))).toBeNull(); // Monday
    expect(silenceWindowAt(sunday, at("2026-02-22T02:00:00Z"))).toBeNull(); // a Sunday before startsAt
  });

  it("lists the next windows from the calendar, the running one first", () => {
    expect(nextWindows(sunday, at("2026-03-20T12:00:00Z"), 3).map(iso)).toEqual([
      ["2026-03-22T00:00:00.000Z", "2026-03-22T04:00:00.000Z"],
      ["2026-03-29T00:00:00.000Z", "2026-03-29T03:00:00.000Z"],
      ["2026-04-04T23:00:00.000Z", "2026-04-05T03:00:00.000Z"],
    ]);
    expect(nextWindows(sunday, at("2026-03-29T01:00:00Z"), 2).map(iso)).toEqual([
      ["2026-03-29T00:00:00.000Z", "2026-03-29T03:00:00.000Z"],
      ["2026-04-04T23:00:00.000Z", "2026-04-05T03:00:00.000Z"],
    ]);
    expect(nextWindows(sunday, at("2026-01-01T00:00:00Z"), 1).map(iso)).toEqual([["2026-03-01T00:00:00.000Z", "2026-03-01T04:00:00.000Z"]]);
  });

  it("stops at the series' expiry (a window cut short by it) and after COUNT occurrences", () => {
    const expiring = { ...sunday, endsAt: at("2026-03-29T01:00:00Z") };
    expect(nextWindows(expiring, at("2026-03-25T00:00:00Z"), 5).map(iso)).toEqual([["2026-03-29T00:00:00.000Z", "2026-03-29T01:00:00.000Z"]]);
    expect(silenceWindowAt(expiring, at("2026-03-29T01:00:00Z"))).toBeNull();
    const twice = { ...sunday, recurrence: { ...sunday.recurrence!, rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=2" } };
    expect(nextWindows(twice, at("2026-01-01T00:00:00Z"), 5).map(iso)).toEqual([
      ["2026-03-01T00:00:00.000Z", "2026-03-01T04:00:00.000Z"],
      ["2026-03-08T00:00:00.000Z", "2026-03-08T04:00:00.000Z"],
    ]);
    expect(silenceWindowAt(twice, at("2026-03-15T01:00:00Z"))).toBeNull();
  });

  it("reads UNTIL as a UTC instant (RFC 5545), not as local time", () => {
    // UNTIL 2026-03-22T00:00:00Z is 01:00 local: that Sunday's window starts exactly then and is included
    const until = { ...sunday, recurrence: { ...sunday.recurrence!, rrule: "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260322T000000Z" } };
    expect(nextWindows(until, at("2026-03-20T00:00:00Z"), 5).map(iso)).toEqual([["2026-03-22T00:00:00.000Z", "2026-03-22T04:00:00.000Z"]]);
  });

  it("computes monthly and daily rules on the local calendar of other zones", () => {
    // first Sunday of the month, 01:00 Berlin: 2026-04-05 (+02:00) and 2026-05-03
    const monthly = { ...sunday, recurrence: { ...sunday.recurrence!, rrule: "FREQ=MONTHLY;BYDAY=1SU", durationMinutes: 60 } };
    expect(nextWindows(monthly, at("2026-03-02T00:00:00Z"), 2).map((w) => w.start.toISOString())).toEqual(["2026-04-04T23:00:00.000Z", "2026-05-02T23:00:00.000Z"]);
    // every day 22:00–02:00 in New York, which springs forward on Sunday 2026-03-08 (EST -05:00 → EDT -04:00)
    const nightly: SilenceDefinition = {
      startsAt: at("2026-03-06T03:00:00Z"), // Thursday 22:00 EST
      endsAt: null,
      recurrence: { rrule: "FREQ=DAILY", timeZone: "America/New_York", durationMinutes: 240 },
      matchers: { severities: [3] },
    };
    expect(nextWindows(nightly, at("2026-03-07T00:00:00Z"), 3).map(iso)).toEqual([
      ["2026-03-07T03:00:00.000Z", "2026-03-07T07:00:00.000Z"], // Fri 22:00 EST – Sat 02:00 EST
      ["2026-03-08T03:00:00.000Z", "2026-03-08T07:00:00.000Z"], // Sat 22:00 EST – Sun 03:00 EDT (02:00 does not exist): 07:00Z
      ["2026-03-09T02:00:00.000Z", "2026-03-09T06:00:00.000Z"], // Sun 22:00 EDT – Mon 02:00 EDT
    ]);
  });

  it("stays on the calendar a year into a series (every period counted from DTSTART, INTERVAL parity kept)", () => {
    // Europe springs forward on Sunday 2027-03-28: that Sunday's window ends at 05:00 CEST = 03:00Z
    expect(iso(silenceWindowAt(sunday, at("2027-03-28T02:00:00Z")))).toEqual(["2027-03-28T00:00:00.000Z", "2027-03-28T03:00:00.000Z"]);
    // every other day from Sunday 2026-03-01 (UTC): 2027-03-01 is 365 days on (odd: no window), 2027-03-02 is 366
    const everyOther: SilenceDefinition = { ...sunday, recurrence: { rrule: "FREQ=DAILY;INTERVAL=2", timeZone: "UTC", durationMinutes: 60 } };
    expect(silenceWindowAt(everyOther, at("2027-03-01T00:30:00Z"))).toBeNull();
    expect(iso(silenceWindowAt(everyOther, at("2027-03-02T00:30:00Z")))).toEqual(["2027-03-02T00:00:00.000Z", "2027-03-02T01:00:00.000Z"]);
    // every other week on Monday and Sunday (weeks start Monday): the series' first week is Mon 2026-02-23 – Sun 03-01,
    // so 52 weeks on (even) Mon 2027-02-22 and Sun 2027-02-28 are windows, then Mon 2027-03-08
    const fortnightly: SilenceDefinition = { ...sunday, recurrence: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU", timeZone: "Europe/Berlin", durationMinutes: 60 } };
    expect(nextWindows(fortnightly, at("2027-02-20T00:00:00Z"), 3).map((w) => w.start.toISOString())).toEqual([
      "2027-02-22T00:00:00.000Z",
      "2027-02-28T00:00:00.000Z",
      "2027-03-08T00:00:00.000Z",
    ]);
    expect(nextWindows(fortnightly, at("2026-02-01T00:00:00Z"), 3).map((w) => w.start.toISOString())).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-03-09T00:00:00.000Z",
      "2026-03-15T00:00:00.000Z",
    ]);
  });

  it("matchingSilence returns the silence with the window ending last", () => {
    const oneTime: SilenceDefinition = { startsAt: at("2026-03-22T00:30:00Z"), endsAt: at("2026-03-22T06:00:00Z"), matchers: { severities: [3] } };
    const alert3: SilencedAlert = { ruleId: null, severity: 3, dimensions: [], at: at("2026-03-22T01:00:00Z") };
    expect(matchingSilence([sunday, oneTime], alert3)).toEqual({ silence: oneTime, windowEnd: at("2026-03-22T06:00:00Z") });
    expect(matchingSilence([sunday], alert3)).toEqual({ silence: sunday, windowEnd: at("2026-03-22T04:00:00Z") });
    expect(matchingSilence([sunday, oneTime], { ...alert3, severity: 2 })).toBeNull();
    expect(matchingSilence([sunday, oneTime], { ...alert3, at: at("2026-03-22T07:00:00Z") })).toBeNull();
  });
});

describe("vault, resource group and resource matchers", () => {
  const vaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-Backup/providers/Microsoft.RecoveryServices/vaults/contoso-rsv";
  const itemId = `${vaultId}/backupFabrics/Azure/protectionContainers/iaasvmcontainerv2;rg;vm1/protectedItems/vm;iaasvmcontainerv2;rg;vm1`;
  const byTarget: SilencedAlert = { ruleId: ruleA, severity: 2, dimensions: [], targetIds: [itemId], at: alert.at };
  const byDimension: SilencedAlert = { ruleId: ruleA, severity: 2, dimensions: [{ name: "Resource", value: "CONTOSO-RSV" }], at: alert.at };
  const m = (matchers: SilenceWindow["matchers"], a: SilencedAlert) => silenceMatches(silence(matchers), a);

  it("matches a vault by name in a target id's vault segment or a dimension value, case-insensitively", () => {
    expect(m({ vaults: ["Contoso-RSV"] }, byTarget)).toBe(true);
    expect(m({ vaults: ["contoso-rsv"] }, byDimension)).toBe(true);
    expect(m({ vaults: ["contoso"] }, byTarget)).toBe(false);
    expect(m({ vaults: ["fabrikam-rsv", "contoso-rsv"] }, byDimension)).toBe(true);
  });

  it("matches a vault's ARM id for the vault and everything under it, not for a sibling with a longer name", () => {
    expect(m({ vaults: [vaultId.toUpperCase()] }, byTarget)).toBe(true);
    expect(m({ resourceIds: [`${vaultId}/`] }, byTarget)).toBe(true);
    expect(m({ resourceIds: [itemId] }, byTarget)).toBe(true);
    expect(m({ resourceIds: [`${vaultId}2`] }, { ...byTarget, targetIds: [`${vaultId}2`.replace("rsv2", "rsv")] })).toBe(false);
    expect(m({ resourceIds: [vaultId] }, { ...byTarget, targetIds: [`${vaultId}-old`] })).toBe(false);
    expect(m({ resourceIds: [vaultId] }, byDimension)).toBe(false);
    // an ARM id among the dimension values counts as a target
    expect(m({ resourceIds: [vaultId] }, { ...byDimension, dimensions: [{ name: "ResourceId", value: vaultId.toLowerCase() }] })).toBe(true);
  });

  it("matches a resource group from ARM ids or a ResourceGroup dimension", () => {
    expect(m({ resourceGroups: ["rg-backup"] }, byTarget)).toBe(true);
    expect(m({ resourceGroups: ["rg-other"] }, byTarget)).toBe(false);
    expect(m({ resourceGroups: ["RG-BACKUP"] }, { ...byDimension, dimensions: [{ name: "ResourceGroup", value: "rg-backup" }] })).toBe(true);
    expect(m({ resourceGroups: ["rg-backup"] }, byDimension)).toBe(false);
  });

  it("needs every kind of matcher named; a null rule matches no rule list", () => {
    expect(m({ vaults: ["contoso-rsv"], severities: [2] }, byTarget)).toBe(true);
    expect(m({ vaults: ["contoso-rsv"], severities: [1] }, byTarget)).toBe(false);
    expect(m({ vaults: ["contoso-rsv"], ruleIds: [ruleA] }, { ...byTarget, ruleId: null })).toBe(false);
  });
});
