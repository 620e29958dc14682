/** A tenant's action groups, rules and silences as the API shows them, turned into the file's by-name form. */
import { decryptSecret, type Tx } from "@vaultwatch/db";
import { joinRule, splitRule, type Rule } from "@vaultwatch/schemas";
import type { callerAs } from "../../context";
import { SECRET_PLACEHOLDER, secretFieldsOf, type Entry } from "./format";

export type Api = ReturnType<typeof callerAs>;

export type CurrentGroup = { id: string; doc: Entry; secrets: Map<string, string | null> };
export type CurrentRule = {
  id: string;
  kind: string;
  doc: Entry;
  /** why the API could not read its stored definition (a server bug): export refuses it, apply replaces it */
  definitionError?: string;
};
export type CurrentSilence = { id: string; doc: Entry };

export type TenantState = {
  workspaces: { id: string; name: string; kind: string; armId: string | null }[];
  groups: Map<string, CurrentGroup>;
  rules: Map<string, CurrentRule>;
  silences: Map<string, CurrentSilence>;
};

/** Keys in the order a person reads them; the rest after, as they come. */
export function ordered(value: Entry, keys: string[]): Entry {
  const out: Entry = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  for (const [k, v] of Object.entries(value)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

export const logRuleKeys = [
  "kind", "name", "description", "enabled", "workspaces", "query", "evaluationFrequency", "windowSize", "timeMode", "measure",
  "operator", "threshold", "dimensions", "failingPeriods", "severity", "autoResolve", "muteActionsFor", "actionGroups",
];
export const activityRuleKeys = ["kind", "name", "description", "enabled", "scope", "condition", "actionGroups"];
export const groupKeys = ["name", "shortName", "enabled", "templates", "receivers"];
export const silenceKeys = ["name", "comment", "startsAt", "endsAt", "recurrence", "matchers"];
export const silenceMatcherKeys = ["rules", "severities", "vaults", "resourceGroups", "resourceIds", "dimensions"];

const sortedNames = (names: string[]) => [...names].sort();

/**
 * A rule in the file's by-name form: its fields as a client writes them, with workspace and action group names
 * for ids. The tenant's state and the file's entries both go through here, so "unchanged" means equal.
 */
export function ruleDoc(rule: Rule, names: { workspaces: string[]; actionGroups: string[] }): Entry {
  const { columns, definition } = splitRule(rule);
  const fields = { kind: columns.kind, name: columns.name, description: columns.description, enabled: columns.enabled, ...definition };
  return rule.kind === "log"
    ? ordered({ ...fields, severity: columns.severity, workspaces: sortedNames(names.workspaces), actionGroups: sortedNames(names.actionGroups) }, logRuleKeys)
    : ordered({ ...fields, actionGroups: sortedNames(names.actionGroups) }, activityRuleKeys);
}

const secretKey = (receiverName: string, type: string, field: string) => `${type}:${receiverName.toLowerCase()}:${field}`;

/** A receiver as the API shows it (secrets null, hints beside them) → the file's form (placeholders where one is stored). */
function receiverDoc(r: Record<string, unknown>): Entry {
  const doc: Entry = { ...r };
  for (const field of secretFieldsOf(r.type)) {
    const hint = doc[`${field}Hint`];
    delete doc[field];
    delete doc[`${field}Hint`];
    if (hint) doc[field] = SECRET_PLACEHOLDER;
  }
  return ordered(doc, ["type", "name"]);
}

/** Reads everything the file can describe. Secrets are opened only to compare a secret given in a file. */
export async function readTenantState(api: Api, tx: Pick<Tx, "actionGroup">, tenantId: string, key: Buffer | null): Promise<TenantState> {
  const t = { tenantId };
  const [workspaces, groups, rules, silences] = await Promise.all([
    api.workspaces.list(t),
    api.actionGroups.list(t),
    api.rules.list(t),
    api.silences.list(t),
  ]);
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const byName = (names: string[]) => [...names].sort();

  const stored = key ? await tx.actionGroup.findMany({ where: { tenantId }, select: { id: true, receivers: true } }) : [];
  const openSecrets = (groupId: string) => {
    const map = new Map<string, string | null>();
    const row = stored.find((s) => s.id === groupId);
    for (const r of (row?.receivers ?? []) as Record<string, unknown>[]) {
      for (const field of secretFieldsOf(r.type)) {
        const sealed = r[`${field}Encrypted`];
        // a value stored before its field counted as secret is still in clear (the API seals it on the next save)
        const plain = r[field];
        if (typeof sealed !== "string" && typeof plain !== "string") continue;
        let value: string | null = typeof plain === "string" ? plain : null;
        if (typeof sealed === "string" && key) {
          try {
            value = decryptSecret(sealed, key);
          } catch {
            value = null; // another key: the secret cannot be compared, so a given one counts as a change
          }
        }
        map.set(secretKey(String(r.name), String(r.type), field), value);
      }
    }
    return map;
  };

  const state: TenantState = {
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, kind: w.kind, armId: w.armId })),
    groups: new Map(),
    rules: new Map(),
    silences: new Map(),
  };
  for (const g of groups) {
    const doc = ordered(
      { name: g.name, shortName: g.shortName ?? undefined, enabled: g.enabled, templates: g.templates ?? undefined, receivers: g.receivers.map(receiverDoc) },
      groupKeys,
    );
    state.groups.set(g.name, { id: g.id, doc, secrets: openSecrets(g.id) });
  }
  for (const r of rules) {
    const names = { workspaces: r.workspaceIds.map((id) => wsName.get(id) ?? id), actionGroups: r.actionGroupIds.map((id) => groupName.get(id) ?? id) };
    if (r.definition === null) {
      // only what the columns say: any rule the file gives under this name differs, so apply replaces it
      const doc = ordered({ kind: r.kind, name: r.name, description: r.description, enabled: r.enabled, actionGroups: sortedNames(names.actionGroups) }, logRuleKeys);
      state.rules.set(r.name, { id: r.id, kind: r.kind, doc, definitionError: r.definitionError });
      continue;
    }
    state.rules.set(r.name, { id: r.id, kind: r.kind, doc: ruleDoc(joinRule(r), names) });
  }
  for (const s of silences) {
    const { ruleIds, ...matchers } = s.matchers;
    // a rule deleted since the silence was made has no name to show; it can match nothing anyway
    const names = (ruleIds ?? []).flatMap((id) => ruleName.get(id) ?? []);
    const doc = ordered(
      {
        name: s.name,
        comment: s.comment,
        startsAt: s.startsAt.toISOString(),
        ...(s.endsAt ? { endsAt: s.endsAt.toISOString() } : {}),
        ...(s.recurrence ? { recurrence: { rrule: s.recurrence.rrule, timeZone: s.recurrence.timeZone, durationMinutes: s.recurrence.durationMinutes } } : {}),
        matchers: ordered({ ...(names.length ? { rules: byName(names) } : {}), ...matchers }, silenceMatcherKeys),
      },
      silenceKeys,
    );
    state.silences.set(s.name, { id: s.id, doc });
  }
  return state;
}

export { secretKey };
