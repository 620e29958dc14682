// An ingestion-time rule over an Azure workspace, end to end: the evaluator's ticks, the Azure runner through the real
// LogsQueryClient against the local Azure, whose Log Analytics API answers with the local KQL engine (real Postgres).
// A failed job that arrives late (its TimeGenerated long before it is ingested) alerts at the first tick after it is
// ingested, and never again; the watermark advances as it does for local workspaces.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { evaluateLogTick, localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { makeLogRule, yesterdayUtc } from "@vaultwatch/evaluator/test/fixtures";
import { KqlError } from "@vaultwatch/kql";
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
const secret = "Ing8~azure-ingestion-secret";
const azureWorkspaceId = randomUUID();
// where the local Azure keeps this Log Analytics workspace's rows
const storage = randomUUID();
const suffix = randomBytes(4).toString("hex");
const SETTLE_MS = 1_000;
let azure: LocalAzure;

beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }] });
  azure.logAnalytics = async (id, body) => {
    if (id !== azureWorkspaceId) return { status: 404, body: { error: { code: "PathNotFoundError", message: "The requested path does not exist" } } };
    try {
      const result = await runLocalQuery(pool, { workspaceId: storage, query: body.query ?? "", timespan: body.timespan ? parseTimespan(body.timespan, new Date()) : undefined, expectTables: true });
      return { status: 200, body: JSON.parse(laResultJson(result, 30_000)) };
    } catch (e) {
      if (e instanceof KqlError) return { status: 400, body: { error: { code: "BadArgumentError", message: "The request had some invalid properties", innererror: { code: "SemanticError", message: e.message } } } };
      throw e;
    }
  };
  // the compile threads start here, not inside the test's budget
  await runLocalQuery(pool, { workspaceId: storage, query: "print 1" });
}, 120_000);
afterAll(async () => {
  await azure.close();
  await dropWorkspaceStorage(pool, storage);
  await db.tenant.deleteMany({ where: { slug: { endsWith: suffix } } });
  await db.$disconnect();
});

const job = (id: string, status: string, timeGenerated: string) => ({ TimeGenerated: new Date(timeGenerated), JobUniqueId: id, JobStatus: status, BackupItemUniqueId: `item-${id}` });
const ingest = (rows: ReturnType<typeof job>[]) =>
  ingestTableRows(pool, storage, "AddonAzureBackupJobs", rows, { columnType: { TimeGenerated: "datetime", JobUniqueId: "string", JobStatus: "string", BackupItemUniqueId: "string" } });
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS + 200));
// the rule's ticks and the jobs' times fall on yesterday, out of reach of other tests' retention rounds
const iso = (hour: number, minute = 0) => yesterdayUtc(hour, minute).toISOString();

it("an ingestion-time rule on an Azure workspace fires on a late-arriving failed job exactly once", { timeout: 120_000 }, async () => {
  const tenant = await db.tenant.create({ data: { name: `Azure ingestion ${suffix}`, slug: `az-ing-${suffix}` } });
  const conn = await db.azureConnection.create({
    data: { tenantId: tenant.id, name: "Local Azure", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "Contoso LA", kind: "azure", azureWorkspaceId, connectionId: conn.id } });
  const stored = await makeLogRule(tenant.id, {
    name: "failed backup jobs",
    workspaceIds: [ws.id],
    query: "AddonAzureBackupJobs | where JobStatus == 'Failed' | project JobUniqueId, BackupItemUniqueId",
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeMode: "ingestion",
    operator: "GreaterThan",
    threshold: 0,
    severity: 1,
    dimensions: ["JobUniqueId"],
    autoResolve: false,
  });
  const deps = { pool, runner: workspaceRunners({ local: localWorkspaceRunner(pool), azure: azureRunnerFrom(pool, key, { ingestionSettleMs: SETTLE_MS }) }) };

  const tick = (() => {
    let t = yesterdayUtc(12).getTime();
    return async () => {
      t += 5 * 60_000;
      const result = await evaluateLogTick(deps, stored.id, new Date(t));
      expect(result).toMatchObject({ status: "evaluated" });
      return result;
    };
  })();
  const alerted = async () => {
    const alerts = await db.alert.findMany({ where: { ruleId: stored.id }, include: { events: true } });
    return alerts.map((a) => ({ job: (a.dimensions as { value: string }[])[0]!.value, fired: a.events.filter((e) => e.kind === "fired").length })).sort((a, b) => a.job.localeCompare(b.job));
  };
  const watermark = async () => (await db.alertRuleWorkspace.findFirstOrThrow({ where: { ruleId: stored.id, workspaceId: ws.id } })).watermark;

  // a failed job that happened hours ago arrives only now, beside a completed one
  await ingest([job("late-1", "Failed", iso(6)), job("ok-1", "Completed", iso(6, 10))]);
  await settle();
  await tick();
  expect(await alerted()).toEqual([{ job: "late-1", fired: 1 }]);
  const first = await watermark();
  expect(first).not.toBeNull();

  // nothing new: the same rows are not judged again, the watermark moves on
  await settle();
  await tick();
  expect(await alerted()).toEqual([{ job: "late-1", fired: 1 }]);
  const second = await watermark();
  expect(second!.getTime()).toBeGreaterThan(first!.getTime());

  // another late failure, ingested just before the next tick: within the settle delay it waits for the tick after
  await ingest([job("late-2", "Failed", iso(7))]);
  await tick();
  await settle();
  await tick();
  await settle();
  await tick();
  expect(await alerted()).toEqual([
    { job: "late-1", fired: 1 },
    { job: "late-2", fired: 1 },
  ]);

  // every run went to Azure, and each judged its own slice of ingestion time: consecutive windows tile, no overlap
  const runs = await db.ruleEvaluation.findMany({ where: { ruleId: stored.id }, orderBy: { scheduledFor: "asc" } });
  expect(runs).toHaveLength(5);
  expect(runs.filter((r) => r.outcome === "fired")).toHaveLength(2);
  expect(runs.filter((r) => r.outcome !== "fired" && r.outcome !== "ok")).toEqual([]);
  // each failed job was a row of exactly one run (with autoResolve off a re-read would not fire again, so count rows)
  expect(runs.reduce((n, r) => n + (r.rowsSeen ?? 0), 0)).toBe(2);
  expect(azure.requests.filter((r) => r === `POST /v1/workspaces/${azureWorkspaceId}/query`)).toHaveLength(5);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.watermarkFrom).toEqual(runs[i - 1]!.watermarkTo);
});
