/**
 * Isolation-test support: a tenant with data in every table that holds tenant data (ingested rows, an evaluated rule,
 * alerts with events and owed notifications, activity events, a silence, ...), a snapshot of all of it that notices
 * any change, and calls made inside a transaction that is rolled back, so that each attempt starts from the same
 * state and cannot disturb the next.
 */
import { randomUUID } from "node:crypto";
import { evaluateActivityEvents, evaluateLogTick } from "@vaultwatch/evaluator";
import { ingestRecords, workspaceSchemaName } from "@vaultwatch/local-workspace";
import type { Db, Tx } from "@vaultwatch/db";
import type { SessionUser } from "../context";
import { appRouter, createCaller } from "../root";
import { contextFor, db, populatedTenant, rowPool, uniq } from "./harness";

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export const poolQuery: Query = async (sql, params = []) => (await rowPool.query(sql, params)).rows as Record<string, unknown>[];
const txQuery =
  (tx: Tx): Query =>
  (sql, params = []) =>
    tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);

/** A failed backup job of `vaultArmId`, as a vault's diagnostic setting streams it. */
export function failedJob(vaultArmId: string, at: Date) {
  return {
    time: at.toISOString(),
    resourceId: vaultArmId,
    category: "AzureBackupReport",
    operationName: "Job",
    level: "Informational",
    properties: {
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: `item-${uniq()}`,
      JobOperation: "Backup",
      JobStatus: "Failed",
      JobFailureCode: "UserErrorVmNotFound",
      JobUniqueId: randomUUID(),
    },
  };
}

/** An Administrative activity-log event about `vaultArmId`. */
export function activityEvent(vaultArmId: string, eventDataId: string, at: Date) {
  return {
    time: at.toISOString(),
    resourceId: vaultArmId,
    operationName: "Microsoft.RecoveryServices/vaults/backupPolicies/write",
    category: "Write",
    resultType: "Success",
    resultSignature: "Succeeded",
    durationMs: 0,
    callerIpAddress: "203.0.113.7",
    correlationId: randomUUID(),
    level: "Informational",
    location: "global",
    properties: { eventCategory: "Administrative", eventDataId, operationId: randomUUID() },
  };
}

/**
 * `populatedTenant` plus everything the alert engine and the estate add: rows ingested into its local workspace
 * (AzureDiagnostics, AzureActivity and activity events), an evaluation of its rule, an acknowledged alert, a silence,
 * and spare objects nothing depends on (an action group, a connection, a local workspace) that deletions can aim at.
 * Every name carries `mark`, so a name that shows up elsewhere is recognised as this tenant's.
 */
