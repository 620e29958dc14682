/**
 * Applying a rules-as-code file: check every entry (schemas first, then names against the tenant), compare with
 * what is stored, then make the changes through the API's own procedures, all inside one database transaction.
 * Every procedure runs as it does for the web (its checks, its audit entry); its nested transaction joins ours.
 * Any failure rolls everything back; a dry run rolls back on purpose, after the server-side checks have run.
 */
import type { SessionUser } from "@vaultwatch/api";
import { parseEncryptionKey, type Db, type Tx } from "@vaultwatch/db";
import { callerAs, getDb } from "../../context";
import { env } from "../../env";
import { CliError, CliErrors } from "../../errors";
import { changedFields, fileParts, joinPath, secretFieldsOf, stripFieldName, type Entry, type RulesFile, type Section } from "./format";
import { desiredGroup, desiredRule, desiredSilence, type DesiredGroup, type DesiredRule, type DesiredSilence, type Issue } from "./desired";
import { readTenantState, type Api, type TenantState } from "./state";

export type ChangeAction = "create" | "update" | "unchanged" | "delete" | "not in file";
export type ObjectType = "actionGroup" | "rule" | "silence";
export type Change = {
  type: ObjectType;
  name: string;
  action: ChangeAction;
  fields?: string[];
  diff?: Record<string, { from: unknown; to: unknown }>;
};
export type ApplyReport = {
  tenant: string;
  as: string;
  dryRun: boolean;
  applied: boolean;
  changes: Change[];
  summary: Record<"create" | "update" | "unchanged" | "delete" | "notInFile", number>;
};

export type ApplyOptions = {
  dryRun: boolean;
  /** delete what the tenant has and the file does not list (only in the sections the file governs) */
  prune: boolean;
  /** the sections the file speaks for: absent objects elsewhere are neither reported nor pruned */
  sections?: Section[];
  /** how an entry is named in errors; `rules[2]` by default */
  label?: (section: Section, index: number) => string;
  as?: string;
};

/** The user the API is called as: the one named, else the tenant's first owner. Audit entries carry them. */
export async function resolveActor(tenantId: string, email: string | undefined): Promise<SessionUser> {
  const db = getDb();
  const membership = email
    ? await db.membership.findFirst({ where: { tenantId, user: { email: email.trim().toLowerCase() } }, include: { user: true } })
    : await db.membership.findFirst({ where: { tenantId, role: "owner" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { user: true } });
  if (!membership) {
    throw new CliError("as", email ? `${email} is not a member of this tenant` : "the tenant has no owner to act as; pass --as EMAIL");
  }
  const u = membership.user;
  return { id: u.id, email: u.email, name: u.name, platformAdmin: u.platformAdmin };
}

export async function findTenant(slug: string) {
  const tenant = await getDb().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!tenant) throw new CliError("tenant", `no tenant with slug ${slug}`);
  return tenant;
}

export function encryptionKey(): Buffer | null {
  const key = env().ENCRYPTION_KEY;
  return key ? parseEncryptionKey(key) : null;
}

/** The transaction, looking like a client whose `$transaction(fn)` runs `fn` inside it (no nesting in Prisma). */
function joined(tx: Tx): Db {
  const proxy: Db = new Proxy(tx, {
    get(target, prop) {
      if (prop === "$transaction") {
        return (arg: unknown) => (typeof arg === "function" ? (arg as (t: unknown) => unknown)(proxy) : Promise.all(arg as Promise<unknown>[]));
      }
      return Reflect.get(target, prop) as unknown;
    },
  }) as unknown as Db;
  return proxy;
}

