/**
 * Tenant isolation, attacked as a user would attack it. A plain member of tenant A (its owner, no platform rights)
 * calls every tenant-scoped procedure with a valid input for A in which one id field at a time — found by walking
 * the procedure's zod input schema (`id`, `…Id`, `…Ids`, `cursor`; nested, in arrays and in union members included)
 * — names one of tenant B's objects instead. Every call must be refused or show nothing of B, and get the very
 * answer the same call gets for an id that exists nowhere (else the answer tells that B's exists); B's data (every
 * table with a tenantId, its workspaces' storage schemas, its members' accounts) must be exactly as before.
 * A procedure added without a valid input in test/procedure-inputs.ts, or an id field no one knows how to aim at B,
 * fails the test.
 */
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db } from "./test/harness";
import { notTenantScoped, parsedInput, procedures, validInputs, type ProcedureInfo } from "./test/procedure-inputs";
import { attempt, markersOf, type Attempt, poolQuery, snapshotTenantData, tenantWithData, type TenantData } from "./test/tenant-data";
import { dotted, fieldName, fieldPaths, isIdField, withValueAt, type FieldPath } from "./test/zod-paths";
import type { SessionUser } from "./context";

/** Id fields that name nothing a tenant owns, each for a reason. */
const notTenantObjects: Record<string, string> = {
  templateId: "built-in rule templates, the same for every tenant",
};

/** Id fields no valid input can carry to the procedure, each for a reason. */
const unreachable: Record<string, Record<string, string>> = {
  "rules.preview": {
    "rule.scope.subscriptionIds": "only log rules can be previewed: an activity rule is refused before its scope is read",
    "rule.scope.resourceIds": "only log rules can be previewed: an activity rule is refused before its scope is read",
  },
};

/**
 * Tenant B's values for an id field, by the field's name without `Id`/`Ids`: its row ids, and the Azure identifiers
 * it registered (an id already taken by another tenant must not be an oracle for it either). `*` (a field called
 * `id`, or a `cursor`) gets the tenant's id and one row of each kind a list pages through (and a few it does not).
 */
async function valuesOf(b: TenantData): Promise<Record<string, string[]>> {
  const col = async (sql: string) => (await poolQuery(sql, [b.ids.tenantId])).map((r) => String(r.v)).filter((v) => v !== "null");
  const ids = (table: string) => col(`SELECT id::text AS v FROM "${table}" WHERE "tenantId" = $1::uuid ORDER BY id`);
  const azureSubscriptions = await col(`SELECT "azureSubscriptionId" AS v FROM subscription WHERE "tenantId" = $1::uuid`);
  const vaultArmIds = await col(`SELECT "armId" AS v FROM vault WHERE "tenantId" = $1::uuid`);
  const someRows = await Promise.all(["vault", "alert", "audit_log", "workspace", "alert_rule"].map(async (t) => (await ids(t))[0]));
  return {
    tenant: [b.ids.tenantId],
    targetTenant: [b.ids.tenantId],
    vault: await ids("vault"),
    workspace: await ids("workspace"),
    activityWorkspace: await ids("workspace"),
    rule: await ids("alert_rule"),
    actionGroup: await ids("action_group"),
    alert: await ids("alert"),
    silence: await ids("silence"),
    membership: await ids("membership"),
    invitation: await ids("invitation"),
    connection: await ids("azure_connection"),
    source: await ids("archive_source"),
    subscription: [...(await ids("subscription")), ...azureSubscriptions],
    azureSubscription: azureSubscriptions,
    azureWorkspace: await col(`SELECT "azureWorkspaceId"::text AS v FROM workspace WHERE "tenantId" = $1::uuid`),
    entraTenant: await col(`SELECT "entraTenantId"::text AS v FROM azure_connection WHERE "tenantId" = $1::uuid`),
    client: await col(`SELECT "clientId"::text AS v FROM azure_connection WHERE "tenantId" = $1::uuid`),
    arm: [...vaultArmIds, ...(await col(`SELECT "armId" AS v FROM workspace WHERE "tenantId" = $1::uuid`))],
    resource: vaultArmIds,
    "*": [b.ids.tenantId, ...someRows.filter((v): v is string => !!v)],
  };
}

const stemOf = (name: string) => (/^(id|ids|cursor)$/.test(name) ? "*" : name.replace(/Ids?$/, ""));

const tenantScoped = procedures.filter((p) => p.path in validInputs);

let A: TenantData;
let B: TenantData;
let attacker: SessionUser;
let watchB: { tenantId: string; workspaceIds: string[] };
let baselineB: Record<string, string>;
let markersB: Set<string>;
let valuesB: Record<string, string[]>;

beforeAll(async () => {
  A = await tenantWithData();
  B = await tenantWithData();
  attacker = (await addMember(A.ids.tenantId, "owner")).user;
  const workspaces = await db.workspace.findMany({ where: { tenantId: B.ids.tenantId }, select: { id: true } });
  watchB = { tenantId: B.ids.tenantId, workspaceIds: workspaces.map((w) => w.id) };
  baselineB = await snapshotTenantData(watchB.tenantId, watchB.workspaceIds);
  markersB = await markersOf(B, [A]);
  valuesB = await valuesOf(B);
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
});

