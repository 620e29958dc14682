/**
 * The file's entries, checked with the shared schemas before anything touches the database, and normalised to the
 * same by-name form the current state is read into (so that "unchanged" means equal). Names stand in for ids: the
 * schemas see stand-in ids, and the names are resolved against the tenant (and the file) afterwards.
 */
import type { z } from "zod";
import { actionGroupSchema, ruleSchema, silenceSchema } from "@vaultwatch/schemas";
import {
  allowedKeys,
  fileParts,
  joinPath,
  NEW_SECRET,
  SECRET_PLACEHOLDER,
  secretFieldsOf,
  stripFieldName,
  validStandIn,
  type Entry,
  type PathPart,
} from "./format";
import { groupKeys, ordered, ruleDoc, secretKey, silenceKeys, silenceMatcherKeys, type CurrentGroup } from "./state";

export type Issue = { field: string; message: string };

export type DesiredGroup = { label: string; name: string; doc: Entry; input: Entry };
export type DesiredRule = { label: string; name: string; kind: "log" | "activity"; doc: Entry; input: Entry; workspaces: string[]; actionGroups: string[] };
export type DesiredSilence = { label: string; name: string; doc: Entry; input: Entry; rules: string[] };

const isObject = (v: unknown): v is Entry => typeof v === "object" && v !== null && !Array.isArray(v);

/** A stand-in id per distinct name, so the schemas' "must not repeat" checks still see repeats. */
function standInIds(names: string[]): string[] {
  const distinct = [...new Set(names)];
  return names.map((n) => `00000000-0000-4000-8000-${distinct.indexOf(n).toString(16).padStart(12, "0")}`);
}

function zodIssues(label: string, error: z.ZodError, prefix: PathPart[] = []): Issue[] {
  return error.issues.map((issue) => {
    const parts = [...prefix, ...fileParts(issue.path)];
    return { field: joinPath(label, parts), message: stripFieldName(parts, issue.message.replace(/\bworkspaceIds\b/g, "workspaces").replace(/\bactionGroupIds\b/g, "actionGroups").replace(/\bmatchers\.ruleIds\b/g, "matchers.rules")) };
  });
}

function unknownKeys(label: string, entry: Entry, allowed: Set<string>, prefix: PathPart[] = []): Issue[] {
  return Object.keys(entry)
    .filter((k) => !allowed.has(k))
    .map((k) => ({ field: joinPath(label, [...prefix, k]), message: `unknown field (expected one of ${[...allowed].join(", ")})` }));
}

/** A list of names (workspaces, action groups, rules), or an issue. */
function nameList(label: string, parts: PathPart[], value: unknown, required: boolean): { names: string[]; issues: Issue[] } {
  const field = String(parts[parts.length - 1]);
  if (value === undefined || value === null) {
    return required ? { names: [], issues: [{ field: joinPath(label, parts), message: `must list at least one ${field === "workspaces" ? "workspace" : "name"} by name` }] } : { names: [], issues: [] };
  }
  if (!Array.isArray(value)) return { names: [], issues: [{ field: joinPath(label, parts), message: "must be a list of names" }] };
  const issues: Issue[] = [];
  const names = value.map((v, i) => {
    if (typeof v !== "string" || !v.trim()) issues.push({ field: joinPath(label, [...parts, i]), message: "must be a name" });
    return typeof v === "string" ? v.trim() : "";
  });
  return { names, issues };
}

export function desiredGroup(label: string, entry: Entry, current: CurrentGroup | undefined): { item?: DesiredGroup; issues: Issue[] } {
  const issues = unknownKeys(label, entry, allowedKeys.actionGroup);
  const storedReceivers = (current?.doc.receivers ?? []) as Entry[];
  const stored = (type: unknown, name: unknown) =>
    storedReceivers.find((r) => r.type === type && typeof name === "string" && String(r.name).toLowerCase() === name.trim().toLowerCase());
  type Mode = "keep" | "given" | "none";
  // per receiver, per secret field: keep the stored secret, store the given one, or there is none
  const modes: Record<string, Mode>[] = [];
  const forSchema: unknown[] = [];
  const forApi: unknown[] = [];
  const receivers = entry.receivers;
  if (Array.isArray(receivers)) {
    receivers.forEach((r: unknown, i) => {
      const fields = isObject(r) ? secretFieldsOf(r.type) : [];
      const fieldModes: Record<string, Mode> = {};
      modes.push(fieldModes);
      if (!isObject(r) || fields.length === 0) {
        forSchema.push(r);
        forApi.push(r);
        return;
      }
      const checked: Entry = { ...r };
      const sent: Entry = { ...r };
      for (const field of fields) {
        const value = r[field];
        if (value !== SECRET_PLACEHOLDER && value !== undefined && value !== null) {
          fieldModes[field] = "given";
          continue;
        }
        const hasStored = stored(r.type, r.name)?.[field] === SECRET_PLACEHOLDER;
        if (value === SECRET_PLACEHOLDER && !hasStored)
          issues.push({ field: joinPath(label, ["receivers", i, field]), message: `"${SECRET_PLACEHOLDER}" keeps a stored secret, but this receiver has none stored; give the value` });
        fieldModes[field] = hasStored ? "keep" : "none";
        delete checked[field];
        if (hasStored) checked[field] = validStandIn[field];
        delete sent[field]; // the API keeps the stored secret of a receiver sent without one
      }
      forSchema.push(checked);
      forApi.push(sent);
    });
  }
  const parsed = actionGroupSchema.safeParse({ ...entry, ...(Array.isArray(receivers) ? { receivers: forSchema } : {}) });
  if (!parsed.success) return { issues: [...issues, ...zodIssues(label, parsed.error)] };
  if (issues.length) return { issues };
  const g = parsed.data;
  const docReceivers = g.receivers.map((r, i) => {
    const doc: Entry = { ...r };
    for (const field of secretFieldsOf(r.type)) {
      const value = doc[field];
      delete doc[field];
      const mode = modes[i]?.[field];
      if (mode === "keep") doc[field] = SECRET_PLACEHOLDER;
      // an object secret (a webhook's headers) is stored as its JSON
      else if (mode === "given")
        doc[field] = current?.secrets.get(secretKey(r.name, r.type, field)) === (typeof value === "string" ? value : JSON.stringify(value)) ? SECRET_PLACEHOLDER : NEW_SECRET;
    }
    return ordered(doc, ["type", "name"]);
  });
  const doc = ordered({ name: g.name, shortName: g.shortName, enabled: g.enabled, templates: g.templates, receivers: docReceivers }, groupKeys);
  const input = {
    name: g.name,
    shortName: g.shortName ?? null,
    enabled: g.enabled,
    templates: g.templates ?? null,
    receivers: Array.isArray(receivers) ? forApi : [],
  };
  return { item: { label, name: g.name, doc, input }, issues: [] };
}