/** An API error as `path: message` lines, its fields renamed to the file's and placed under the entry's label. */
export function issuesFromError(label: string, error: unknown): Issue[] {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const cause = e?.cause as { issues?: unknown; field?: unknown; message?: unknown } | undefined;
  if (cause && Array.isArray(cause.issues)) {
    return (cause.issues as { path: PropertyKey[]; message: string }[]).map((issue) => {
      const parts = fileParts(issue.path);
      return { field: joinPath(label, parts), message: stripFieldName(parts, issue.message) };
    });
  }
  if (cause && typeof cause.field === "string" && typeof cause.message === "string") {
    const parts = fileParts(cause.field.split("."));
    return [{ field: joinPath(label, parts), message: stripFieldName(parts, cause.message) }];
  }
  const message = typeof e?.message === "string" ? e.message : String(error);
  if (e?.code === "FORBIDDEN") return [{ field: "as", message }];
  if (e?.code === "INTERNAL_SERVER_ERROR") return [{ field: label, message: "the server failed to save this entry (see its log)" }];
  const m = /^([A-Za-z][\w.]*): (.+)$/s.exec(message);
  if (m?.[1] && m[2]) {
    const parts = fileParts(m[1].split("."));
    return [{ field: joinPath(label, parts), message: stripFieldName(parts, m[2]) }];
  }
  return [{ field: label, message }];
}

class DryRunRollback extends Error {
  constructor(readonly report: ApplyReport) {
    super("dry run");
  }
}

const SAVEPOINT = "vaultwatch_apply_entry";

