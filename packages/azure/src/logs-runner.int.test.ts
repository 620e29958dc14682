// Rule queries on an Azure workspace through the real LogsQueryClient, against the local Azure whose Log Analytics
// API is answered by the local workspace's KQL engine (real Postgres), in Log Analytics' own shapes.
import { randomUUID } from "node:crypto";
import { KqlError } from "@vaultwatch/kql";
import { ingestTableRows, laResultJson, parseTimespan, runLocalQuery, dropWorkspaceStorage } from "@vaultwatch/local-workspace";
import { QueryFailure, type WorkspaceRef } from "@vaultwatch/evaluator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAzure, type LocalAzure } from "../test/fake-azure";
import { azureWorkspaceRunner, type AzureWorkspaceTarget } from "./logs-runner";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Lq8~logs-runner-secret";
const azureWorkspaceId = randomUUID();
const localId = randomUUID();
const workspace: WorkspaceRef = { id: randomUUID(), tenantId: randomUUID(), kind: "azure", name: "Contoso LA", armId: null };
let azure: LocalAzure;

const target = (over: Partial<AzureWorkspaceTarget["connection"]> = {}): AzureWorkspaceTarget => ({
  connectionId: "conn-1",
  azureWorkspaceId,
  connection: {
    entraTenantId,
    clientId,
    clientSecret: secret,
    endpoints: { authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
    customCloud: true,
    ...over,
  },
});
const runner = (concurrency?: number) => azureWorkspaceRunner({ resolve: () => Promise.resolve(target()), concurrencyPerConnection: concurrency });

const t = (s: string) => new Date(s);
beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }] });
  await ingestTableRows(
    pool,
    localId,
    "AddonAzureBackupJobs",
    [
      { TimeGenerated: t("2026-03-01T10:01:00Z"), JobStatus: "Failed", BackupItemUniqueId: "item-a", JobDurationInSecs: 30 },
      { TimeGenerated: t("2026-03-01T10:03:00Z"), JobStatus: "Completed", BackupItemUniqueId: "item-b", JobDurationInSecs: 45 },
      { TimeGenerated: t("2026-03-01T10:04:00Z"), JobStatus: "Failed", BackupItemUniqueId: "item-c", JobDurationInSecs: 60 },
      // outside the window below
      { TimeGenerated: t("2026-03-01T10:06:00Z"), JobStatus: "Failed", BackupItemUniqueId: "item-d", JobDurationInSecs: 5 },
    ],
    { columnType: { TimeGenerated: "datetime", JobStatus: "string", BackupItemUniqueId: "string", JobDurationInSecs: "long" } },
  );
  // the first query starts the compile threads (Kusto.Language loads in seconds): here, not inside a test's budget
  await runLocalQuery(pool, { workspaceId: localId, query: "AddonAzureBackupJobs | take 1" });
  // Log Analytics answered by the local engine: the workspace's rows, the body timespan as the time filter
  azure.logAnalytics = async (id, body) => {
    if (id !== azureWorkspaceId) return { status: 404, body: { error: { code: "PathNotFoundError", message: `The requested path does not exist` } } };
    try {
      const result = await runLocalQuery(pool, { workspaceId: localId, query: body.query ?? "", timespan: body.timespan ? parseTimespan(body.timespan, new Date()) : undefined, expectTables: true });
      return { status: 200, body: JSON.parse(laResultJson(result, 30_000)) };
    } catch (e) {
      if (e instanceof KqlError) return { status: 400, body: { error: { code: "BadArgumentError", message: "The request had some invalid properties", innererror: { code: "SemanticError", message: e.message } } } };
      throw e;
    }
  };
}, 120_000);
afterAll(async () => {
  await azure.close();
  await dropWorkspaceStorage(pool, localId);
  await pool.end();
});

const failedJobs = "AddonAzureBackupJobs | where JobStatus == 'Failed' | project TimeGenerated, BackupItemUniqueId, JobDurationInSecs";
const window = { kind: "event" as const, start: t("2026-03-01T10:00:00Z"), end: t("2026-03-01T10:05:00Z") };
const ruleQuery = (query: string) => ({ query, window, now: window.end, rowLimit: 1000, timeoutMs: 20_000 });

