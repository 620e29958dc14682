import { z } from "zod";
import { receiverSchema, receiverTypes } from "./receivers";
import { templatesSchema } from "./templates";

/**
 * At most ten receivers of one type in a group. Azure's published limits are 10 SMS, voice, webhook, push, ITSM,
 * Logic App and runbook actions per action group (and 1,000 email actions); we cap email at 10 as well, since an
 * MSP reaching more people should use a distribution list rather than a long group.
 */
export const MAX_RECEIVERS_PER_TYPE = 10;

export const actionGroupSchema = z
  .object({
    name: z.string({ message: "name is required" }).trim().min(1, "name is required").max(260, "name must be at most 260 characters"),
    // Azure shows a short name (12 characters) in SMS and email subjects
    shortName: z.string().trim().min(1, "shortName must not be empty").max(12, "shortName must be at most 12 characters").optional(),
    enabled: z.boolean({ message: "enabled must be true or false" }).default(true),
    receivers: z.array(receiverSchema, { message: "receivers must be a list" }).default([]),
    // subject and body with {{placeholders}} (templates.ts); each channel falls back to its own default text
    templates: templatesSchema.optional(),
  })
  .superRefine((group, ctx) => {
    // names are unique within the group, case-insensitively (as Azure requires)
    const seen = new Map<string, number>();
    group.receivers.forEach((r, i) => {
      const key = r.name.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({ code: "custom", path: ["receivers", i, "name"], message: `receivers.${i}.name "${r.name}" is already used in this group` });
      else seen.set(key, i);
    });
    for (const type of receiverTypes) {
      const count = group.receivers.filter((r) => r.type === type).length;
      if (count > MAX_RECEIVERS_PER_TYPE)
        ctx.addIssue({ code: "custom", path: ["receivers"], message: `receivers may hold at most ${MAX_RECEIVERS_PER_TYPE} of type ${type}, got ${count}` });
    }
  });

export type ActionGroupInput = z.input<typeof actionGroupSchema>;
export type ActionGroup = z.output<typeof actionGroupSchema>;
