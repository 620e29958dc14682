import { z } from "zod";

/**
 * Silences: for a while, alerts that match are still recorded but nobody is notified (a maintenance window, a
 * known outage). A silence names at least one matcher; every matcher it names must hold for an alert to be silenced.
 */

export const MAX_SILENCE_RULES = 100;
export const MAX_SILENCE_DIMENSIONS = 20;

/** A silence may last at most one calendar year: longer is a disabled rule in disguise. */
export function latestSilenceEnd(startsAt: Date): Date {
  const end = new Date(startsAt.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

// an ISO 8601 date-time with an offset (`2026-03-01T22:00:00Z`, `...+01:00`), or a Date (tRPC with superjson)
const instant = (field: string) =>
  z.union([z.date(), z.string()], { message: `${field} must be a date-time such as 2026-03-01T22:00:00Z` }).transform((value, ctx) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) ctx.addIssue({ code: "custom", message: `${field} must be a valid date-time` });
      return value;
    }
    const text = value.trim();
    if (!z.iso.datetime({ offset: true }).safeParse(text).success) {
      ctx.addIssue({ code: "custom", message: `${field} must be an ISO 8601 date-time with a time zone, such as 2026-03-01T22:00:00Z` });
      return z.NEVER;
    }
    return new Date(text);
  });

const severity = z
  .number({ message: "matchers.severities must hold numbers from 0 (critical) to 4 (verbose)" })
  .int("matchers.severities must hold whole numbers from 0 to 4")
  .min(0, "matchers.severities must hold numbers from 0 to 4")
  .max(4, "matchers.severities must hold numbers from 0 to 4");

export const silenceDimensionSchema = z.strictObject({
  name: z
    .string({ message: "matchers.dimensions.name must be a column name" })
    .trim()
    .min(1, "matchers.dimensions.name must be a column name")
    .max(256, "matchers.dimensions.name must be at most 256 characters"),
  // compared case-insensitively; an empty value matches an empty dimension value
  value: z
    .string({ message: "matchers.dimensions.value must be a string" })
    .max(1024, "matchers.dimensions.value must be at most 1024 characters"),
});

export const silenceMatchersSchema = z
  .strictObject(
    {
      ruleIds: z
        .array(z.uuid({ message: "matchers.ruleIds must hold rule ids (uuid)" }), { message: "matchers.ruleIds must be a list" })
        .min(1, "matchers.ruleIds must name at least one rule (leave it out to match every rule)")
        .max(MAX_SILENCE_RULES, `matchers.ruleIds may name at most ${MAX_SILENCE_RULES} rules`)
        .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, "matchers.ruleIds must not repeat a rule")
        .optional(),
      severities: z
        .array(severity, { message: "matchers.severities must be a list" })
        .min(1, "matchers.severities must hold at least one severity (leave it out to match every severity)")
        .refine((s) => new Set(s).size === s.length, "matchers.severities must not repeat a severity")
        .optional(),
      dimensions: z
        .array(silenceDimensionSchema, { message: "matchers.dimensions must be a list of {name, value}" })
        .min(1, "matchers.dimensions must hold at least one {name, value} (leave it out to match any dimensions)")
        .max(MAX_SILENCE_DIMENSIONS, `matchers.dimensions may hold at most ${MAX_SILENCE_DIMENSIONS} entries`)
        .optional(),
    },
    { message: "matchers must be an object with ruleIds, severities and/or dimensions" },
  )
  .refine((m) => m.ruleIds !== undefined || m.severities !== undefined || m.dimensions !== undefined, {
    message: "matchers must name at least one of ruleIds, severities or dimensions",
  });

export type SilenceMatchers = z.output<typeof silenceMatchersSchema>;

export const silenceSchema = z
  .object({
    name: z
      .string({ message: "name is required" })
      .trim()
      .min(1, "name is required")
      .max(260, "name must be at most 260 characters"),
    comment: z.string({ message: "comment must be a string" }).trim().max(2048, "comment must be at most 2048 characters").default(""),
    startsAt: instant("startsAt"),
    endsAt: instant("endsAt"),
    matchers: silenceMatchersSchema,
  })
  .superRefine((s, ctx) => {
    if (Number.isNaN(s.startsAt.getTime()) || Number.isNaN(s.endsAt.getTime())) return;
    if (s.endsAt.getTime() <= s.startsAt.getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be after startsAt" });
    else if (s.endsAt.getTime() > latestSilenceEnd(s.startsAt).getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be at most one year after startsAt" });
  });

export type SilenceInput = z.input<typeof silenceSchema>;
export type Silence = z.output<typeof silenceSchema>;