describe("the test covers the whole router", () => {
  it("every procedure has a valid input or a stated reason not to be tenant-scoped", () => {
    const paths = procedures.map((p) => p.path);
    expect(paths.filter((p) => !(p in validInputs) && !(p in notTenantScoped)), "add them to test/procedure-inputs.ts").toEqual([]);
    expect([...Object.keys(validInputs), ...Object.keys(notTenantScoped)].filter((p) => !paths.includes(p)), "no longer procedures").toEqual([]);
  });

  it("tenant-scoped procedures stand on the tenant rung of the ladder, the others on the public or user rung", () => {
    for (const p of procedures) {
      const expected = p.path in validInputs ? /^tenants?$/ : /^(public|user)$/;
      expect([p.path, p.meta?.scope]).toEqual([p.path, expect.stringMatching(expected)]);
    }
  });

  it("the caller is a plain member: owner of tenant A only, no platform rights", async () => {
    expect(attacker.platformAdmin).toBe(false);
    const memberships = await db.membership.findMany({ where: { userId: attacker.id }, select: { tenantId: true, role: true } });
    expect(memberships).toEqual([{ tenantId: A.ids.tenantId, role: "owner" }]);
  });

  it("tenant B has data in every table that holds tenant data and rows in its workspace storage", () => {
    // platform audit rows about a tenant appear when it is deleted; members signed in through the API have sessions
    const empty = Object.entries(baselineB).filter(([table, digest]) => digest.startsWith("0:") && !/^(session|account|audit_log \(platform)/.test(table));
    expect(empty, "give tenant B rows there (test/tenant-data.ts)").toEqual([]);
    expect(Object.keys(baselineB).filter((t) => t.startsWith("lw ")).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the valid inputs are accepted for the tenant's own objects", () => {
  // Without this, a broken input would be refused whatever it named, and the attacks below would prove nothing.
  it.each(tenantScoped.map((p) => p.path))("%s", async (path) => {
    const procedure = tenantScoped.find((p) => p.path === path)!;
    for (const input of validInputs[path]!(A)) {
      expect(parsedInput(procedure, input), `${path}: the input does not parse`).not.toBeNull();
      const result = await attempt(attacker, path, input, { tenantId: A.ids.tenantId, workspaceIds: [] });
      expect(result.ok ? null : result.error, `${path} refused the owner's valid input`).toBeNull();
    }
  });
});

describe("a plain member of tenant A cannot reach tenant B", () => {
  // Three procedures are attacked at a time (every call in its own transaction, rolled back); each test reads its
  // procedure's findings. The attacks start here, after the valid inputs above have all been run one at a time.
  let findings: Map<string, Promise<string[]>>;
  beforeAll(() => {
    findings = inParallel(3, tenantScoped, (procedure) => attackEveryIdField(procedure).catch((e: unknown) => [`the attack failed: ${String(e)}`]));
  });

  it.each(tenantScoped.map((p) => p.path))("%s with each id field aimed at B: refused or nothing of B, and B unchanged", async (path) => {
    expect(await findings.get(path)).toEqual([]);
  });

  it("cross-tenant lists without a filter show only the caller's tenants", async () => {
    const caller = callerFor(attacker);
    const vaults = await caller.vaults.list({});
    expect(new Set(vaults.items.map((v) => v.tenantId))).toEqual(new Set([A.ids.tenantId]));
    const audit = await caller.audit.list({});
    expect(new Set(audit.items.map((e) => e.tenantId))).toEqual(new Set([A.ids.tenantId]));
    const alerts = await caller.alerts.list({});
    expect(new Set(alerts.items.map((a) => a.tenantId))).toEqual(new Set([A.ids.tenantId]));
  });

  it("the database itself refuses rule links and alerts pointing at another tenant's rows", async () => {
    const t = A.ids.tenantId;
    await expect(db.alertRuleWorkspace.create({ data: { tenantId: t, ruleId: A.ids.ruleId, workspaceId: B.ids.azureWorkspaceId } })).rejects.toThrow();
    await expect(db.alertRuleActionGroup.create({ data: { tenantId: t, ruleId: A.ids.ruleId, actionGroupId: B.ids.actionGroupId } })).rejects.toThrow();
    await expect(db.alertEvent.create({ data: { tenantId: t, alertId: B.ids.alertId, kind: "commented", occurredAt: new Date() } })).rejects.toThrow();
  });

  it("the database itself refuses a vault pointing at another tenant's workspace", async () => {
    await expect(db.vault.update({ where: { id: A.ids.vaultId }, data: { workspaceId: B.ids.localWorkspaceId } })).rejects.toThrow();
  });

  it("B's data is exactly as it was after all of the above", async () => {
    expect(await snapshotTenantData(watchB.tenantId, watchB.workspaceIds)).toEqual(baselineB);
  });
});

/** `run` over every procedure, `limit` at a time; each procedure's promise by its path. */
function inParallel(limit: number, items: ProcedureInfo[], run: (p: ProcedureInfo) => Promise<string[]>): Map<string, Promise<string[]>> {
  const settle = new Map<string, (value: string[]) => void>();
  const results = new Map(items.map((p) => [p.path, new Promise<string[]>((resolve) => settle.set(p.path, resolve))]));
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      settle.get(item.path)!(await run(item));
    }
  };
  for (let i = 0; i < limit; i++) void worker();
  return results;
}

/** An id that exists nowhere: B's id must get the answer this one gets, or the answer tells A that B's exists. */
const nowhere = randomUUID();
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every id field of the procedure's input, each aimed at each of B's matching values; what went wrong, if anything. */
async function attackEveryIdField(procedure: ProcedureInfo): Promise<string[]> {
  const problems: string[] = [];
  const idPaths = new Map<string, FieldPath>();
  for (const parser of procedure.inputs)
    for (const path of fieldPaths(parser)) if (isIdField(fieldName(path))) idPaths.set(JSON.stringify(path), path);
  for (const path of idPaths.values()) {
    const name = fieldName(path);
    if (name in notTenantObjects || dotted(path) in (unreachable[procedure.path] ?? {})) continue;
    const values = valuesB[stemOf(name)];
    if (!values) {
      problems.push(`${dotted(path)}: no idea which of B's values to aim it at (add its kind to valuesOf)`);
      continue;
    }
    let reached = 0;
    const twins = new Map<string, Promise<string>>();
    for (const valid of validInputs[procedure.path]!(A))
      for (const value of values) {
        const input = withValueAt(valid, path, value);
        // only inputs that still pass the schema with B's value in place are attacks on the procedure itself
        const parsed = parsedInput(procedure, input);
        if (!parsed || !JSON.stringify(parsed).toLowerCase().includes(value.toLowerCase())) continue;
        reached++;
        const twinValue = value.replace(uuidPattern, nowhere);
        const twinInput = withValueAt(valid, path, twinValue);
        const key = JSON.stringify(twinInput);
        if (!twins.has(key)) twins.set(key, attempt(attacker, procedure.path, twinInput, watchB).then((r) => answerShape(r, twinValue)));
        const problem = await judge(procedure.path, path, input, value, await twins.get(key)!);
        if (problem) problems.push(`${dotted(path)} = ${value} (${JSON.stringify(input).slice(0, 300)}): ${problem}`);
      }
    if (reached === 0) problems.push(`${dotted(path)}: no valid input reaches it (add one to test/procedure-inputs.ts)`);
  }
  return problems;
}

/** What kind of answer a call got, with the id it was given written as <id>. */
function answerShape(result: Attempt, value: string): string {
  if (result.ok) return "answered";
  if (!(result.error instanceof TRPCError)) return `crashed: ${String(result.error)}`;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `${result.error.code}: ${result.error.message.replace(new RegExp(escaped, "gi"), "<id>")}`;
}

/**
 * One attack: refused (FORBIDDEN, NOT_FOUND, or BAD_REQUEST naming the field) or answered without B, exactly as an
 * id that exists nowhere is (`expected`: the answer to that); B unchanged.
 */
async function judge(path: string, field: FieldPath, input: unknown, value: string, expected: string): Promise<string | null> {
  const result = await attempt(attacker, path, input, watchB);
  const sent = JSON.stringify(input).toLowerCase();
  const leaked = (text: string) => [...markersB].filter((m) => text.toLowerCase().includes(m.toLowerCase()) && !sent.includes(m.toLowerCase()));
  if (JSON.stringify(result.after) !== JSON.stringify(baselineB)) {
    const changed = Object.keys({ ...baselineB, ...result.after }).filter((t) => baselineB[t] !== result.after[t]);
    return `changed B's data in ${changed.join(", ")}`;
  }
  const shape = answerShape(result, value);
  if (shape !== expected) return `answered "${shape}" where an id that exists nowhere gets "${expected}": that tells B's apart`;
  const name = fieldName(field);
  if (name === "cursor") {
    // a cursor outside the caller's list must never reach Prisma, which would page by the foreign row's place
    const refused = !result.ok && result.error instanceof TRPCError && result.error.code === "BAD_REQUEST";
    return refused && (result.error as TRPCError).message.startsWith("cursor: ") ? null : `a foreign cursor was not refused naming cursor (${shape})`;
  }
  if (result.ok) {
    if (name === "tenantId" || name === "tenantIds") return "answered a call naming tenant B";
    const shown = leaked(JSON.stringify(result.value) ?? "");
    return shown.length ? `answered with B's ${shown.join(", ")}` : null;
  }
  if (!(result.error instanceof TRPCError)) return `failed with ${String(result.error)}`;
  const { code, message } = result.error;
  const shown = leaked(message);
  if (shown.length) return `refused, but the message shows B's ${shown.join(", ")}`;
  if (name === "tenantId" || name === "tenantIds") return code === "FORBIDDEN" ? null : `refused with ${code}, not FORBIDDEN`;
  if (code === "FORBIDDEN" || code === "NOT_FOUND") return null;
  if (code === "BAD_REQUEST") return message.includes(name) ? null : `BAD_REQUEST not naming ${dotted(field)}: ${message}`;
  return `refused with ${code}: ${message}`;
}
