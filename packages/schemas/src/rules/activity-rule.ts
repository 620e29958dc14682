import { z } from "zod";
import { guid } from "../ids";
import { actionGroupIds, ruleDescription, ruleEnabled, ruleName } from "./common";

/** The event fields an activity log alert condition may test (Azure's names), besides `properties.<path>`. */
export const activityConditionFields = [
  "category",
  "level",
  "operationName",
  "status",
  "subStatus",
  "resourceId",
  "resourceGroup",
  "resourceProvider",
  "resourceType",
  "caller",
] as const;
export type ActivityConditionField = (typeof activityConditionFields)[number] | `properties.${string}`;

// `properties.a.b`, `properties.impactedServices[*].ServiceName`: dotted names, `[*]` spreads an array
const propertiesPathPattern = /^properties(\.[^.\s[\]]+(\[\*\])?)+$/i;

const fieldMessage = `field must be one of ${activityConditionFields.join(", ")} or properties.<path>`;

/** A condition field; Azure treats field names case-insensitively, so known names are normalised to its spelling. */
export const activityConditionField = z
  .string({ message: fieldMessage })
  .trim()
  .transform((raw, ctx): ActivityConditionField => {
    const known = activityConditionFields.find((f) => f.toLowerCase() === raw.toLowerCase());
    if (known) return known;
    if (propertiesPathPattern.test(raw)) return `properties${raw.slice("properties".length)}` as ActivityConditionField;
    ctx.addIssue({ code: "custom", message: fieldMessage });
    return z.NEVER;
  });

const equalsLeaf = z.strictObject({
  field: activityConditionField,
  equals: z.string({ message: "equals must be a string" }),
});
const containsAnyLeaf = z.strictObject({
  field: activityConditionField,
  containsAny: z
    .array(z.string({ message: "containsAny must hold strings" }), { message: "containsAny must be a list of strings" })
    .min(1, "containsAny must list at least one value"),
});
type SimpleLeafOutput = z.output<typeof equalsLeaf> | z.output<typeof containsAnyLeaf>;
type SimpleLeafInput = z.input<typeof equalsLeaf> | z.input<typeof containsAnyLeaf>;

/**
 * Picks the leaf shape from the keys present, so errors speak about that shape (`field must be one of ...`)
 * rather than zod's generic "no union member matched".
 */
function leafBy<T, In>(pick: (keys: Set<string>) => z.ZodType<T> | null, shapeMessage: string): z.ZodType<T, In> {
  const schema = z.unknown().transform((value, ctx): T => {
    const keys = typeof value === "object" && value !== null ? new Set(Object.keys(value)) : new Set<string>();
    const schema = pick(keys);
    if (!schema) {
      ctx.addIssue({ code: "custom", message: shapeMessage });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
  // accepts anything at run time, but callers (forms, tRPC inputs) see the leaf shapes
  return schema as unknown as z.ZodType<T, In>;
}

const pickSimple = (keys: Set<string>) => (keys.has("containsAny") && !keys.has("equals") ? containsAnyLeaf : keys.has("field") ? equalsLeaf : null);
const simpleShape = "a condition must be {field, equals} or {field, containsAny}";
const simpleLeaf = leafBy<SimpleLeafOutput, SimpleLeafInput>(pickSimple, simpleShape);
const anyOfLeaf = z.strictObject({
  anyOf: z.array(simpleLeaf, { message: "anyOf must be a list of conditions" }).min(1, "anyOf must hold at least one condition"),
});

export const activityConditionLeafSchema = leafBy<SimpleLeafOutput | z.output<typeof anyOfLeaf>, SimpleLeafInput | z.input<typeof anyOfLeaf>>(
  (keys) => (keys.has("anyOf") ? anyOfLeaf : pickSimple(keys)),
  "a condition must be {field, equals}, {field, containsAny} or {anyOf: [...]}",
);
export type ActivitySimpleLeaf = z.output<typeof simpleLeaf>;
export type ActivityConditionLeaf = z.output<typeof activityConditionLeafSchema>;

const resourceGroupEntry = z
  .string({ message: "scope.resourceGroups must hold resource group names or ids" })
  .trim()
  .regex(
    /^(\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/)?[-\w.()]{1,90}$/i,
    "scope.resourceGroups must hold names or ids like /subscriptions/{guid}/resourceGroups/{name}",
  );

/**
 * Where a rule listens. Entries are OR-ed (an event inside any of them is in scope), as Azure's `scopes` list is;
 * an empty scope means every event the tenant receives. A bare resource group name matches that group in any subscription.
 */
export const activityRuleScopeSchema = z
  .strictObject({
    subscriptionIds: z.array(guid).optional(),
    resourceGroups: z.array(resourceGroupEntry).optional(),
    resourceIds: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\/subscriptions\/[^/]+\/.+/i, "scope.resourceIds must hold ARM ids starting with /subscriptions/")
          .transform((s) => s.replace(/\/$/, "")),
      )
      .optional(),
  })
  .default({});
export type ActivityRuleScope = z.output<typeof activityRuleScopeSchema>;

/** What the `alert_rule.definition` JSON column holds for an activity rule (rules/stored.ts splits and joins). */
const activityDefinitionShape = {
  scope: activityRuleScopeSchema,
  condition: z.strictObject(
    {
      allOf: z
        .array(activityConditionLeafSchema, { message: "condition.allOf must be a list of conditions" })
        .min(1, "condition.allOf must hold at least one condition"),
    },
    { message: "condition must be {allOf: [...]}" },
  ),
};
export const activityDefinitionKeys = Object.keys(activityDefinitionShape) as (keyof typeof activityDefinitionShape)[];
export const activityRuleDefinitionSchema = z.object(activityDefinitionShape);
export type ActivityRuleDefinition = z.output<typeof activityRuleDefinitionSchema>;

/** An activity rule as a client writes it. */
export const activityRuleSchema = z.object({
  name: ruleName,
  description: ruleDescription,
  scope: activityDefinitionShape.scope,
  condition: activityDefinitionShape.condition,
  actionGroupIds,
  enabled: ruleEnabled,
});

export type ActivityRuleInput = z.input<typeof activityRuleSchema>;
export type ActivityRule = z.output<typeof activityRuleSchema>;
