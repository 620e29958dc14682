/**
 * The rules-as-code file: one tenant's action groups, alert rules and silences, objects referring to each other
 * (and to workspaces) by name. This module holds the envelope, the secret placeholder and the path helpers; the
 * entries themselves are validated by the shared schemas (packages/schemas) and the API's own checks.
 */
import { z } from "zod";
import { activityRuleSchema, actionGroupSchema, logRuleSchema, slug } from "@vaultwatch/schemas";

/** What export writes instead of a stored secret, and what apply reads as "keep the stored secret". */
export const SECRET_PLACEHOLDER = "<stored secret>";
/** How a diff shows a secret given in the file (never its value). */
export const NEW_SECRET = "<new secret>";

/**
 * The receiver fields that hold a secret (a webhook's URL and signing secret, Slack and Teams URLs, PagerDuty keys).
 * The API seals them and returns them as null with a `<field>Hint`; the CLI needs the list to mask them in diffs and
 * keep them on apply. One list for both: @vaultwatch/schemas.
 */
export { secretFieldsOf } from "@vaultwatch/schemas";

/** A value that passes the schema where a placeholder stands, so the rest of the receiver can be checked. */
export const validStandIn: Record<string, string> = {
  url: "https://stand-in.invalid/secret",
  secret: "stand-in-secret-0123456789",
  webhookUrl: "https://stand-in.invalid/secret",
  workflowUrl: "https://stand-in.invalid/secret",
  routingKey: "0123456789abcdef0123456789abcdef",
  apiKey: "stand-in-opsgenie-key-0123456789",
};

export type Section = "actionGroups" | "rules" | "silences";
export const sections: Section[] = ["actionGroups", "rules", "silences"];

const entryList = (section: Section) =>
  z
    .array(z.record(z.string(), z.unknown(), { message: `each entry of ${section} must be a mapping` }), {
      message: `${section} must be a list`,
    })
    .nullish()
    .transform((v) => v ?? []);

export const fileSchema = z.strictObject(
  {
    tenant: z.string({ message: "is required (the tenant's slug)" }).pipe(slug),
    actionGroups: entryList("actionGroups"),
    rules: entryList("rules"),
    silences: entryList("silences"),
  },
);
export type RulesFile = z.output<typeof fileSchema>;
export type Entry = Record<string, unknown>;

/** The keys each kind of entry may have: the schema's own, with id lists replaced by name lists. */
const keysOf = (shape: object, replace: Record<string, string>, extra: string[] = []) =>
  new Set([...Object.keys(shape).map((k) => replace[k] ?? k), ...extra]);
export const allowedKeys = {
  actionGroup: keysOf(actionGroupSchema.shape, {}),
  log: keysOf(logRuleSchema.shape, { workspaceIds: "workspaces", actionGroupIds: "actionGroups" }, ["kind"]),
  activity: keysOf(activityRuleSchema.shape, { actionGroupIds: "actionGroups" }, ["kind"]),
  silence: new Set(["name", "comment", "startsAt", "endsAt", "recurrence", "matchers"]),
  silenceMatchers: new Set(["rules", "severities", "vaults", "resourceGroups", "resourceIds", "dimensions"]),
};

export type PathPart = string | number;

/** `rules[2].failingPeriods.minFailing`, from the entry's label and the path inside it. */
export function joinPath(label: string, parts: readonly PathPart[]): string {
  let out = label;
  for (const p of parts) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** The schemas' messages start with the field's name ("windowSize must be ..."); the path already says it. */
export function stripFieldName(parts: readonly PathPart[], message: string): string {
  const candidates = [
    parts.map(String).join("."),
    parts.filter((p) => typeof p === "string").join("."),
    ...parts.filter((p): p is string => typeof p === "string").map((_, i, named) => named.slice(i).join(".")),
  ].filter((c) => c.length > 0);
  for (const c of candidates.sort((a, b) => b.length - a.length)) {
    if (message.startsWith(`${c} `)) return message.slice(c.length + 1);
  }
  return message;
}

/** Issue paths as the API names them, turned into the file's names (ids become names). */
export function fileParts(parts: readonly PropertyKey[]): PathPart[] {
  const rename: Record<string, string> = { workspaceIds: "workspaces", actionGroupIds: "actionGroups", ruleIds: "rules" };
  return parts.map((p) => (typeof p === "number" ? p : (rename[String(p)] ?? String(p))));
}

/** Keys in a stable order, so equal objects compare and print equal. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The top-level fields whose values differ. */
export function changedFields(current: Entry, desired: Entry): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(desired)]);
  return [...keys].filter((k) => !sameValue(current[k], desired[k])).sort();
}
