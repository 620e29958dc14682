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
    expect(messages({ ...base, matchers: {} })).toEqual(["matchers: matchers must name at least one of ruleIds, severities or dimensions"]);
    expect(messages({ ...base, matchers: { severities: [] } })[0]).toMatch(/^matchers.severities: matchers.severities must hold at least one/);
    expect(messages({ ...base, matchers: { ruleIds: [rule, rule.toUpperCase()] } })).toEqual(["matchers.ruleIds: matchers.ruleIds must not repeat a rule"]);
    expect(messages({ ...base, matchers: { severities: [1, 1] } })).toEqual(["matchers.severities: matchers.severities must not repeat a severity"]);
    expect(silenceSchema.safeParse({ ...base, matchers: { ruleIds: [rule], labels: {} } }).success).toBe(false);
  });
});
