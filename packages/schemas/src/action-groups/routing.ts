import { z } from "zod";

/**
 * Platform action groups (owned by the MSP, `action_group.tenantId` null) receive the alerts of every tenant, or of the
 * tenants named, narrowed by severity, signal type and rule name, so one on-call service covers every customer.
 * Every field left out matches everything; every field given must hold.
 */
export const alertSignalTypes = ["Log", "Activity Log", "Platform"] as const;

export const routingSchema = z.strictObject(
  {
    tenantIds: z
      .array(z.uuid({ message: "routing.tenantIds must hold tenant ids (uuid)" }), { message: "routing.tenantIds must be a list" })
      .min(1, "routing.tenantIds must name at least one tenant (leave it out for every tenant)")
      .max(1000, "routing.tenantIds may name at most 1000 tenants")
      .optional(),
    severities: z
      .array(z.number().int().min(0).max(4), { message: "routing.severities must hold numbers from 0 (critical) to 4 (verbose)" })
      .min(1, "routing.severities must hold at least one severity (leave it out for every severity)")
      .max(5, "routing.severities holds at most the five severities")
      .optional(),
    signalTypes: z
      .array(z.enum(alertSignalTypes, { message: `routing.signalTypes must hold ${alertSignalTypes.join(", ")}` }))
      .min(1, "routing.signalTypes must hold at least one signal type (leave it out for every one)")
      .optional(),
    // rule names, compared case-insensitively: the same rule (from a template) has a different id in every tenant
    ruleNames: z
      .array(z.string().trim().min(1, "routing.ruleNames must not hold an empty name").max(260), { message: "routing.ruleNames must be a list" })
      .min(1, "routing.ruleNames must name at least one rule (leave it out for every rule)")
      .max(100, "routing.ruleNames may name at most 100 rules")
      .optional(),
  },
  { message: "routing must be an object with tenantIds, severities, signalTypes and/or ruleNames" },
);

export type Routing = z.output<typeof routingSchema>;

/** Does a platform group's routing take this alert? */
export function routingMatches(
  routing: Routing | null | undefined,
  alert: { tenantId: string; severity: number; signalType: string; ruleName: string },
): boolean {
  if (!routing) return true;
  if (routing.tenantIds && !routing.tenantIds.some((id) => id.toLowerCase() === alert.tenantId.toLowerCase())) return false;
  if (routing.severities && !routing.severities.includes(alert.severity)) return false;
  if (routing.signalTypes && !(routing.signalTypes as readonly string[]).includes(alert.signalType)) return false;
  if (routing.ruleNames && !routing.ruleNames.some((n) => n.toLowerCase() === alert.ruleName.toLowerCase())) return false;
  return true;
}
