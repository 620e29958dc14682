// The real worker process polls a subscription's activity log on the local Azure (HTTPS, trusted through
// NODE_EXTRA_CA_CERTS) and an activity rule fires through the alerts.activity job; a restarted worker carries on from
// the stored watermark, with no event judged twice.
import { randomBytes, randomUUID } from "node:crypto";
import { startLocalAzure, type FakeActivityEvent, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { certPath, ensureLocalCertificate } from "@vaultwatch/azure/test/tls";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { dropWorkspaceStorage } from "@vaultwatch/local-workspace";
import { activityRuleSchema, splitRule } from "@vaultwatch/schemas";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-activity-poll-${randomBytes(4).toString("hex")}`;
const key = randomBytes(32);
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Xy9~worker-activity-poll";
const azureSubscriptionId = randomUUID();

const db = createDb(databaseUrl, { max: 2 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let azure: LocalAzure;
let tenantId: string;
let workspaceId: string;
let subscriptionId: string;
let ruleId: string;
let worker: WorkerProcess | undefined;

const stopWorker = async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
};

beforeAll(async () => {
  ensureLocalCertificate();
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }], subscriptions: [{ subscriptionId: azureSubscriptionId, displayName: "Contoso Production", actions: ["*/read"] }] });
  azure.activityLog.set(azureSubscriptionId, []);
  const slug = `activity-poll-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  const connection = await db.azureConnection.create({
    data: { tenantId, name: "Local Azure", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  workspaceId = (await db.workspace.create({ data: { tenantId, name: "activity", kind: "local" } })).id;
  subscriptionId = (await db.subscription.create({ data: { tenantId, azureSubscriptionId, connectionId: connection.id, activityWorkspaceId: workspaceId } })).id;
  const rule = activityRuleSchema.parse({ name: "vault deleted", condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] } });
  const { columns, definition } = splitRule({ kind: "activity", ...rule });
  ruleId = (await db.alertRule.create({ data: { tenantId, ...columns, definition } })).id;
});

afterAll(async () => {
  await stopWorker();
  await azure.close();
  await dropWorkspaceStorage(pool, workspaceId);
  await db.tenant.delete({ where: { id: tenantId } });
  await pool.end();
  await db.$disconnect();
});

/** A vault deletion in the activity log's REST shape. */
function vaultDeleted(at: Date): FakeActivityEvent {
  const eventDataId = randomUUID();
  return {
    caller: "rob@contoso.com",
    channels: "Operation",
    correlationId: randomUUID(),
    eventDataId,
    category: { value: "Administrative", localizedValue: "Administrative" },
    eventTimestamp: at.toISOString(),
    level: "Informational",
    operationName: { value: "Microsoft.RecoveryServices/vaults/delete", localizedValue: "Delete Vault" },
    resourceGroupName: "backup-rg",
    resourceId: `/subscriptions/${azureSubscriptionId}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/vault-${eventDataId.slice(0, 6)}`,
    status: { value: "Succeeded", localizedValue: "Succeeded" },
    submissionTimestamp: new Date(at.getTime() + 10_000).toISOString(),
    subscriptionId: azureSubscriptionId,
  };
}

const start = async () => {
  worker = await startWorker({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ENCRYPTION_KEY: key.toString("base64"),
    WORKER_TENANT_IDS: tenantId,
    ACTIVITY_POLL_SECONDS: "15",
    NODE_EXTRA_CA_CERTS: certPath,
  });
  await untilHealthy(worker);
};
const alerts = () => db.alert.count({ where: { ruleId } });

describe("the worker's activity-log polling", () => {
  it("alerts on a polled event, and after a restart carries on from the watermark without judging an event twice", async () => {
    const log = azure.activityLog.get(azureSubscriptionId)!;
    log.push(vaultDeleted(new Date(Date.now() - 3 * 60_000)));
    await start();
    await waitFor("the first alert", async () => ((await alerts()) === 1 ? true : undefined), 60_000, 250);
    await stopWorker();
    const { watermark } = await db.activityPoll.findUniqueOrThrow({ where: { subscriptionId } });

    // Azure makes an event queryable late: it happened before the watermark
    log.push(vaultDeleted(new Date(watermark!.getTime() - 60_000)));
    const before = azure.requests.length;
    await start();
    await waitFor("the late event's alert", async () => ((await alerts()) === 2 ? true : undefined), 60_000, 250);
    // the restarted worker read from the stored watermark less the 20-minute overlap
    const first = azure.requests.slice(before).find((r) => r.includes("/eventtypes/management/values?"))!;
    const filter = new URL(first.slice(4), azure.url).searchParams.get("$filter");
    expect(filter).toMatch(new RegExp(`^eventTimestamp ge '${new Date(watermark!.getTime() - 20 * 60_000).toISOString()}' and eventTimestamp le '`));
    // both events stored once, judged once, and the poll recorded as healthy
    expect(await db.activityEvent.count({ where: { workspaceId } })).toBe(2);
    expect(await db.activityEvent.count({ where: { workspaceId, evaluatedAt: null } })).toBe(0);
    expect(await db.activityPoll.findUniqueOrThrow({ where: { subscriptionId } })).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(await alerts()).toBe(2);
    expect(worker!.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});
