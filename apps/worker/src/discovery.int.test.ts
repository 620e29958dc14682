// The real worker process discovers a connection's vaults on the local Azure (HTTPS, trusted through
// NODE_EXTRA_CA_CERTS) on its schedule: the vault is registered with its diagnostic-settings status, and the
// connection's discovery row says when it runs next.
import { randomBytes, randomUUID } from "node:crypto";
import { fakeVaultId, startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { certPath, ensureLocalCertificate } from "@vaultwatch/azure/test/tls";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const key = randomBytes(32);
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Xy9~worker-discovery";
const azureSubscriptionId = randomUUID();
const workspaceArmId = `/subscriptions/${azureSubscriptionId}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-msp`;

const db = createDb(databaseUrl, { max: 2 });
let azure: LocalAzure;
let tenantId: string;
let connectionId: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  ensureLocalCertificate();
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }], subscriptions: [{ subscriptionId: azureSubscriptionId, displayName: "Contoso Production", actions: ["*/read"] }] });
  const vault = { subscriptionId: azureSubscriptionId, resourceGroup: "backup-rg", name: "rsv-prod", location: "westeurope" };
  azure.vaults.push(vault);
  azure.diagnosticSettings.set(fakeVaultId(vault).toLowerCase(), [{ name: "to-law", workspaceId: workspaceArmId, logs: [{ category: "AzureBackupReport", enabled: true }] }]);
  const slug = `discovery-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  connectionId = (
    await db.azureConnection.create({
      data: { tenantId, name: "Local Azure", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
    })
  ).id;
  await db.subscription.create({ data: { tenantId, azureSubscriptionId, connectionId } });
  await db.workspace.create({ data: { tenantId, name: "MSP workspace", kind: "azure", azureWorkspaceId: randomUUID(), armId: workspaceArmId, connectionId } });
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
  await azure.close();
  await db.tenant.delete({ where: { id: tenantId } });
  await db.$disconnect();
});

describe("the worker's vault discovery", () => {
  it("registers the connection's vault with its diagnostics status and schedules the next run an interval later", async () => {
    worker = await startWorker({
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? "vwtest"}-discovery-${randomBytes(4).toString("hex")}`,
      ENCRYPTION_KEY: key.toString("base64"),
      WORKER_TENANT_IDS: tenantId,
      DISCOVERY_INTERVAL_SECONDS: "3600",
      NODE_EXTRA_CA_CERTS: certPath,
    });
    await untilHealthy(worker);
    const vault = await waitFor("the discovered vault", () => db.vault.findFirst({ where: { tenantId, name: "rsv-prod", diagnosticsStatus: { not: null } } }).then((v) => v ?? undefined), 90_000, 250);
    expect(vault).toMatchObject({ diagnosticsStatus: "sends", diagnosticsShape: "legacy", diagnosticsCategories: ["AzureBackupReport"], region: "westeurope" });
    const state = await waitFor("the recorded run", () => db.vaultDiscovery.findFirst({ where: { connectionId, lastSuccessAt: { not: null } } }).then((r) => r ?? undefined), 30_000, 250);
    expect(state.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(worker.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});
