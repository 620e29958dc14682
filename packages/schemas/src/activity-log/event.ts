import { z } from "zod";
import { fromZod, type ParseIssue, type ParseResult } from "../log-tables/parse-result";
import { activityCategories, activityLevels, type ActivityCategory } from "./categories";
import { categoryPropertiesSchemas, type CategoryProperties } from "./category-properties";
import { datetimeString, localizable } from "./strings";

/**
 * The activity log event as the REST API (and portal, PowerShell, CLI) returns it: `EventData`.
 * Unknown fields pass through. Identifiers are checked as non-empty strings only: the documented samples carry
 * placeholders (`<subscription ID>`) and even a non-hex eventDataId, and Azure is the authority on its own ids.
 */
export const activityEventBaseSchema = z.looseObject({
  authorization: z
    .looseObject({ action: z.string().optional(), role: z.string().optional(), scope: z.string().optional() })
    .optional(),
  caller: z.string().optional(),
  // "Admin", "Operation" or "Admin, Operation"
  channels: z.string().optional(),
  // JWT claims: values are strings in the samples, but claims such as groups may be arrays
  claims: z.record(z.string(), z.unknown()).optional(),
  correlationId: z.string().optional(),
  description: z.string().optional(),
  eventDataId: z.string().min(1, "must be a non-empty event id"),
  eventName: localizable.optional(),
  eventSource: localizable.optional(),
  category: z.looseObject({
    value: z.enum(activityCategories, { message: `must be one of ${activityCategories.join(", ")}` }),
    localizedValue: z.string().nullable().optional(),
  }),
  eventTimestamp: datetimeString,
  httpRequest: z
    .looseObject({
      clientRequestId: z.string().optional(),
      clientIpAddress: z.string().optional(),
      method: z.string().optional(),
    })
    .optional(),
  id: z.string().optional(),
  level: z.enum(activityLevels, { message: `must be one of ${activityLevels.join(", ")}` }),
  operationId: z.string().optional(),
  operationName: localizable.extend({ value: z.string().min(1, "must name the operation") }),
  resourceGroupName: z.string().optional(),
  resourceProviderName: localizable.optional(),
  resourceType: localizable.optional(),
  resourceId: z.string().min(1, "must be a resource id"),
  status: localizable.optional(),
  subStatus: localizable.optional(),
  submissionTimestamp: datetimeString.optional(),
  subscriptionId: z.string().optional(),
  tenantId: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  relatedEvents: z.array(z.unknown()).optional(),
});

// Omit<> on a loose object's type loses every key to the index signature, so omit on the schema instead.
export const activityEventCommonSchema = activityEventBaseSchema.omit({ category: true, properties: true });

/** An event of one category, with that category's `properties`. */
export type ActivityEventOf<C extends ActivityCategory> = z.output<typeof activityEventCommonSchema> & {
  category: { value: C; localizedValue?: string | null | undefined; [key: string]: unknown };
  properties?: CategoryProperties[C];
};

/** An activity log event in the REST shape, discriminated by `category.value`. */
export type ActivityEvent = { [C in ActivityCategory]: ActivityEventOf<C> }[ActivityCategory];

function propertiesIssues(category: ActivityCategory, properties: unknown): ParseIssue[] {
  if (properties === undefined) return [];
  const result = fromZod(categoryPropertiesSchemas[category].safeParse(properties));
  return result.ok ? [] : result.issues.map((i) => ({ path: i.path ? `properties.${i.path}` : "properties", message: i.message }));
}

/**
 * Validates one REST-shaped activity log event. On failure every problem is listed, with paths such as
 * `eventTimestamp` or `properties.stage`. The value is returned as it came (no normalisation).
 */
export function parseActivityEvent(input: unknown): ParseResult<ActivityEvent> {
  const base = fromZod(activityEventBaseSchema.safeParse(input));
  if (!base.ok) {
    // Still check properties when the category is readable, so one pass reports everything.
    const category = readCategory(input);
    const extra = category ? propertiesIssues(category, (input as { properties?: unknown }).properties) : [];
    return { ok: false, issues: [...base.issues, ...extra.filter((e) => !base.issues.some((b) => b.path === e.path))] };
  }
  const issues = propertiesIssues(base.value.category.value, base.value.properties);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: base.value as ActivityEvent };
}

function readCategory(input: unknown): ActivityCategory | null {
  if (typeof input !== "object" || input === null) return null;
  const category = (input as { category?: { value?: unknown } }).category?.value;
  return (activityCategories as readonly unknown[]).includes(category) ? (category as ActivityCategory) : null;
}
