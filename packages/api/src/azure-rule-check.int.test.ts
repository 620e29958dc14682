// Saving a rule on an Azure workspace through the API, with the Azure runner against the local Azure over https: an
// ingestion-time rule (the default mode) whose query does not start from a table is refused at save, naming `query`,
// with the advice a tick would give; the same query as an event-time rule saves, and a table query in ingestion time
// is checked by Azure in the rewritten form its ticks will send.
import type { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureRunnerFrom } from "@vaultwatch/azure";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { createCaller } from "./root";
import { contextFor, db, encryptionKey, makeTenant, makeUser, rowPool, sampleLogRule } from "./test/harness";

const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Rc7~azure-rule-check";
const azureWorkspaceId = randomUUID();
let azure: LocalAzure;
let tenantId: string;
let workspaceId: string;
let call: ReturnType<typeof createCaller>;
const asked: string[] = [];
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }] });
  // Log Analytics knows the table and answers a check (`| take 0`) with its columns and no rows
  azure.logAnalytics = (_id, body) => {
    asked.push(body.query ?? "");
    return Promise.resolve({ status: 200, body: { tables: [{ name: "PrimaryResult", columns: [{ name: "JobStatus", type: "string" }], rows: [] }] } });
  };
  const user = await makeUser();
  tenantId = (await makeTenant(user)).id;
  // the web's wiring: local workspaces on the KQL engine, Azure ones through the Azure runner
  call = createCaller({ ...contextFor(user), queryRunner: workspaceRunners({ local: localWorkspaceRunner(rowPool), azure: azureRunnerFrom(rowPool, encryptionKey) }) });
  const conn = await call.connections.create({
    tenantId,
    name: "Local Azure",
    entraTenantId,
    clientId,
    clientSecret: secret,
    cloud: { cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  const armId = `/subscriptions/${randomUUID()}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-check`;
  workspaceId = (await call.workspaces.createAzure({ tenantId, name: "Contoso LA", azureWorkspaceId, armId, connectionId: conn.id })).id;
});
afterAll(async () => {
  await azure.close();
  await db.tenant.deleteMany({ where: { id: tenantId } });
});

const letQuery = "let failed = AddonAzureBackupJobs | where JobStatus == 'Failed';\nfailed";

describe("a rule's query on an Azure workspace, checked at save", () => {
  it("an ingestion-time rule whose query starts from a let name is refused at save, naming query, with what to write instead", async () => {
    const before = await db.alertRule.count({ where: { tenantId } });
    // no timeMode given: ingestion time is the default
    const error = await errorOf(call.rules.create({ tenantId, ...sampleLogRule(workspaceId), query: letQuery }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^query: an ingestion-time rule on an Azure workspace must start its query from a table \("Table \| \.\.\." or "union Table1, Table2 \| \.\.\."\)/);
    expect(error?.message).toMatch(/Rewrite the query that way, or switch the rule to event time$/);
    expect(await db.alertRule.count({ where: { tenantId } })).toBe(before);
  });

  it("the same query saves as an event-time rule, and a table query saves in ingestion time, checked as its ticks will send it", async () => {
    asked.length = 0;
    const event = await call.rules.create({ tenantId, ...sampleLogRule(workspaceId), query: letQuery, timeMode: "event" });
    expect(event.definition).toMatchObject({ timeMode: "event" });
    expect(asked).toEqual([`${letQuery}\n| take 0`]);

    asked.length = 0;
    const ingestion = await call.rules.create({ tenantId, ...sampleLogRule(workspaceId), query: "AddonAzureBackupJobs | where JobStatus == 'Failed'" });
    expect(ingestion.definition).toMatchObject({ timeMode: "ingestion" });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^\(AddonAzureBackupJobs\n\| where ingestion_time\(\) > datetime\([^)]+\) and ingestion_time\(\) <= datetime\([^)]+\)\) \| where JobStatus == 'Failed'\n\| take 0$/);
  });
});