export async function tenantWithData() {
  const p = await populatedTenant();
  const mark = `mk${uniq()}${uniq()}`;
  const tenantId = p.ids.tenantId;
  const t = { tenantId };
  const owner = createCaller(contextFor(p.owner));
  await Promise.all([
    db.tenant.update({ where: { id: tenantId }, data: { name: `Tenant ${mark}` } }),
    db.workspace.update({ where: { id: p.ids.localWorkspaceId }, data: { name: `${mark} local` } }),
    db.workspace.update({ where: { id: p.ids.azureWorkspaceId }, data: { name: `${mark} azure` } }),
    db.azureConnection.update({ where: { id: p.ids.connectionId }, data: { name: `${mark} connection` } }),
    db.actionGroup.update({ where: { id: p.ids.actionGroupId }, data: { name: `${mark} on call` } }),
    db.alertRule.update({ where: { id: p.ids.ruleId }, data: { name: `${mark} failed backups` } }),
    db.subscription.update({ where: { id: p.ids.subscriptionId }, data: { displayName: `${mark} spare` } }),
  ]);
  const silence = await owner.silences.create({
    ...t,
    name: `${mark} maintenance`,
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 3_600_000),
    matchers: { ruleIds: [p.ids.ruleId] },
  });
  const spareGroup = await owner.actionGroups.create({ ...t, name: `${mark} spare group`, receivers: [] });
  const spareConnection = await owner.connections.create({
    ...t,
    name: `${mark} spare connection`,
    entraTenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: "spare-secret-value",
  });
  // a link of the connection (Azure Lighthouse sharing), within the tenant: what unsharing can aim at
  const link = await owner.connections.share({ ...t, connectionId: p.ids.connectionId, targetTenantId: tenantId, name: `${mark} linked connection`, subscriptionIds: [randomUUID()] });
  const spareWorkspace = await owner.workspaces.createLocal({ ...t, name: `${mark} spare workspace` });
  const activityRule = await owner.rules.create({
    ...t,
    kind: "activity",
    name: `${mark} vault deleted`,
    scope: { resourceIds: [p.ids.vaultArmId] },
    condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
    actionGroupIds: [p.ids.actionGroupId],
  });
  // Data in the workspace's own schema, an activity event, then one evaluation of the rule over it.
  const now = new Date();
  await ingestRecords(rowPool, { tenantId, workspaceId: p.ids.localWorkspaceId }, [
    failedJob(p.ids.vaultArmId, new Date(now.getTime() - 60_000)),
    activityEvent(p.ids.vaultArmId, `${mark}-event`, new Date(now.getTime() - 60_000)),
  ]);
  // The next tick, so that no catch-up (another test's, in the same database) finds a tick of this rule owed; the
  // activity events judged, so that no sweep finds them owed either: nothing but a call under test changes this data.
  const tick = new Date(Math.ceil(now.getTime() / 300_000) * 300_000);
  await evaluateLogTick({ pool: rowPool, runner: contextFor(null).queryRunner! }, p.ids.ruleId, tick);
  await evaluateActivityEvents(rowPool, p.ids.localWorkspaceId);
  await owner.alerts.respond({ ...t, alertIds: [p.ids.alertId], action: "acknowledge", comment: `${mark} looking` });
  // what the worker's summary refresh leaves (packages/views/src/summary), marked so that any leak of it shows
  await db.workspaceSummary.create({
    data: { workspaceId: p.ids.localWorkspaceId, tenantId, refreshedAt: now, attemptedAt: now, failedJobs24h: 1, rowsSeen: 2, lastError: `${mark} summary` },
  });
  // what the activity-log poller leaves for a subscription polled into the workspace (packages/azure activity-log)
  await db.subscription.update({ where: { id: p.ids.subscriptionId }, data: { activityWorkspaceId: p.ids.localWorkspaceId } });
  await db.activityPoll.create({
    data: { subscriptionId: p.ids.subscriptionId, tenantId, watermark: now, lastPolledAt: now, consecutiveFailures: 1, lastErrorCode: "AuthorizationFailed", lastError: `${mark} poll` },
  });
  // what vault discovery leaves (packages/azure discovery): the connection's run, and the vault's diagnostics status
  await db.vaultDiscovery.create({ data: { connectionId: p.ids.connectionId, tenantId, lastRunAt: now, consecutiveFailures: 1, lastErrorCode: "AADSTS7000215", lastError: `${mark} discovery` } });
  await db.vault.update({ where: { id: p.ids.vaultId }, data: { diagnosticsStatus: "none", diagnosticsDetail: `${mark} diagnostics`, diagnosticsCheckedAt: now } });
  // what the storage-archive reader leaves (packages/azure archive): a source with its state and one blob's cursor
  const archiveSource = await db.archiveSource.create({
    data: { tenantId, name: `${mark} archive`, blobEndpoint: "https://contosobackup.blob.core.windows.net", workspaceId: p.ids.localWorkspaceId, credentialKind: "connection", connectionId: p.ids.connectionId, lastPolledAt: now, consecutiveFailures: 1, lastErrorCode: "AuthorizationFailure", lastError: `${mark} archive`, recordsIngested: 3 },
  });
  await db.archiveCursor.create({ data: { sourceId: archiveSource.id, tenantId, container: "insights-logs-azurebackupreport", blobName: `resourceId=/${mark}/y=2026/m=12/d=07/h=04/m=00/PT1H.json`, offset: 10, contentLength: 10, hourStart: now } });
  // a Logs query: its history row carries the mark
  await owner.logs.run({ ...t, workspaceIds: [p.ids.localWorkspaceId], query: `AzureDiagnostics | where Resource == "${mark}"`, timeRange: "P1D" });
  const delivery = await deliveredTo(tenantId, p.ids.alertId, p.ids.actionGroupId, mark);
  const event = await db.activityEvent.findFirstOrThrow({ where: { tenantId }, select: { id: true } });
  const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId }, orderBy: { createdAt: "asc" }, select: { id: true } });
  return {
    ...p,
    mark,
    ids: {
      ...p.ids,
      silenceId: silence.id,
      activityRuleId: activityRule.id,
      spareActionGroupId: spareGroup.id,
      spareConnectionId: spareConnection.id,
      linkedConnectionId: link.id,
      spareWorkspaceId: spareWorkspace.id,
      auditId: audit.id,
      deliveryId: delivery.id,
      activityEventId: event.id,
      archiveSourceId: archiveSource.id,
    },
  };
}