/** Applies (or, with dryRun, only checks and compares) one tenant's file. Throws CliErrors listing every bad entry. */
export async function applyRulesFile(file: RulesFile, opts: ApplyOptions): Promise<ApplyReport> {
  const label = opts.label ?? ((section: Section, i: number) => `${section}[${i}]`);
  const governed = new Set<Section>(opts.sections ?? ["actionGroups", "rules", "silences"]);
  const tenant = await findTenant(file.tenant);
  const actor = await resolveActor(tenant.id, opts.as);
  const key = encryptionKey();
  const t = { tenantId: tenant.id };

  try {
    return await getDb().$transaction(
      async (tx) => {
        // one apply per tenant at a time: the comparison must still hold when the changes are made
        await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1))", `vaultwatch.apply:${tenant.id}`);
        const api: Api = callerAs(actor, joined(tx));
        const state = await readTenantState(api, tx, tenant.id, key);
        const { groups, rules, silences } = checkFile(file, state, label);

        const changes: Change[] = [];
        const plan = <T extends { name: string; doc: Entry }>(type: ObjectType, items: T[], current: Map<string, { doc: Entry }>) =>
          items.map((item) => {
            const stored = current.get(item.name);
            const change = diff(type, item.name, stored?.doc, item.doc);
            changes.push(change);
            return { item, change };
          });
        const groupPlan = plan("actionGroup", groups, state.groups);
        const rulePlan = plan("rule", rules, state.rules);
        const silencePlan = plan("silence", silences, state.silences);
        const absent = (type: ObjectType, section: Section, current: Map<string, { id: string }>, listed: { name: string }[]) =>
          governed.has(section)
            ? [...current.entries()]
                .filter(([name]) => !listed.some((i) => i.name === name))
                .map(([name, { id }]) => {
                  const change: Change = { type, name, action: opts.prune ? "delete" : "not in file" };
                  changes.push(change);
                  return { id, name, change };
                })
            : [];
        const absentGroups = absent("actionGroup", "actionGroups", state.groups, groups);
        const absentRules = absent("rule", "rules", state.rules, rules);
        const absentSilences = absent("silence", "silences", state.silences, silences);

        const writesSecrets = groupPlan.some(
          ({ item, change }) =>
            (change.action === "create" || change.action === "update") &&
            ((item.doc.receivers ?? []) as Entry[]).some((r) => secretFieldsOf(r.type).length > 0),
        );
        if (writesSecrets && !key) throw new CliErrors([{ field: "ENCRYPTION_KEY", message: "is required to store action group receivers that hold secrets" }]);

        const errors: Issue[] = [];
        const attempt = async (where: string, fn: () => Promise<void>) => {
          await tx.$executeRawUnsafe(`SAVEPOINT ${SAVEPOINT}`);
          try {
            await fn();
            await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${SAVEPOINT}`);
            return true;
          } catch (error) {
            if (error instanceof CliErrors) throw error;
            await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
            errors.push(...issuesFromError(where, error));
            return false;
          }
        };

        const groupIds = new Map([...state.groups].map(([name, g]) => [name, g.id as string | null]));
        for (const { item, change } of groupPlan) {
          if (change.action === "unchanged") continue;
          const stored = state.groups.get(item.name);
          const ok = await attempt(item.label, async () => {
            if (stored) await api.actionGroups.update({ ...t, actionGroupId: stored.id, ...(item.input as { name: string }) });
            else groupIds.set(item.name, (await api.actionGroups.create({ ...t, ...(item.input as { name: string }) })).id);
          });
          if (!ok) groupIds.set(item.name, null);
        }

        const ruleIds = new Map([...state.rules].map(([name, r]) => [name, r.id as string | null]));
        const wsIds = new Map(state.workspaces.map((w) => [w.name, w.id]));
        for (const { item, change } of rulePlan) {
          if (change.action === "unchanged") continue;
          const actionGroupIds = resolveNames(item.label, "actionGroups", item.actionGroups, groupIds, errors, "action group");
          if (!actionGroupIds) {
            ruleIds.set(item.name, null);
            continue;
          }
          const workspaceIds = item.workspaces.map((n) => wsIds.get(n) ?? "");
          const input = { ...item.input, actionGroupIds, ...(item.kind === "log" ? { workspaceIds } : {}) } as Parameters<Api["rules"]["create"]>[0];
          const stored = state.rules.get(item.name);
          const ok = await attempt(item.label, async () => {
            if (stored) await api.rules.update({ ...input, ...t, ruleId: stored.id });
            else ruleIds.set(item.name, (await api.rules.create({ ...input, ...t })).id);
          });
          if (!ok) ruleIds.set(item.name, null);
        }

        for (const { item, change } of silencePlan) {
          if (change.action === "unchanged") continue;
          const matched = item.rules.length ? resolveNames(item.label, "matchers.rules", item.rules, ruleIds, errors, "rule") : [];
          if (!matched) continue;
          const input = { ...(item.input as Parameters<Api["silences"]["create"]>[0]), ...t };
          input.matchers = { ...input.matchers, ...(item.rules.length ? { ruleIds: matched } : {}) };
          const stored = state.silences.get(item.name);
          await attempt(item.label, async () => {
            if (stored) await api.silences.update({ ...input, silenceId: stored.id });
            else await api.silences.create(input);
          });
        }

        if (opts.prune) {
          for (const s of absentSilences) await attempt(`silence "${s.name}" (not in file)`, async () => void (await api.silences.delete({ ...t, silenceId: s.id })));
          for (const r of absentRules) await attempt(`rule "${r.name}" (not in file)`, async () => void (await api.rules.delete({ ...t, ruleId: r.id })));
          for (const g of absentGroups) await attempt(`actionGroup "${g.name}" (not in file)`, async () => void (await api.actionGroups.delete({ ...t, actionGroupId: g.id })));
        }

        if (errors.length) throw new CliErrors(errors);
        const report = buildReport(file.tenant, actor.email, opts.dryRun, changes);
        if (opts.dryRun) throw new DryRunRollback(report);
        return report;
      },
      // a file of many rules compiles each query inside the transaction (Kusto's first compile takes seconds)
      { timeout: 300_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

const nameOf = (entry: Entry) => (typeof entry.name === "string" ? entry.name.trim() : "");

function resolveNames(label: string, field: string, names: string[], ids: Map<string, string | null>, errors: Issue[], what: string): string[] | null {
  const out: string[] = [];
  let ok = true;
  names.forEach((name, i) => {
    const id = ids.get(name);
    if (id) out.push(id);
    else {
      ok = false;
      errors.push({ field: `${label}.${field}[${i}]`, message: `the ${what} "${name}" could not be saved (see its error)` });
    }
  });
  return ok ? out : null;
}

function diff(type: ObjectType, name: string, current: Entry | undefined, desired: Entry): Change {
  if (!current) return { type, name, action: "create" };
  const fields = changedFields(current, desired);
  if (!fields.length) return { type, name, action: "unchanged" };
  return { type, name, action: "update", fields, diff: Object.fromEntries(fields.map((f) => [f, { from: current[f], to: desired[f] }])) };
}

function buildReport(tenant: string, as: string, dryRun: boolean, changes: Change[]): ApplyReport {
  const count = (a: ChangeAction) => changes.filter((c) => c.action === a).length;
  return {
    tenant,
    as,
    dryRun,
    applied: !dryRun && changes.some((c) => c.action === "create" || c.action === "update" || c.action === "delete"),
    changes,
    summary: { create: count("create"), update: count("update"), unchanged: count("unchanged"), delete: count("delete"), notInFile: count("not in file") },
  };
}

/**
 * Every entry checked before any change: the schemas, names unique within each list, and every name it refers to
 * known (in the tenant, or defined by the file). Throws with all the problems found.
 */
export function checkFile(file: RulesFile, state: TenantState, label: (section: Section, i: number) => string) {
  const issues: Issue[] = [];
  const groups: DesiredGroup[] = [];
  const rules: DesiredRule[] = [];
  const silences: DesiredSilence[] = [];
  const collect = <T>(r: { item?: T; issues: Issue[] }, into: T[]) => {
    issues.push(...r.issues);
    if (r.item) into.push(r.item);
  };
  file.actionGroups.forEach((entry, i) => collect(desiredGroup(label("actionGroups", i), entry, state.groups.get(nameOf(entry))), groups));
  file.rules.forEach((entry, i) => collect(desiredRule(label("rules", i), entry), rules));
  file.silences.forEach((entry, i) => collect(desiredSilence(label("silences", i), entry), silences));

  const unique = (items: { name: string; label: string }[]) => {
    const seen = new Map<string, string>();
    for (const item of items) {
      const first = seen.get(item.name);
      if (first) issues.push({ field: `${item.label}.name`, message: `"${item.name}" is already the name of ${first}` });
      else seen.set(item.name, item.label);
    }
  };
  unique(groups);
  unique(rules);
  unique(silences);

  const workspaceNames = new Set(state.workspaces.map((w) => w.name));
  const groupNames = new Set([...state.groups.keys(), ...file.actionGroups.map((g) => nameOf(g))]);
  const ruleNames = new Set([...state.rules.keys(), ...file.rules.map((r) => nameOf(r))]);
  // names are checked on every entry, also those with other problems: one run shows everything to fix
  const names = (value: unknown) => (Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v.trim() : null)) : []);
  file.rules.forEach((entry, r) => {
    const where = label("rules", r);
    if (entry.kind === "log")
      names(entry.workspaces).forEach((n, i) => {
        if (n && !workspaceNames.has(n)) issues.push({ field: `${where}.workspaces[${i}]`, message: `no workspace named "${n}" in tenant ${file.tenant}` });
      });
    names(entry.actionGroups).forEach((n, i) => {
      if (n && !groupNames.has(n)) issues.push({ field: `${where}.actionGroups[${i}]`, message: `no action group named "${n}" in tenant ${file.tenant} or in this file` });
    });
  });
  file.silences.forEach((entry, s) => {
    const matchers = entry.matchers as { rules?: unknown } | undefined;
    names(typeof matchers === "object" && matchers ? matchers.rules : undefined).forEach((n, i) => {
      if (n && !ruleNames.has(n)) issues.push({ field: `${label("silences", s)}.matchers.rules[${i}]`, message: `no rule named "${n}" in tenant ${file.tenant} or in this file` });
    });
  });
  if (issues.length) throw new CliErrors(issues);
  return { groups, rules, silences };
}