describe("Azure workspace runner", () => {
  it("runs a rule's query over its window with the connection's token and gives rows as the local engine does", async () => {
    const result = await runner().run(workspace, ruleQuery(failedJobs));
    expect(result.columns).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "BackupItemUniqueId", type: "string" },
      { name: "JobDurationInSecs", type: "long" },
    ]);
    // the two failed jobs inside [10:00, 10:05); item-d (10:06) is outside
    expect(result.rows.map((r) => r.BackupItemUniqueId).sort()).toEqual(["item-a", "item-c"]);
    expect(result.rows.find((r) => r.BackupItemUniqueId === "item-a")).toEqual({ TimeGenerated: "2026-03-01T10:01:00.000Z", BackupItemUniqueId: "item-a", JobDurationInSecs: 30 });
  });

  it("checks a query by asking Azure for its columns, and a wrong one fails with Azure's code and message", async () => {
    expect((await runner().check(workspace, "AddonAzureBackupJobs | summarize n = count() by JobStatus")).columns).toEqual([
      { name: "JobStatus", type: "string" },
      { name: "n", type: "long" },
    ]);
    await expect(runner().check(workspace, "AddonAzureBackupJobs | where NoSuchColumn == 1")).rejects.toThrow(/^Azure Log Analytics \(HTTP 400\): SemanticError: .*NoSuchColumn/);
  });

  it("waits out a 429's Retry-After and then answers", async () => {
    azure.laFaults.push({ status: 429, body: { error: { code: "ThrottledError", message: "Too many requests" } }, headers: { "retry-after": "1" } });
    const started = Date.now();
    const result = await runner().run(workspace, ruleQuery(failedJobs));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(result.rows).toHaveLength(2);
    expect(azure.laFaults).toHaveLength(0);
  });

  it("a partial answer is an error naming Azure's code, not fewer alerts", async () => {
    azure.laFaults.push({
      status: 200,
      body: { tables: [{ name: "PrimaryResult", columns: [{ name: "x", type: "long" }], rows: [[1]] }], error: { code: "PartialError", message: "There were some errors when processing your query." } },
    });
    await expect(runner().run(workspace, ruleQuery(failedJobs))).rejects.toThrow("Azure Log Analytics answered in part: PartialError: There were some errors when processing your query.");
  });

  it("an expired secret fails the query with Entra's code", async () => {
    azure.apps[0]!.secretExpired = true;
    try {
      const r = azureWorkspaceRunner({ resolve: () => Promise.resolve({ ...target(), connectionId: "conn-expired" }) });
      await expect(r.run(workspace, ruleQuery(failedJobs))).rejects.toThrow(/AADSTS7000222/);
    } finally {
      azure.apps[0]!.secretExpired = false;
    }
  });

  it("runs at most the connection's limit of queries at once", async () => {
    azure.laPeakInFlight = 0;
    const r = runner(2);
    const results = await Promise.all(Array.from({ length: 6 }, () => r.run(workspace, ruleQuery(failedJobs))));
    expect(results.every((x) => x.rows.length === 2)).toBe(true);
    expect(azure.laPeakInFlight).toBeLessThanOrEqual(2);
  });

  it("an ingestion-time window keeps the rows ingested in it, whatever their TimeGenerated, and no others", async () => {
    const answer = azure.logAnalytics!;
    const sent: { query?: string; timespan?: string }[] = [];
    azure.logAnalytics = (id, body) => (sent.push(body), answer(id, body));
    const ingested = (after: Date, upTo: Date) => runner().run(workspace, { ...ruleQuery(failedJobs), window: { kind: "ingestion", after, upTo, firstRun: false } });
    // the rows were ingested when the suite started: a window around that instant has all three failed jobs,
    // item-d (10:06, outside any event window above) included
    const all = await ingested(new Date(Date.now() - 10 * 60_000), new Date());
    expect(all.rows.map((r) => r.BackupItemUniqueId).sort()).toEqual(["item-a", "item-c", "item-d"]);
    // a window that ended before they were ingested has none
    const before = await ingested(new Date(Date.now() - 20 * 60_000), new Date(Date.now() - 10 * 60_000));
    expect(before.rows).toEqual([]);
    azure.logAnalytics = answer;
    // what Log Analytics was asked: the table filtered on ingestion_time() first, the rule's own text after it
    expect(sent[0]!.query).toMatch(/^\(AddonAzureBackupJobs\n\| where ingestion_time\(\) > datetime\([^)]+\) and ingestion_time\(\) <= datetime\([^)]+\)\) \| where JobStatus == 'Failed'/);
  });

  it("an ingestion-time rule whose query does not start from a table is refused with what to do instead", async () => {
    const q = { ...ruleQuery("let failed = AddonAzureBackupJobs | where JobStatus == 'Failed'; failed"), window: { kind: "ingestion" as const, after: window.start, upTo: window.end, firstRun: false } };
    await expect(runner().run(workspace, q)).rejects.toThrow(/must start its query from a table .* or switch the rule to event time/);
  });

  it("an ingestion-time window ends the settle delay before now", async () => {
    const r = azureWorkspaceRunner({ resolve: () => Promise.resolve(target()), ingestionSettleMs: 90_000 });
    const mark = (await r.watermark(workspace)).getTime();
    expect(Math.abs(mark - (Date.now() - 90_000))).toBeLessThan(5_000);
  });
});