/**
 * What the notifier leaves after trying the alert's Fired transition on the group's Slack receiver once: a failed
 * delivery with its attempt in the delivery log, and the receiver's health (written directly: the pipeline is the
 * worker's, and these tests need the rows, not a send).
 */
async function deliveredTo(tenantId: string, alertId: string, actionGroupId: string, mark: string) {
  const fired = await db.alertEvent.findFirstOrThrow({ where: { tenantId, alertId, kind: "fired" }, select: { id: true } });
  const at = new Date();
  const endpointKey = `${mark}-slack-endpoint`;
  const delivery = await db.notificationDelivery.create({
    data: {
      tenantId,
      kind: "alert",
      alertId,
      alertEventId: fired.id,
      actionGroupId,
      receiverName: "ops",
      receiverType: "slack",
      endpointKey,
      status: "failed",
      attempts: 1,
      lastStatus: 404,
      lastError: `${mark} channel_not_found`,
      attemptLog: {
        create: { tenantId, attempt: 1, startedAt: at, latencyMs: 42, outcome: "failed", httpStatus: 404, reply: "channel_not_found", error: `${mark} 404` },
      },
    },
    select: { id: true },
  });
  await db.notifyEndpoint.create({
    data: {
      actionGroupId,
      receiverName: "ops",
      tenantId,
      receiverType: "slack",
      endpointKey,
      consecutiveFailures: 1,
      failingSince: at,
      lastFailureAt: at,
      lastError: `${mark} channel_not_found`,
    },
  });
  return delivery;
}

export type TenantData = Awaited<ReturnType<typeof tenantWithData>>;

let tenantTables: string[] | undefined;
/** Every table with a `tenantId` column: a table added later is covered without being listed here. */
export async function tablesWithTenantId(): Promise<string[]> {
  tenantTables ??= (
    await poolQuery(
      `SELECT table_name::text AS t FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenantId' ORDER BY 1`,
    )
  ).map((r) => String(r.t));
  return tenantTables;
}

/** A digest of a set of rows: equal digests mean the same rows with the same values. */
const digest = (from: string) =>
  `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${from}`;

/**
 * Everything a tenant owns, as one digest per table: its rows in every table with a `tenantId`, its tenant row,
 * platform audit rows about it, its members' user, session and account rows, and every table of its workspaces'
 * storage schemas (`lw_<id>`, given as `workspaceIds` so that a dropped schema shows).
 */
export async function snapshotTenantData(tenantId: string, workspaceIds: string[], query: Query = poolQuery) {
  const schemas = workspaceIds.map(workspaceSchemaName);
  if (schemas.some((s) => !/^lw_[0-9a-f]+$/.test(s))) throw new Error("unexpected workspace schema name");
  const schemaList = schemas.length ? schemas.map((s) => `'${s}'`).join(",") : "''";
  const members = `(SELECT "userId" FROM membership WHERE "tenantId" = $1::uuid)`;
  const parts = [
    ...(await tablesWithTenantId()).map((table) => [table, `"${table}" x WHERE "tenantId" = $1::uuid`] as const),
    ["tenant", `tenant x WHERE id = $1::uuid`],
    ["audit_log (platform, about the tenant)", `audit_log x WHERE "tenantId" IS NULL AND "targetId" = $1::text`],
    ["user (members)", `"user" x WHERE id IN ${members}`],
    ["session (members)", `session x WHERE "userId" IN ${members}`],
    ["account (members)", `account x WHERE "userId" IN ${members}`],
    ["lw_ schemas", `(SELECT nspname::text FROM pg_namespace WHERE nspname IN (${schemaList})) x`],
  ] as const;
  const sql = [
    ...parts.map(([name, from]) => `SELECT '${name}'::text AS t, q.n, q.h FROM (${digest(from)}) q`),
    // each table of the workspaces' storage, counted and digested without knowing its name in advance (a partitioned
    // table as one, as its queries see it; its partitions are not tables of their own)
    `SELECT 'lw ' || schemaname || '.' || tablename AS t,
            (xpath('/row/n/text()', d))[1]::text::int AS n, (xpath('/row/h/text()', d))[1]::text AS h
       FROM (SELECT n.nspname AS schemaname, c.relname AS tablename FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition) tables, LATERAL query_to_xml(format(
              'SELECT count(*) AS n, md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) AS h FROM %I.%I x',
              schemaname, tablename), false, true, '') AS d
      WHERE schemaname IN (${schemaList})`,
  ].join("\nUNION ALL\n");
  const rows = await query(`SELECT t, n, h FROM (${sql}) s ORDER BY t`, [tenantId]);
  return Object.fromEntries(rows.map((r) => [String(r.t), `${String(r.n)}:${String(r.h)}`]));
}

