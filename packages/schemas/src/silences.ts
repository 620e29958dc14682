import { z } from "zod";
import { recurrenceSchema } from "./recurrence";

export * from "./recurrence";

/**
 * Silences: for a while, alerts that match are still recorded but nobody is notified (a maintenance window, a
 * known outage). A silence names at least one matcher; every matcher it names must hold for an alert to be silenced.
 */

export const MAX_SILENCE_RULES = 100;
export const MAX_SILENCE_DIMENSIONS = 20;
/** Vaults, resource groups or resource ids one silence may name. */
export const MAX_SILENCE_NAMES = 100;
/** A recurring window lasts at most a week; a series runs at most two years (then it is renewed on purpose). */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;

/** A silence may last at most one calendar year: longer is a disabled rule in disguise. */
export function latestSilenceEnd(startsAt: Date): Date {
  const end = new Date(startsAt.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

/** A recurring series may be given an expiry at most two calendar years after it starts. */
export function latestSeriesEnd(startsAt: Date): Date {
  const end = new Date(startsAt.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 2);
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

const nameList = (field: string, what: string, item: z.ZodType<string>) =>
  z
    .array(item, { message: `matchers.${field} must be a list` })
    .min(1, `matchers.${field} must name at least one ${what} (leave it out to match every ${what})`)
    .max(MAX_SILENCE_NAMES, `matchers.${field} may name at most ${MAX_SILENCE_NAMES} entries`)
    .refine((xs) => new Set(xs.map((x) => x.toLowerCase())).size === xs.length, `matchers.${field} must not repeat an entry`)
    .optional();

const text = (field: string, what: string, max: number) =>
  z
    .string({ message: `matchers.${field} must hold ${what}` })
    .trim()
    .min(1, `matchers.${field} must hold ${what}`)
    .max(max, `matchers.${field} entries must be at most ${max} characters`);

// an ARM resource id: /subscriptions/{id}/resourceGroups/{name}/... (any provider; a vault, a backup item, a VM)
const armResourceId = text("resourceIds", "ARM resource ids", 1024).regex(
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+(\/[^/]+)*\/?$/i,
  "matchers.resourceIds must hold ARM ids such as /subscriptions/{guid}/resourceGroups/{name}/providers/...",
);

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
      // a vault name (matched against dimension values and the vault segment of ARM ids) or a vault's ARM id
      vaults: nameList("vaults", "vault", text("vaults", "vault names or ARM ids", 1024)),
      resourceGroups: nameList(
        "resourceGroups",
        "resource group",
        text("resourceGroups", "resource group names", 90).regex(
          /^[-\w.()]{0,89}[-\w()]$/u,
          "matchers.resourceGroups must hold resource group names (letters, digits, _-.() not ending in a period)",
        ),
      ),
      // the resource or anything under it (a vault's id covers its backup items)
      resourceIds: nameList("resourceIds", "resource", armResourceId),
      dimensions: z
        .array(silenceDimensionSchema, { message: "matchers.dimensions must be a list of {name, value}" })
        .min(1, "matchers.dimensions must hold at least one {name, value} (leave it out to match any dimensions)")
        .max(MAX_SILENCE_DIMENSIONS, `matchers.dimensions may hold at most ${MAX_SILENCE_DIMENSIONS} entries`)
        .optional(),
    },
    { message: "matchers must be an object with ruleIds, severities, vaults, resourceGroups, resourceIds and/or dimensions" },
  )
  .refine((m) => matcherKeys.some((k) => m[k] !== undefined), {
    message: "matchers must name at least one of ruleIds, severities, vaults, resourceGroups, resourceIds or dimensions",
  });

const matcherKeys = ["ruleIds", "severities", "vaults", "resourceGroups", "resourceIds", "dimensions"] as const;

export type SilenceMatchers = z.output<typeof silenceMatchersSchema>;

export const silenceSchema = z
  .object({
    name: z
      .string({ message: "name is required" })
      .trim()
      .min(1, "name is required")
      .max(260, "name must be at most 260 characters"),
    comment: z.string({ message: "comment must be a string" }).trim().max(2048, "comment must be at most 2048 characters").default(""),
    /** one-time: when the silence starts; recurring: DTSTART, whose local time in `recurrence.timeZone` starts the series */
    startsAt: instant("startsAt"),
    /** one-time: when it ends (required); recurring: when the series expires (optional) */
    endsAt: instant("endsAt").nullish(),
    recurrence: recurrenceSchema.nullish(),
    matchers: silenceMatchersSchema,
  })
  .superRefine((s, ctx) => {
    if (Number.isNaN(s.startsAt.getTime()) || (s.endsAt && Number.isNaN(s.endsAt.getTime()))) return;
    if (!s.endsAt) {
      if (!s.recurrence) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt is required for a one-time silence (only a recurring one may run until deleted)" });
      return;
    }
    if (s.endsAt.getTime() <= s.startsAt.getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be after startsAt" });
    else if (!s.recurrence && s.endsAt.getTime() > latestSilenceEnd(s.startsAt).getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be at most one year after startsAt" });
    else if (s.recurrence && s.endsAt.getTime() > latestSeriesEnd(s.startsAt).getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt of a recurring silence must be at most two years after startsAt" });
  })
  .transform(({ endsAt, recurrence, ...rest }) => ({ ...rest, endsAt: endsAt ?? null, recurrence: recurrence ?? null }));

export type SilenceInput = z.input<typeof silenceSchema>;
export type Silence = z.output<typeof silenceSchema>;
