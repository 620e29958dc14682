import { z } from "zod";
import { fromZod, type ParseResult } from "../log-tables/parse-result";
import { activityCategories, activityRecordLevels } from "./categories";
import { datetimeString } from "./strings";

/** Numbers in the envelope arrive as JSON numbers or numeric strings depending on the pipeline. */
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, "must be a number")]);

/**
 * The Azure Monitor resource-log envelope shared by every category (`{"records": [...]}` in storage and Event Hubs).
 * Unknown fields pass through.
 */
export const resourceRecordSchema = z.looseObject({
  time: datetimeString,
  resourceId: z.string().min(1, "must be a resource id"),
  operationName: z.string().min(1, "must name the operation"),
  category: z.string().min(1, "must name the log category"),
  resultType: z.string().optional(),
  resultSignature: z.string().optional(),
  resultDescription: z.string().optional(),
  durationMs: numberLike.optional(),
  callerIpAddress: z.string().optional(),
  correlationId: z.string().optional(),
  identity: z.unknown().optional(),
  level: z.string().optional(),
  location: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  tenantId: z.string().optional(),
});
export type ResourceRecord = z.output<typeof resourceRecordSchema>;

/**
 * The activity log in the resource-log shape. `properties` carries the REST fields the envelope has no slot for
 * (the seed's mapping table): `eventCategory` (absent = Administrative), `eventName`, `operationId`, and
 * `eventProperties` (the REST `properties`).
 */
export const activityRecordSchema = resourceRecordSchema.extend({
  level: z.enum(activityRecordLevels, { message: `must be one of ${activityRecordLevels.join(", ")}` }).optional(),
  identity: z
    .looseObject({
      authorization: z.record(z.string(), z.unknown()).optional(),
      claims: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  properties: z
    .looseObject({
      eventCategory: z
        .enum(activityCategories, { message: `must be one of ${activityCategories.join(", ")}` })
        .optional(),
      eventName: z.string().optional(),
      operationId: z.string().optional(),
      eventDataId: z.string().optional(),
      eventProperties: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    })
    .optional(),
});
export type ActivityRecord = z.output<typeof activityRecordSchema>;

/** Validates one activity log record in the storage / Event Hubs shape. */
export function parseActivityRecord(input: unknown): ParseResult<ActivityRecord> {
  return fromZod(activityRecordSchema.safeParse(input));
}

/** Validates one resource-log record of any category. */
export function parseResourceRecord(input: unknown): ParseResult<ResourceRecord> {
  return fromZod(resourceRecordSchema.safeParse(input));
}