/** The ids and names by which a tenant's data is recognised in someone else's response. */
export async function markersOf(tenant: TenantData, others: TenantData[]): Promise<Set<string>> {
  const uuids = async (tenantId: string) => {
    const text = (
      await Promise.all(
        [...(await tablesWithTenantId()), "tenant"].map((table) =>
          poolQuery(
            `SELECT coalesce(string_agg(x::text, '|'), '') AS s FROM "${table}" x WHERE ${table === "tenant" ? "id" : '"tenantId"'} = $1::uuid`,
            [tenantId],
          ),
        ),
      )
    )
      .map((rows) => (typeof rows[0]?.s === "string" ? rows[0].s : ""))
      .join("|");
    return new Set(text.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []);
  };
  const own = await uuids(tenant.ids.tenantId);
  // an id that also occurs in another tenant's rows (a shared constant) identifies no one
  for (const other of others) for (const id of await uuids(other.ids.tenantId)) own.delete(id);
  const emails = await db.membership.findMany({ where: { tenantId: tenant.ids.tenantId }, select: { user: { select: { email: true } } } });
  return new Set([...own, tenant.mark, tenant.tenant.slug, ...emails.map((m) => m.user.email)]);
}

/** Outcome of one call made in a transaction that was then rolled back. */
export type Attempt = { ok: true; value: unknown; after: Record<string, string> } | { ok: false; error: unknown; after: Record<string, string> };

class RolledBack extends Error {}

const procedureType = (path: string) =>
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures[path]?._def.type;

/** Walks the caller by path (`"vaults.list"`), so each procedure is called exactly as a client would call it. */
async function callPath(caller: unknown, path: string, input: unknown) {
  let fn = caller;
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Calls `path` (`"vaults.list"`) as `user`, exactly as a client would, inside a database transaction that is rolled
 * back afterwards; `after` is the watched tenant's snapshot taken inside that transaction, before the rollback, so
 * any change the call made is seen. A transaction the procedure opens becomes a savepoint of this one: when it
 * fails, its changes are undone as they would be, and what the procedure wrote outside it stays, as it would.
 */
export async function attempt(
  user: SessionUser,
  path: string,
  input: unknown,
  watch: { tenantId: string; workspaceIds: string[] },
): Promise<Attempt> {
  if (procedureType(path) === "query") {
    // a query is called as it is (a transaction costs more than the call); one that wrote would show in the snapshot
    const result = await callPath(createCaller(contextFor(user)), path, input);
    return { ...result, after: await snapshotTenantData(watch.tenantId, watch.workspaceIds) };
  }
  let outcome: Attempt | undefined;
  await db
    .$transaction(
      async (tx) => {
        let savepoints = 0;
        const nested = async (fn: (t: Tx) => Promise<unknown>) => {
          const name = `nested_${++savepoints}`;
          await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
          try {
            const value = await fn(tx);
            await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
            return value;
          } catch (e) {
            await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
            throw e;
          }
        };
        const joined = new Proxy(tx, {
          get(target, key, receiver) {
            if (key === "$transaction")
              return (arg: unknown) =>
                typeof arg === "function" ? nested(arg as (t: Tx) => Promise<unknown>) : Promise.all(arg as Promise<unknown>[]);
            return Reflect.get(target, key, receiver) as unknown;
          },
        }) as unknown as Db;
        const result = await callPath(createCaller({ ...contextFor(user), db: joined }), path, input);
        // A statement that failed outside any transaction of the procedure aborts this one; then only what was
        // committed elsewhere can be seen (writes the procedure made outside a transaction before it are lost).
        const after = await snapshotTenantData(watch.tenantId, watch.workspaceIds, txQuery(tx)).catch(() =>
          snapshotTenantData(watch.tenantId, watch.workspaceIds),
        );
        outcome = { ...result, after };
        throw new RolledBack();
      },
      { timeout: 60_000, maxWait: 30_000 },
    )
    .catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e;
    });
  return outcome!;
}