describe("Azure workspaces registered in Vaultwatch", () => {
  it("a rule's workspace finds its connection in its own tenant, the secret unsealed only to sign in", async () => {
    const { createDb, encryptSecret } = await import("@vaultwatch/db");
    const { azureRunnerFrom } = await import("./targets");
    const key = Buffer.alloc(32, 7);
    const db = createDb(process.env.DATABASE_URL!, { max: 1 });
    const suffix = randomUUID().slice(0, 8);
    try {
      const [mine, other] = await Promise.all(["mine", "other"].map((n) => db.tenant.create({ data: { name: `Azure ${n} ${suffix}`, slug: `azure-${n}-${suffix}` } })));
      const conn = await db.azureConnection.create({
        data: {
          tenantId: mine!.id,
          name: "Local Azure",
          entraTenantId,
          clientId,
          clientSecretEncrypted: encryptSecret(secret, key),
          cloud: "Custom",
          authorityHost: azure.url,
          armEndpoint: azure.url,
          logAnalyticsEndpoint: `${azure.url}/v1`,
        },
      });
      const ws = await db.workspace.create({ data: { tenantId: mine!.id, name: "Contoso LA", kind: "azure", azureWorkspaceId, connectionId: conn.id } });
      const r = azureRunnerFrom(pool, key);
      const ref: WorkspaceRef = { id: ws.id, tenantId: mine!.id, kind: "azure", name: ws.name, armId: null };
      expect((await r.run(ref, ruleQuery(failedJobs))).rows.map((x) => x.BackupItemUniqueId).sort()).toEqual(["item-a", "item-c"]);
      // the same workspace named under another tenant is not found there
      await expect(r.run({ ...ref, tenantId: other!.id }, ruleQuery(failedJobs))).rejects.toThrow(/has no connection/);
    } finally {
      await db.tenant.deleteMany({ where: { slug: { endsWith: suffix } } });
      await db.$disconnect();
    }
  });
});

describe("checking a rule's query on an Azure workspace Vaultwatch cannot reach", () => {
  it("leaves it unchecked (no columns) rather than refusing the rule; Azure's own 400 still refuses", async () => {
    const unreachable = azureWorkspaceRunner({ resolve: () => Promise.reject(new QueryFailure("the Azure workspace \"x\" has no connection to query it with")) });
    expect(await unreachable.check(workspace, failedJobs)).toEqual({ columns: [] });
    azure.laFaults.push({ status: 503, body: { error: { code: "ServiceUnavailable", message: "try later" } } }, { status: 503, body: { error: { code: "ServiceUnavailable", message: "try later" } } }, { status: 503, body: { error: { code: "ServiceUnavailable", message: "try later" } } }, { status: 503, body: { error: { code: "ServiceUnavailable", message: "try later" } } });
    expect(await runner().check(workspace, failedJobs)).toEqual({ columns: [] });
    azure.laFaults.length = 0;
    await expect(runner().check(workspace, "AddonAzureBackupJobs | where Nope == 1")).rejects.toThrow(/HTTP 400/);
  });
});

