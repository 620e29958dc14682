import type { ActivityConditionLeaf, ActivityEvent, ActivityRule, ActivityRuleScope, ActivitySimpleLeaf } from "@vaultwatch/schemas";

const lower = (s: string) => s.toLowerCase();

/** The subscription and resource group an ARM id names (`/subscriptions/{s}/resourceGroups/{g}/...`). */
function armParts(resourceId: string): { subscriptionId?: string; resourceGroup?: string } {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(resourceId);
  return { subscriptionId: m?.[1], resourceGroup: m?.[2] };
}

/**
 * Is the event inside the rule's scope? Entries are OR-ed; ids compare case-insensitively (ARM ids are
 * case-insensitive); a resource id scope also covers its child resources. An empty scope covers everything.
 */
export function inActivityScope(event: ActivityEvent, scope: ActivityRuleScope): boolean {
  const subscriptions = scope.subscriptionIds ?? [];
  const groups = scope.resourceGroups ?? [];
  const resources = scope.resourceIds ?? [];
  if (subscriptions.length + groups.length + resources.length === 0) return true;

  const resourceId = lower(event.resourceId);
  const parts = armParts(event.resourceId);
  const subscription = lower(event.subscriptionId ?? parts.subscriptionId ?? "");
  const group = lower(event.resourceGroupName ?? parts.resourceGroup ?? "");

  if (subscriptions.some((s) => lower(s) === subscription)) return true;
  for (const entry of groups) {
    if (entry.startsWith("/")) {
      const p = armParts(entry);
      if (lower(p.subscriptionId ?? "") === subscription && lower(p.resourceGroup ?? "") === group) return true;
    } else if (lower(entry) === group) return true;
  }
  return resources.some((r) => resourceId === lower(r) || resourceId.startsWith(`${lower(r)}/`));
}

/** The value(s) of a condition field in an event: Azure's field names mapped to the REST shape. */
export function activityFieldValues(event: ActivityEvent, field: string): unknown[] {
  switch (field) {
    case "category":
      return [event.category.value];
    case "level":
      return [event.level];
    case "operationName":
      return [event.operationName.value];
    case "status":
      return [event.status?.value];
    case "subStatus":
      return [event.subStatus?.value];
    case "resourceId":
      return [event.resourceId];
    case "resourceGroup":
      return [event.resourceGroupName ?? armParts(event.resourceId).resourceGroup];
    case "resourceProvider":
      return [event.resourceProviderName?.value];
    case "resourceType":
      return [event.resourceType?.value];
    case "caller":
      return [event.caller];
  }
  if (!field.toLowerCase().startsWith("properties.")) return [];
  return walk([event.properties], field.slice("properties.".length).split("."));
}

/**
 * Follows a dotted path; `name[*]` spreads an array. Keys match exactly, else case-insensitively (Azure's property
 * names are not consistently cased). Strings holding JSON are read through, as Service Health's `impactedServices` is.
 */
function walk(values: unknown[], steps: string[]): unknown[] {
  let current = values;
  for (const step of steps) {
    const spread = step.endsWith("[*]");
    const key = spread ? step.slice(0, -3) : step;
    const next: unknown[] = [];
    for (const value of current) {
      const object = asObject(value);
      if (!object) continue;
      const found = key in object ? object[key] : Object.entries(object).find(([k]) => lower(k) === lower(key))?.[1];
      if (!spread) next.push(found);
      else {
        const list = asJson(found);
        if (Array.isArray(list)) next.push(...(list as unknown[]));
      }
    }
    current = next;
  }
  return current;
}

function asJson(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function asObject(value: unknown): Record<string, unknown> | null {
  const parsed = asJson(value);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

/** Text of a scalar field value for comparison; objects and missing values never equal anything. */
function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

/**
 * `equals`: some value of the field equals the text, ignoring case. `containsAny`: some value of the field
 * (an element, when the field is an array) equals one of the listed texts, ignoring case. This is our reading of
 * Azure's "compared to the values in this array (case-insensitive)": whole-value comparison, not substring.
 */
function leafMatches(event: ActivityEvent, leaf: ActivitySimpleLeaf): boolean {
  const values = activityFieldValues(event, leaf.field).flatMap((v) => {
    const parsed = asJson(v);
    return Array.isArray(parsed) ? (parsed as unknown[]) : [v];
  });
  const texts = values.map(text).filter((t): t is string => t !== null).map(lower);
  const wanted = "equals" in leaf ? [lower(leaf.equals)] : leaf.containsAny.map(lower);
  return texts.some((t) => wanted.includes(t));
}

function conditionMatches(event: ActivityEvent, leaf: ActivityConditionLeaf): boolean {
  if ("anyOf" in leaf) return leaf.anyOf.some((l) => leafMatches(event, l));
  return leafMatches(event, leaf);
}

/** Does the event fire the rule? In scope, and every `allOf` condition holds (each `anyOf` needs one of its conditions). */
export function matchesActivityRule(event: ActivityEvent, rule: Pick<ActivityRule, "scope" | "condition">): boolean {
  return inActivityScope(event, rule.scope) && rule.condition.allOf.every((leaf) => conditionMatches(event, leaf));
}
