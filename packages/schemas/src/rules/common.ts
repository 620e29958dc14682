import { z } from "zod";

/** Azure allows up to five action groups on one alert rule. */
export const MAX_ACTION_GROUPS_PER_RULE = 5;

export const ruleName = z
  .string({ message: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(260, "name must be at most 260 characters");

export const ruleDescription = z.string().trim().max(2048, "description must be at most 2048 characters").default("");

export const actionGroupIds = z
  .array(z.uuid({ message: "actionGroupIds must hold action group ids (uuid)" }))
  .max(MAX_ACTION_GROUPS_PER_RULE, `actionGroupIds may name at most ${MAX_ACTION_GROUPS_PER_RULE} action groups`)
  .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, "actionGroupIds must not repeat a group")
  .default([]);

export const ruleEnabled = z.boolean({ message: "enabled must be true or false" }).default(true);