describe("several workspaces of one connection asked together", () => {
  // three Log Analytics workspaces behind one connection, each answering with its own rows (one, two, three)
  const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
  const refs: WorkspaceRef[] = ids.map((_, i) => ({ id: randomUUID(), tenantId: workspace.tenantId, kind: "azure", name: `LA ${i + 1}`, armId: null }));
  const batched = (concurrency?: number) =>
    azureWorkspaceRunner({ resolve: (w) => Promise.resolve({ ...target(), connectionId: "conn-batch", azureWorkspaceId: ids[refs.findIndex((r) => r.id === w.id)]! }), concurrencyPerConnection: concurrency });
  const laRequests = () => azure.requests.filter((r) => r.startsWith("POST /v1/"));
  let answer: LocalAzure["logAnalytics"];
  beforeAll(() => {
    answer = azure.logAnalytics;
    azure.logAnalytics = (id, body) => {
      const n = ids.indexOf(id) + 1;
      if (n === 0) return answer!(id, body);
      return Promise.resolve({ status: 200, body: { tables: [{ name: "PrimaryResult", columns: [{ name: "Workspace", type: "string" }, { name: "Row", type: "long" }], rows: Array.from({ length: n }, (_, i) => [id, i + 1]) }] } });
    };
  });
  afterAll(() => {
    azure.logAnalytics = answer;
  });

  it("one rule's workspaces at one tick go to Azure as one $batch request, each run getting its own workspace's rows", async () => {
    const before = laRequests().length;
    const batches = azure.laBatches.length;
    const r = batched();
    const results = await Promise.all(refs.map((w) => r.run(w, ruleQuery("AddonAzureBackupJobs | take 10"))));
    expect(laRequests().slice(before)).toEqual(["POST /v1/$batch"]);
    // the request as Log Analytics' REST spec has it: id, body {query, timespan}, method POST, path /query, workspace
    const sent = azure.laBatches[batches]!.requests;
    expect(sent.map((r) => [r.method, r.path, r.workspace, r.body.query, r.body.timespan])).toEqual(
      ids.map((id) => ["POST", "/query", id, "AddonAzureBackupJobs | take 10", "2026-03-01T10:00:00.000Z/2026-03-01T10:05:00.000Z"]),
    );
    // the local Azure answers in reverse order: each run still gets its own workspace's rows
    expect(results.map((r) => r.rows.map((row) => row.Workspace))).toEqual(ids.map((id, i) => Array.from({ length: i + 1 }, () => id)));
  });

  it("a member Azure refuses fails that run only, with Azure's status and code", async () => {
    const perWorkspace = azure.logAnalytics!;
    // the app lost its access to the second workspace only
    azure.logAnalytics = (id, body) =>
      id === ids[1]
        ? Promise.resolve({ status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } })
        : perWorkspace(id, body);
    try {
      const before = laRequests().length;
      const r = batched();
      const settled = await Promise.allSettled(refs.map((w) => r.run(w, ruleQuery("AddonAzureBackupJobs | take 10"))));
      expect(laRequests().slice(before)).toEqual(["POST /v1/$batch"]);
      expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(QueryFailure);
      expect(String((settled[1] as PromiseRejectedResult).reason.message)).toBe(
        "Azure Log Analytics (HTTP 403): InsufficientAccessError: The provided credentials have insufficient access to perform the requested operation",
      );
      expect((settled[2] as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows).toHaveLength(3);
    } finally {
      azure.logAnalytics = perWorkspace;
    }
  });

  it("a 429 on the whole batch is waited out for its Retry-After, then every run is answered", async () => {
    azure.laFaults.push({ status: 429, body: { error: { code: "ThrottledError", message: "Your request was throttled" } }, headers: { "retry-after": "2" } });
    const before = laRequests().length;
    const started = Date.now();
    const r = batched();
    const results = await Promise.all(refs.map((w) => r.run(w, ruleQuery("AddonAzureBackupJobs | take 10"))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(laRequests().slice(before)).toEqual(["POST /v1/$batch", "POST /v1/$batch"]);
    expect(results.map((r) => r.rows.length)).toEqual([1, 2, 3]);
  });

  it("never has more queries out than the connection's limit, batches counted member by member", async () => {
    azure.laPeakInFlight = 0;
    const before = laRequests().length;
    const r = batched(2);
    const results = await Promise.all([...refs, ...refs].map((w) => r.run(w, ruleQuery("AddonAzureBackupJobs | take 10"))));
    expect(results.map((x) => x.rows.length)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(azure.laPeakInFlight).toBe(2);
    // six queries, two at a time: three batches of two
    expect(laRequests().slice(before)).toEqual(["POST /v1/$batch", "POST /v1/$batch", "POST /v1/$batch"]);
  });
});
