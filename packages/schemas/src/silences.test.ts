import { describe, expect, it } from "vitest";
import { latestSilenceEnd, silenceSchema, type SilenceInput } from "./index";

const rule = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";
const base: SilenceInput = {
  name: "Patch night",
  startsAt: "2026-03-01T22:00:00Z",
  endsAt: "2026-03-02T04:00:00+01:00",
  matchers: { ruleIds: [rule] },
};
const messages = (input: unknown) => {
  const r = silenceSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("silence schema", () => {
  it("parses date-times with offsets into Dates and fills the comment", () => {
    const s = silenceSchema.parse(base);
    expect(s.startsAt).toEqual(new Date("2026-03-01T22:00:00Z"));
    expect(s.endsAt).toEqual(new Date("2026-03-02T03:00:00Z"));
    expect(s.comment).toBe("");
    expect(silenceSchema.parse({ ...base, startsAt: new Date("2026-03-01T00:00:00Z") }).startsAt).toEqual(new Date("2026-03-01T00:00:00Z"));
  });

  it("accepts every kind of matcher together", () => {
    const s = silenceSchema.parse({
      ...base,
      matchers: { ruleIds: [rule], severities: [3, 4], dimensions: [{ name: "Resource", value: "RSV-PROD" }] },
    });
    expect(s.matchers.dimensions).toEqual([{ name: "Resource", value: "RSV-PROD" }]);
  });

  it("needs endsAt after startsAt and at most a year later", () => {
    expect(messages({ ...base, endsAt: base.startsAt })).toEqual(["endsAt: endsAt must be after startsAt"]);
    expect(messages({ ...base, endsAt: "2027-03-01T22:00:00Z" })).toEqual([]);
    expect(messages({ ...base, endsAt: "2027-03-01T22:00:01Z" })).toEqual(["endsAt: endsAt must be at most one year after startsAt"]);
    expect(latestSilenceEnd(new Date("2028-02-29T00:00:00Z")).toISOString()).toBe("2029-03-01T00:00:00.000Z");
  });

  it("names the field in every message", () => {
    const m = messages({
      name: "",
      comment: 5,
      startsAt: "tomorrow",
      endsAt: "2026-03-01 22:00", // no time zone
      matchers: { ruleIds: ["rule-1"], severities: [5, 1.5], dimensions: [{ name: "", value: 3 }] },
    });
    for (const field of ["name", "comment", "startsAt", "endsAt", "matchers.ruleIds", "matchers.severities", "matchers.dimensions.name", "matchers.dimensions.value"])
      expect(m.some((line) => line.includes(`: ${field} `)), `${field} in ${m.join(" | ")}`).toBe(true);
  });

  it("refuses a silence without matchers, empty matcher lists, repeats and unknown keys", () => {
    expect(messages({ ...base, matchers: {} })).toEqual(["matchers: matchers must name at least one of ruleIds, severities, vaults, resourceGroups, resourceIds or dimensions"]);
    expect(messages({ ...base, matchers: { severities: [] } })[0]).toMatch(/^matchers.severities: matchers.severities must hold at least one/);
    expect(messages({ ...base, matchers: { ruleIds: [rule, rule.toUpperCase()] } })).toEqual(["matchers.ruleIds: matchers.ruleIds must not repeat a rule"]);
    expect(messages({ ...base, matchers: { severities: [1, 1] } })).toEqual(["matchers.severities: matchers.severities must not repeat a severity"]);
    expect(silenceSchema.safeParse({ ...base, matchers: { ruleIds: [rule], labels: {} } }).success).toBe(false);
  });
});

describe("matchers for vaults, resource groups and resources", () => {
  const vaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/contoso-rsv";
  it("accepts names and ARM ids, alone or with other matchers", () => {
    const s = silenceSchema.parse({ ...base, matchers: { vaults: ["contoso-rsv", vaultId], resourceGroups: ["rg-backup"], resourceIds: [vaultId] } });
    expect(s.matchers).toEqual({ vaults: ["contoso-rsv", vaultId], resourceGroups: ["rg-backup"], resourceIds: [vaultId] });
    expect(messages({ ...base, matchers: { vaults: ["contoso-rsv"] } })).toEqual([]);
  });
  it("refuses empty lists, repeats (any case), bad names and non-ARM resource ids, naming the field", () => {
    expect(messages({ ...base, matchers: { vaults: [] } })[0]).toMatch(/^matchers.vaults: matchers.vaults must name at least one vault/);
    expect(messages({ ...base, matchers: { vaults: ["A", "a"] } })).toEqual(["matchers.vaults: matchers.vaults must not repeat an entry"]);
    expect(messages({ ...base, matchers: { resourceGroups: ["rg."] } })[0]).toMatch(/^matchers.resourceGroups.0: matchers.resourceGroups must hold resource group names/);
    expect(messages({ ...base, matchers: { resourceIds: ["contoso-rsv"] } })[0]).toMatch(/^matchers.resourceIds.0: matchers.resourceIds must hold ARM ids/);
    expect(messages({ ...base, matchers: { vaults: [""] } })[0]).toMatch(/^matchers.vaults.0: matchers.vaults must hold vault names or ARM ids/);
    expect(messages({ ...base, matchers: { vaults: Array.from({ length: 101 }, (_, i) => `v${i}`) } })).toEqual(["matchers.vaults: matchers.vaults may name at most 100 entries"]);
  });
});

describe("recurring silences", () => {
  const weekly = {
    name: "Sunday maintenance",
    startsAt: "2026-03-01T00:00:00Z", // Sunday 01:00 in Berlin (CET, +01:00)
    recurrence: { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 },
    matchers: { severities: [2, 3, 4] },
  };

  it("parses a weekly window without an expiry; the rule is normalised and the zone canonical", () => {
    const s = silenceSchema.parse({ ...weekly, recurrence: { ...weekly.recurrence, rrule: "rrule:freq=weekly;byday=SU", timeZone: "europe/berlin" } });
    expect(s.recurrence).toEqual({ rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 });
    expect(s.endsAt).toBeNull();
    expect(silenceSchema.parse({ ...base }).recurrence).toBeNull();
  });

  it("needs endsAt for a one-time silence only", () => {
    expect(messages({ ...base, endsAt: undefined })).toEqual(["endsAt: endsAt is required for a one-time silence (only a recurring one may run until deleted)"]);
    expect(messages({ ...weekly, endsAt: null })).toEqual([]);
  });

  it("lets a series expire at most two years after it starts", () => {
    expect(messages({ ...weekly, endsAt: "2028-03-01T00:00:00Z" })).toEqual([]);
    expect(messages({ ...weekly, endsAt: "2028-03-01T00:00:01Z" })).toEqual(["endsAt: endsAt of a recurring silence must be at most two years after startsAt"]);
    expect(messages({ ...weekly, endsAt: "2026-02-01T00:00:00Z" })).toEqual(["endsAt: endsAt must be after startsAt"]);
  });

  it("accepts daily, weekly, monthly and yearly rules with the parts a window needs", () => {
    for (const rrule of [
      "FREQ=DAILY",
      "FREQ=DAILY;INTERVAL=2;COUNT=10",
      "FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=1;BYMINUTE=30;WKST=MO",
      "FREQ=WEEKLY;UNTIL=20261231T230000Z",
      "FREQ=WEEKLY;UNTIL=20261231",
      "FREQ=MONTHLY;BYDAY=1SU",
      "FREQ=MONTHLY;BYDAY=SU;BYSETPOS=-1",
      "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
      "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
    ])
      expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, rrule } }), rrule).toEqual([]);
  });

  it("refuses rules that are too frequent, malformed or out of range, naming recurrence.rrule", () => {
    const rruleError = (rrule: string) => {
      const m = messages({ ...weekly, recurrence: { ...weekly.recurrence, rrule } });
      expect(m, rrule).toHaveLength(1);
      expect(m[0]!.startsWith("recurrence.rrule: recurrence.rrule ")).toBe(true);
      return m[0]!;
    };
    expect(rruleError("FREQ=HOURLY")).toMatch(/FREQ=HOURLY is not allowed/);
    expect(rruleError("FREQ=MINUTELY;COUNT=5")).toMatch(/FREQ=MINUTELY is not allowed/);
    expect(rruleError("FREQ=SECONDLY")).toMatch(/FREQ=SECONDLY is not allowed/);
    expect(rruleError("BYDAY=SU")).toMatch(/must have a FREQ/);
    expect(rruleError("FREQ=FOO")).toMatch(/FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY/);
    expect(rruleError("FREQ=WEEKLY;INTERVAL=abc")).toMatch(/INTERVAL must be a whole number/);
    expect(rruleError("FREQ=WEEKLY;BYDAY=XX")).toMatch(/BYDAY must list days/);
    expect(rruleError("FREQ=WEEKLY;BYDAY=1SU")).toMatch(/needs FREQ=MONTHLY or YEARLY/);
    expect(rruleError("FREQ=DAILY;BYHOUR=24")).toMatch(/BYHOUR values must be between 0 and 23/);
    expect(rruleError("FREQ=DAILY;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24")).toMatch(/more than 24 windows a day/);
    expect(rruleError("FREQ=MONTHLY;BYMONTHDAY=0")).toMatch(/BYMONTHDAY values must be between -31 and 31 and not 0/);
    expect(rruleError("FREQ=WEEKLY;COUNT=3;UNTIL=20261231")).toMatch(/both COUNT and UNTIL/);
    expect(rruleError("FREQ=WEEKLY;UNTIL=2026-12-31")).toMatch(/UNTIL must be a date/);
    expect(rruleError("FREQ=WEEKLY;UNTIL=20260231")).toMatch(/UNTIL must be a date/);
    expect(rruleError("FREQ=WEEKLY;FREQ=DAILY")).toMatch(/names FREQ twice/);
    expect(rruleError("FREQ=WEEKLY;BYSECOND=0")).toMatch(/BYSECOND is not supported/);
    expect(rruleError("FREQ=WEEKLY;TZID=Europe/Berlin")).toMatch(/must not carry TZID/);
    expect(rruleError("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY")).toMatch(/one RRULE line/);
    expect(rruleError("FREQ=WEEKLY;;")).toMatch(/KEY=VALUE parts/);
    expect(rruleError("")).toMatch(/is required/);
  });

  it("checks the time zone and the duration", () => {
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, timeZone: "Mars/Olympus" } })).toEqual([
      'recurrence.timeZone: recurrence.timeZone must be an IANA time zone such as Europe/Berlin (got "Mars/Olympus")',
    ]);
    for (const zone of ["+01:00", "Europe/Nowhere", "", "Europe/../Berlin"])
      expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, timeZone: zone } })[0], zone).toMatch(/^recurrence.timeZone: recurrence.timeZone must be an IANA time zone/);
    for (const [zone, canonical] of [["UTC", "UTC"], ["america/new_york", "America/New_York"], ["Asia/Kolkata", "Asia/Kolkata"]])
      expect(silenceSchema.parse({ ...weekly, recurrence: { ...weekly.recurrence, timeZone: zone } }).recurrence?.timeZone).toBe(canonical);
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, durationMinutes: 0 } })).toEqual(["recurrence.durationMinutes: recurrence.durationMinutes must be at least 1"]);
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, durationMinutes: 7 * 24 * 60 } })).toEqual([]);
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, durationMinutes: 7 * 24 * 60 + 1 } })).toEqual([
      "recurrence.durationMinutes: recurrence.durationMinutes must be at most 10080 (7 days)",
    ]);
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, durationMinutes: 1.5 } })).toEqual([
      "recurrence.durationMinutes: recurrence.durationMinutes must be a whole number of minutes",
    ]);
    expect(messages({ ...weekly, recurrence: { ...weekly.recurrence, extra: 1 } }).length).toBe(1);
  });
});
