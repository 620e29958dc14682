/**
 * Deletion that deletes: a tenant (or one workspace) with data everywhere is deleted, then every table of the public
 * schema is searched for its ids, and its `lw_` schemas must be gone; a second tenant stays exactly as it was.
 */
import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateActivityEvents, evaluateLogTick, localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { ingestRecords, workspaceSchemaName } from "@vaultwatch/local-workspace";
import { deleteTenant } from "./services/tenants";
import { callerFor, db, populatedTenant, rowPool, ruleChanges, sampleLogRule, snapshotTenant, uniq } from "./test/harness";
import { activityEvent, failedJob } from "./test/tenant-data";

afterAll(async () => {
  await rowPool.end();
  await db.$disconnect();
});

const deps = { pool: rowPool, runner: workspaceRunners({ local: localWorkspaceRunner(rowPool) }) };
const vaultArm = `/subscriptions/${randomUUID()}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-del`;

/** A tenant with a row in every table a tenant can own, made through the API, the real ingest and the real evaluator. */
async function tenantWithDataEverywhere() {
  const P = await populatedTenant(); // connection, local + Azure workspaces, vault, subscription, members, invitation, action group, rule, alert
  const call = callerFor(P.owner);
  const t = { tenantId: P.ids.tenantId };
  const second = await call.workspaces.createLocal({ ...t, name: "Second" });
  const local = [P.ids.localWorkspaceId, second.id];
  const now = new Date(Date.now() - 30_000);
  for (const workspaceId of local) {
    await ingestRecords(rowPool, { tenantId: t.tenantId, workspaceId }, [failedJob(vaultArm, now), failedJob(vaultArm, now), activityEvent(vaultArm, randomUUID(), now)]);
  }
  await call.vaults.register({ ...t, armId: vaultArm, workspaceId: second.id });
  const both = await call.rules.create({ ...t, ...sampleLogRule(P.ids.localWorkspaceId, "Both workspaces"), workspaceIds: local, actionGroupIds: [P.ids.actionGroupId] });
  const onlySecond = await call.rules.create({ ...t, ...sampleLogRule(second.id, "Second only"), actionGroupIds: [P.ids.actionGroupId] });
  await call.rules.create({
    ...t,
    kind: "activity",
    name: "Policy changed",
    condition: { allOf: [{ field: "category", equals: "Administrative" }] },
    actionGroupIds: [P.ids.actionGroupId],
  });
  const tick = new Date(Math.floor(Date.now() / 300_000) * 300_000);
  for (const rule of [both, onlySecond]) await evaluateLogTick(deps, rule.id, tick);
  for (const workspaceId of local) await evaluateActivityEvents(rowPool, workspaceId);
  // the Overview's summaries, as the worker's refresh writes them
  for (const workspaceId of local) await db.workspaceSummary.create({ data: { workspaceId, tenantId: t.tenantId, refreshedAt: now, attemptedAt: now, failedJobs24h: 2, rowsSeen: 2 } });
  await call.silences.create({ ...t, name: "Patch night", startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000), matchers: { severities: [1] } });
  await call.actionGroups.create({
    ...t,
    name: "Hooks",
    receivers: [{ type: "webhook", name: "hook", url: `https://example.com/hook?code=${uniq()}`, secret: "0123456789abcdef-secret" }],
  });
  await call.members.invite({ ...t, email: `later-${uniq()}@test.vaultwatch`, role: "viewer" });

  // every kind of row is really there before the deletion, or the test proves nothing
  const where = { tenantId: t.tenantId };
  const counts = {
    activityEvents: await db.activityEvent.count({ where }),
    evaluations: await db.ruleEvaluation.count({ where }),
    alerts: await db.alert.count({ where }),
    alertEvents: await db.alertEvent.count({ where }),
    outbox: await db.notificationOutbox.count({ where }),
    silences: await db.silence.count({ where }),
    actionGroups: await db.actionGroup.count({ where }),
    invitations: await db.invitation.count({ where }),
    memberships: await db.membership.count({ where }),
    audit: await db.auditLog.count({ where }),
    vaults: await db.vault.count({ where }),
    connections: await db.azureConnection.count({ where }),
    subscriptions: await db.subscription.count({ where }),
    ruleLinks: await db.alertRuleWorkspace.count({ where }),
    summaries: await db.workspaceSummary.count({ where }),
  };
  for (const [what, n] of Object.entries(counts)) expect(n, what).toBeGreaterThan(0);
  for (const id of local) expect(await tableRows(id, "AzureDiagnostics"), `rows of ${id}`).toBe(2);
  return { P, secondWorkspaceId: second.id, localWorkspaceIds: local, ruleIds: { both: both.id, onlySecond: onlySecond.id } };
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tableRows(workspaceId: string, table: string): Promise<number | null> {
  const schema = workspaceSchemaName(workspaceId);
  const exists = await rowPool.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [schema, table]);
  if (!exists.rowCount) return null;
  const { rows } = await rowPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(schema)}.${q(table)}`);
  return rows[0]!.n;
}

async function schemaExists(workspaceId: string): Promise<boolean> {
  const { rowCount } = await rowPool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [workspaceSchemaName(workspaceId)]);
  return rowCount === 1;
}

const publicTables = async () =>
  (
    await rowPool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    )
  ).rows.map((r) => r.table_name);

/** Every id a tenant's rows carry: the `id` of each row of each table that has a tenantId column, found generically. */
async function idsOwnedBy(tenantId: string): Promise<string[]> {
  const { rows: tables } = await rowPool.query<{ table_name: string; has_id: boolean }>(
    `SELECT c.table_name, bool_or(i.column_name IS NOT NULL) AS has_id
       FROM information_schema.columns c
       LEFT JOIN information_schema.columns i ON i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id'
      WHERE c.table_schema = 'public' AND c.column_name IN ('tenantId', 'tenant_id') GROUP BY c.table_name`,
  );
  expect(tables.length).toBeGreaterThan(10);
  const ids = new Set([tenantId]);
  for (const { table_name, has_id } of tables) {
    if (!has_id) continue;
    const { rows } = await rowPool.query<{ id: string }>(`SELECT id::text FROM public.${q(table_name)} WHERE "tenantId" = $1::uuid`, [tenantId]);
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

/**
 * Rows anywhere in the public schema whose text (every column, JSON included) mentions one of `ids` (with or without
 * dashes), as `table: row`; rows for which `allowed` says yes are left out.
 */
async function rowsMentioning(ids: readonly string[], allowed: (table: string, row: string) => boolean = () => false) {
  const pattern = ids.flatMap((id) => [id, id.replace(/-/g, "")]).join("|");
  const found: string[] = [];
  for (const table of await publicTables()) {
    const { rows } = await rowPool.query<{ row: string }>(`SELECT r::text AS row FROM public.${q(table)} AS r WHERE r::text ~* $1 LIMIT 20`, [pattern]);
    for (const { row } of rows) if (!allowed(table, row)) found.push(`${table}: ${row}`);
  }
  return found;
}

/** Rows whose tenantId column (found from information_schema) names the tenant, per table. */
async function rowsWithTenantId(tenantId: string) {
  const { rows: columns } = await rowPool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('tenantId', 'tenant_id')`,
  );
  const found: Record<string, number> = {};
  for (const { table_name, column_name } of columns) {
    const { rows } = await rowPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${q(table_name)} WHERE ${q(column_name)}::text = $1`, [tenantId]);
    if (rows[0]!.n) found[table_name] = rows[0]!.n;
  }
  return found;
}

/** What must not change for a bystander tenant: its rows, plus what snapshotTenant leaves out. */
async function bystander(tenantId: string, workspaceIds: string[]) {
  return {
    rows: await snapshotTenant(tenantId),
    events: await db.activityEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    evaluations: await db.ruleEvaluation.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    outbox: await db.notificationOutbox.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    silences: await db.silence.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    storage: await Promise.all(workspaceIds.map((id) => tableRows(id, "AzureDiagnostics"))),
  };
}

/** The order dropWorkspaceSchemas takes workspaces in (their ingest lock key: the id's first 32 bits, signed). */
const lockOrder = (workspaceId: string) => Number.parseInt(workspaceId.slice(0, 8), 16) | 0;

/** An open transaction that has read a workspace table (as a running query has), until released. */
async function holdTable(workspaceId: string, table: string) {
  const client = await rowPool.connect();
  await client.query("BEGIN");
  await client.query(`SELECT count(*) FROM ${q(workspaceSchemaName(workspaceId))}.${q(table)}`);
  return {
    release: async () => {
      await client.query("ROLLBACK");
      client.release();
    },
  };
}

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

// each test builds two tenants with data in every table (tenantWithData) before it deletes: 20-30 s alone on two cores
describe("deleting a tenant", { timeout: 120_000 }, () => {
  it("removes every row it owned and its workspaces' schemas, keeps one platform audit row, and leaves another tenant as it was", async () => {
    const doomed = await tenantWithDataEverywhere();
    const other = await tenantWithDataEverywhere();
    const otherBefore = await bystander(other.P.ids.tenantId, other.localWorkspaceIds);
    const tenantId = doomed.P.ids.tenantId;
    const ids = await idsOwnedBy(tenantId);
    const ruleIds = (await db.alertRule.findMany({ where: { tenantId }, select: { id: true } })).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(40);
    // the search below finds the tenant's rows in every table that holds some (so an empty answer afterwards means something)
    const tablesBefore = new Set((await rowsMentioning(ids)).map((r) => r.slice(0, r.indexOf(":"))));
    for (const table of ["tenant", "membership", "invitation", "azure_connection", "subscription", "workspace", "vault", "audit_log", "activity_event",
      "action_group", "alert_rule", "alert_rule_workspace", "alert_rule_action_group", "rule_evaluation", "alert", "alert_event", "notification_outbox", "silence", "workspace_summary"]) {
      expect(tablesBefore, table).toContain(table);
    }

    // a query holding a table of the workspace whose schema is dropped last: the deletion cannot finish, and the
    // schemas it dropped before, like every row, are back as they were
    const doomedBefore = await bystander(tenantId, doomed.localWorkspaceIds);
    const lastDropped = [...doomed.localWorkspaceIds].sort((a, b) => lockOrder(a) - lockOrder(b)).at(-1)!;
    const busy = await holdTable(lastDropped, "AzureDiagnostics");
    try {
      const e = await errorOf(deleteTenant(db, doomed.P.owner, doomed.P.tenant, { lockWaitMs: 300 }));
      expect(e?.code).toBe("CONFLICT");
      expect(e?.message).toBe("tenantId: the tenant is busy (a query or an ingest is running); nothing was deleted, try again");
    } finally {
      await busy.release();
    }
    expect(await bystander(tenantId, doomed.localWorkspaceIds)).toEqual(doomedBefore);

    await callerFor(doomed.P.owner).tenants.delete({ tenantId, confirmSlug: doomed.P.tenant.slug });

    expect(await rowsWithTenantId(tenantId)).toEqual({});
    const platformEntry = await db.auditLog.findFirstOrThrow({ where: { action: "tenant.delete", targetId: tenantId } });
    expect(platformEntry).toMatchObject({ tenantId: null, targetType: "tenant", actorEmail: doomed.P.owner.email, after: null });
    expect(platformEntry.before).toEqual({ id: tenantId, name: doomed.P.tenant.name });
    expect(await rowsMentioning(ids, (table, row) => table === "audit_log" && row.includes(platformEntry.id))).toEqual([]);
    for (const id of doomed.localWorkspaceIds) expect(await schemaExists(id), id).toBe(false);
    // the rules' schedules were told to go
    expect(ruleChanges).toEqual(expect.arrayContaining(ruleIds));

    expect(await bystander(other.P.ids.tenantId, other.localWorkspaceIds)).toEqual(otherBefore);
    for (const id of other.localWorkspaceIds) expect(await tableRows(id, "AzureDiagnostics")).toBe(2);
  });
});

describe("deleting a workspace", () => {
  it("drops its schema, activity events, evaluations and rule links; unlinks its vaults; leaves the rest of the tenant and other tenants alone", async () => {
    const T = await tenantWithDataEverywhere();
    const other = await tenantWithDataEverywhere();
    const otherBefore = await bystander(other.P.ids.tenantId, other.localWorkspaceIds);
    const tenantId = T.P.ids.tenantId;
    const call = callerFor(T.P.owner);
    const doomed = T.secondWorkspaceId;
    const kept = T.P.ids.localWorkspaceId;
    const keptBefore = {
      events: await db.activityEvent.findMany({ where: { workspaceId: kept }, orderBy: { id: "asc" } }),
      evaluations: await db.ruleEvaluation.findMany({ where: { workspaceId: kept }, orderBy: { id: "asc" } }),
      links: await db.alertRuleWorkspace.findMany({ where: { workspaceId: kept }, orderBy: { ruleId: "asc" } }),
    };
    const vaultIds = (await db.vault.findMany({ where: { workspaceId: doomed }, select: { id: true } })).map((v) => v.id);
    expect(vaultIds).toHaveLength(1);
    const eventIds = (await db.activityEvent.findMany({ where: { workspaceId: doomed }, select: { id: true } })).map((e) => e.id);
    expect(eventIds.length).toBeGreaterThan(0);
    expect(await db.ruleEvaluation.count({ where: { workspaceId: doomed } })).toBeGreaterThan(0);
    expect(await db.workspaceSummary.count({ where: { workspaceId: doomed } })).toBe(1);

    // another tenant's workspace is not found (and stays, as the bystander check at the end shows)
    const foreign = await errorOf(call.workspaces.remove({ tenantId, workspaceId: other.P.ids.localWorkspaceId }));
    expect(foreign?.code).toBe("NOT_FOUND");

    // refused while it is the only workspace of a rule; the schema it had begun to drop is back, nothing changed
    const refused = await errorOf(call.workspaces.remove({ tenantId, workspaceId: doomed }));
    expect(refused?.code).toBe("CONFLICT");
    expect(refused?.message).toBe(
      'workspaceId: the workspace is the only one the rules "Second only" read; give them another workspace or delete them first',
    );
    expect(await tableRows(doomed, "AzureDiagnostics")).toBe(2);
    expect(await db.activityEvent.count({ where: { workspaceId: doomed } })).toBe(eventIds.length);
    expect(await db.alertRuleWorkspace.count({ where: { workspaceId: doomed } })).toBe(2);

    await call.rules.delete({ tenantId, ruleId: T.ruleIds.onlySecond });
    await call.workspaces.remove({ tenantId, workspaceId: doomed });

    expect(await schemaExists(doomed)).toBe(false);
    // its own rows are gone from every table; what keeps naming it is the tenant's audit trail and the history of
    // alerts of rules that remain (their targets name the workspace they fired on)
    expect(await rowsMentioning([doomed, ...eventIds], (table) => table === "audit_log" || table === "alert")).toEqual([]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId, action: "workspace.remove", targetId: doomed } });
    expect(audit.after).toEqual({ removedFromRules: [T.ruleIds.both] });
    expect(await db.vault.findMany({ where: { id: { in: vaultIds } }, select: { workspaceId: true } })).toEqual([{ workspaceId: null }]);
    const rule = await call.rules.get({ tenantId, ruleId: T.ruleIds.both });
    expect(rule.workspaceIds).toEqual([kept]);

    // the tenant's other workspace is untouched
    expect(await tableRows(kept, "AzureDiagnostics")).toBe(2);
    expect({
      events: await db.activityEvent.findMany({ where: { workspaceId: kept }, orderBy: { id: "asc" } }),
      evaluations: await db.ruleEvaluation.findMany({ where: { workspaceId: kept }, orderBy: { id: "asc" } }),
      links: await db.alertRuleWorkspace.findMany({ where: { workspaceId: kept }, orderBy: { ruleId: "asc" } }),
    }).toEqual(keptBefore);
    expect(await bystander(other.P.ids.tenantId, other.localWorkspaceIds)).toEqual(otherBefore);
  });
});
