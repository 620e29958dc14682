// One log rule over two Log Analytics workspaces of one connection, end to end: the evaluator's tick runs both
// workspaces side by side, the Azure runner sends their queries as one $batch to the local Azure (whose Log Analytics
// API answers with the local KQL engine on real Postgres), and each workspace's failed job alerts on its own, while
// a workspace Azure refuses is recorded as that workspace's error only.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { evaluateLogTick, localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { makeLogRule, yesterdayUtc } from "@vaultwatch/evaluator/test/fixtures";
import { dropWorkspaceStorage, ingestTableRows, laResultJson, parseTimespan, runLocalQuery } from "@vaultwatch/local-workspace";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalAzure, type LocalAzure } from "../test/fake-azure";
import { azureRunnerFrom } from "./targets";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = sharedTestPool(url, { max: 4 });
const db = createDb(url, { max: 2 });
const key = randomBytes(32);
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Bat8~azure-batch-secret";
const suffix = randomBytes(4).toString("hex");
// two Log Analytics workspaces (their GUIDs) and where the local Azure keeps each one's rows
const west = { laId: randomUUID(), storage: randomUUID() };
const north = { laId: randomUUID(), storage: randomUUID() };
let refused = "";
let azure: LocalAzure;

beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }] });
  azure.logAnalytics = async (id, body) => {
    if (id === refused) return { status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } };
    const ws = [west, north].find((w) => w.laId === id);
    if (!ws) return { status: 404, body: { error: { code: "PathNotFoundError", message: "The requested path does not exist" } } };
    const result = await runLocalQuery(pool, { workspaceId: ws.storage, query: body.query ?? "", timespan: body.timespan ? parseTimespan(body.timespan, new Date()) : undefined, expectTables: true });
    return { status: 200, body: JSON.parse(laResultJson(result, 30_000)) };
  };
  await runLocalQuery(pool, { workspaceId: west.storage, query: "print 1" });
}, 120_000);
afterAll(async () => {
  await azure.close();
  for (const w of [west, north]) await dropWorkspaceStorage(pool, w.storage);
  await db.tenant.deleteMany({ where: { slug: { endsWith: suffix } } });
  await db.$disconnect();
});

// yesterday at 12:05, out of reach of other tests' retention rounds
const tick = yesterdayUtc(12, 5);
const ingestJobs = (storage: string, rows: { JobUniqueId: string; JobStatus: string }[]) =>
  ingestTableRows(
    pool,
    storage,
    "AddonAzureBackupJobs",
    rows.map((r) => ({ ...r, TimeGenerated: new Date(tick.getTime() - 3 * 60_000) })),
    { columnType: { TimeGenerated: "datetime", JobUniqueId: "string", JobStatus: "string" } },
  );

it("one rule's two Azure workspaces go out as one $batch at a tick; each alerts on its own rows; a refused one is its own error", { timeout: 120_000 }, async () => {
  await ingestJobs(west.storage, [{ JobUniqueId: "west-1", JobStatus: "Failed" }, { JobUniqueId: "west-2", JobStatus: "Completed" }]);
  await ingestJobs(north.storage, [{ JobUniqueId: "north-1", JobStatus: "Failed" }]);
  const tenant = await db.tenant.create({ data: { name: `Azure batch ${suffix}`, slug: `az-batch-${suffix}` } });
  const conn = await db.azureConnection.create({
    data: { tenantId: tenant.id, name: "Local Azure", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  const wsWest = await db.workspace.create({ data: { tenantId: tenant.id, name: "West LA", kind: "azure", azureWorkspaceId: west.laId, connectionId: conn.id } });
  const wsNorth = await db.workspace.create({ data: { tenantId: tenant.id, name: "North LA", kind: "azure", azureWorkspaceId: north.laId, connectionId: conn.id } });
  const stored = await makeLogRule(tenant.id, {
    name: "failed backup jobs",
    workspaceIds: [wsWest.id, wsNorth.id],
    query: "AddonAzureBackupJobs | where JobStatus == 'Failed' | project JobUniqueId",
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeMode: "event",
    operator: "GreaterThan",
    threshold: 0,
    severity: 1,
    dimensions: ["JobUniqueId"],
    autoResolve: false,
  });
  const deps = { pool, runner: workspaceRunners({ local: localWorkspaceRunner(pool), azure: azureRunnerFrom(pool, key) }) };
  const laRequests = () => azure.requests.filter((r) => r.startsWith("POST /v1/"));

  const before = laRequests().length;
  const result = await evaluateLogTick(deps, stored.id, tick);
  expect(laRequests().slice(before)).toEqual(["POST /v1/$batch"]);
  expect(result).toMatchObject({ status: "evaluated" });
  const alerts = await db.alert.findMany({ where: { ruleId: stored.id }, select: { dimensions: true } });
  expect(alerts.map((a) => (a.dimensions as { value: string }[])[0]!.value).sort()).toEqual(["north-1", "west-1"]);
  const first = await db.ruleEvaluation.findMany({ where: { ruleId: stored.id, scheduledFor: tick }, select: { workspaceId: true, outcome: true, rowsSeen: true } });
  expect(Object.fromEntries(first.map((r) => [r.workspaceId, [r.outcome, r.rowsSeen]]))).toEqual({ [wsWest.id]: ["fired", 1], [wsNorth.id]: ["fired", 1] });

  // the next tick, Azure refuses the north workspace only: its evaluation records Azure's answer, the west one is fine
  refused = north.laId;
  const next = new Date(tick.getTime() + 5 * 60_000);
  await evaluateLogTick(deps, stored.id, next);
  const runs = await db.ruleEvaluation.findMany({ where: { ruleId: stored.id, scheduledFor: next }, select: { workspaceId: true, outcome: true, error: true } });
  expect(Object.fromEntries(runs.map((r) => [r.workspaceId, [r.outcome, r.error]]))).toEqual({
    [wsWest.id]: ["ok", null],
    [wsNorth.id]: ["error", "Azure Log Analytics (HTTP 403): InsufficientAccessError: The provided credentials have insufficient access to perform the requested operation"],
  });
});
