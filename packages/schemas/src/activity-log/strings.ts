import { z } from "zod";
import { isDatetime } from "../log-tables/datetime";

/** A datetime kept as the string it came in, only checked. */
export const datetimeString = z
  .string()
  .refine(isDatetime, { message: "must be an ISO 8601 datetime such as 2018-01-29T20:42:31.3810679Z" });

/** Azure's `{value, localizedValue}` pairs; value is null in several documented samples. */
export const localizable = z.looseObject({
  value: z.string().nullable(),
  localizedValue: z.string().nullable().optional(),
});
export type Localizable = z.output<typeof localizable>;

/** A string Azure documents as "True"/"False". */
export const booleanString = z.string().regex(/^(true|false)$/i, 'must be "True" or "False"');

/** A count Azure sends as a string of digits ("3"). */
export const countString = z.string().regex(/^\d+$/, 'must be a whole number written as a string, such as "3"');