export function desiredRule(label: string, entry: Entry): { item?: DesiredRule; issues: Issue[] } {
  const kind = entry.kind;
  if (kind !== "log" && kind !== "activity") return { issues: [{ field: joinPath(label, ["kind"]), message: 'must be "log" or "activity"' }] };
  const issues = unknownKeys(label, entry, kind === "log" ? allowedKeys.log : allowedKeys.activity);
  const { kind: _k, workspaces: rawWs, actionGroups: rawGroups, ...rest } = entry;
  const groups = nameList(label, ["actionGroups"], rawGroups, false);
  const ws = kind === "log" ? nameList(label, ["workspaces"], rawWs, true) : { names: [], issues: [] };
  issues.push(...groups.issues, ...ws.issues);
  const translated: Entry = { ...rest, actionGroupIds: standInIds(groups.names), ...(kind === "log" ? { workspaceIds: standInIds(ws.names) } : {}) };
  const parsed = ruleSchema.safeParse({ ...translated, kind });
  if (!parsed.success) {
    // a bad name list was reported already; the stand-in ids then mean nothing
    const own = zodIssues(label, parsed.error).filter((i) => !issues.some((e) => e.field === i.field || i.field.startsWith(`${e.field}[`)));
    return { issues: [...issues, ...own] };
  }
  if (issues.length) return { issues };
  const doc = ruleDoc(parsed.data, { workspaces: ws.names, actionGroups: groups.names });
  return { item: { label, name: parsed.data.name, kind, doc, input: { kind, ...rest }, workspaces: ws.names, actionGroups: groups.names }, issues: [] };
}

export function desiredSilence(label: string, entry: Entry): { item?: DesiredSilence; issues: Issue[] } {
  const issues = unknownKeys(label, entry, allowedKeys.silence);
  const matchers = entry.matchers;
  let rules = { names: [] as string[], issues: [] as Issue[] };
  let translated: Entry = entry;
  if (isObject(matchers)) {
    issues.push(...unknownKeys(label, matchers, allowedKeys.silenceMatchers, ["matchers"]));
    const { rules: rawRules, ...otherMatchers } = matchers;
    rules = nameList(label, ["matchers", "rules"], rawRules, false);
    issues.push(...rules.issues);
    translated = { ...entry, matchers: { ...otherMatchers, ...(rawRules !== undefined ? { ruleIds: standInIds(rules.names) } : {}) } };
  }
  const parsed = silenceSchema.safeParse(translated);
  if (!parsed.success) {
    const own = zodIssues(label, parsed.error).filter((i) => !issues.some((e) => e.field === i.field || i.field.startsWith(`${e.field}[`)));
    return { issues: [...issues, ...own] };
  }
  if (issues.length) return { issues };
  const s = parsed.data;
  const { ruleIds: _r, ...otherParsed } = s.matchers;
  const doc = ordered(
    {
      name: s.name,
      comment: s.comment,
      startsAt: s.startsAt.toISOString(),
      ...(s.endsAt ? { endsAt: s.endsAt.toISOString() } : {}),
      ...(s.recurrence ? { recurrence: { rrule: s.recurrence.rrule, timeZone: s.recurrence.timeZone, durationMinutes: s.recurrence.durationMinutes } } : {}),
      matchers: ordered({ ...(s.matchers.ruleIds ? { rules: [...rules.names].sort() } : {}), ...otherParsed }, silenceMatcherKeys),
    },
    silenceKeys,
  );
  const input = { name: s.name, comment: s.comment, startsAt: s.startsAt, endsAt: s.endsAt, recurrence: s.recurrence, matchers: { ...otherParsed } };
  return { item: { label, name: s.name, doc, input, rules: rules.names }, issues: [] };
}
