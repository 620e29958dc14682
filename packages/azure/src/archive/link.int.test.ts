// A storage-account archive read through a linked connection (Azure Lighthouse): the customer tenant's source signs
// in as the MSP's connection (Entra token for storage, Azurite with --oauth) and ingests only the resource folders of
// the link's delegated subscriptions; the MSP rotating its secret serves the link at once.
import { randomBytes, randomUUID } from "node:crypto";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { dropWorkspaceStorage, ingestRecords, runLocalQuery } from "@vaultwatch/local-workspace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, startAzurite, type Azurite } from "../../test/azurite";
import { startLocalAzure, type LocalAzure } from "../../test/fake-azure";
import { archivePoller, type ArchiveIngest } from "./poller";
import { claimDueArchiveSources } from "./state";

const db = createDb(process.env.DATABASE_URL!, { max: 2 });
const pool = sharedTestPool(process.env.DATABASE_URL!, { max: 4 });
const key = Buffer.alloc(32, 9);
const mspEntra = randomUUID();
const clientId = randomUUID();
const secret = "Zr5~lighthouse-archive-secret";
const shared = randomUUID();
const notShared = randomUUID();
let azurite: Azurite;
let azure: LocalAzure;
let service: BlobServiceClient;
let A: string;
let B: string;
let sourceConnectionId: string;
let workspaceId: string;
let archiveSourceId: string;

const vaultId = (sub: string) => `/subscriptions/${sub}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/rsv-${sub.slice(0, 6)}`;
const pad = (n: number) => String(n).padStart(2, "0");
const hourPath = (at: Date) => `y=${at.getUTCFullYear()}/m=${pad(at.getUTCMonth() + 1)}/d=${pad(at.getUTCDate())}/h=${pad(at.getUTCHours())}/m=00/PT1H.json`;

/** Appends one AzureBackupReport Job record (the resource-log shape a diagnostic setting archives) to the vault's hour blob. */
async function job(sub: string, jobId: string) {
  const resourceId = vaultId(sub);
  const container = service.getContainerClient("insights-logs-azurebackupreport");
  await container.createIfNotExists();
  const blob = container.getAppendBlobClient(`resourceId=${resourceId.toUpperCase()}/${hourPath(new Date())}`);
  await blob.createIfNotExists();
  const line = `${JSON.stringify({
    time: new Date().toISOString(),
    resourceId: resourceId.toUpperCase(),
    category: "AzureBackupReport",
    operationName: "Job",
    level: "Informational",
    properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", JobOperation: "Backup", JobStatus: "Failed", JobFailureCode: "UserErrorVmNotFound", JobUniqueId: jobId },
  })}\n`;
  await blob.appendBlock(line, Buffer.byteLength(line));
}

async function jobIds() {
  const result = await runLocalQuery(pool, { workspaceId, query: `AzureDiagnostics | where OperationName == "Job" | project JobUniqueId_g, ResourceId | order by JobUniqueId_g asc` });
  return result.tables[0]!.rows.map(([id, resource]) => [id, resource]);
}

const ingest: ArchiveIngest = async (scope, records, alsoInTransaction) =>
  ({ activityEvents: (await ingestRecords(pool, { ...scope, registered: true }, records, { alsoInTransaction })).activityEvents.new.length });

async function claim() {
  await db.archiveSource.update({ where: { id: archiveSourceId }, data: { nextPollAt: new Date(Date.now() - 1000) } });
  const claimed = await claimDueArchiveSources(pool, { limit: 10, leaseMs: 300_000, tenantIds: [B] });
  return claimed.find((c) => c.sourceId === archiveSourceId)!;
}

beforeAll(async () => {
  [azurite, azure] = await Promise.all([startAzurite({ oauth: true }), startLocalAzure({ apps: [{ entraTenantId: mspEntra, clientId, secret }] })]);
  service = new BlobServiceClient(azurite.blobEndpoint, new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));
  const slug = randomBytes(4).toString("hex");
  A = (await db.tenant.create({ data: { name: `MSP ${slug}`, slug: `msp-${slug}` } })).id;
  B = (await db.tenant.create({ data: { name: `Customer ${slug}`, slug: `customer-${slug}` } })).id;
  const cloud = { cloud: "Custom" as const, authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` };
  sourceConnectionId = (await db.azureConnection.create({ data: { tenantId: A, name: "Lighthouse", entraTenantId: mspEntra, clientId, clientSecretEncrypted: encryptSecret(secret, key), ...cloud } })).id;
  const link = await db.azureConnection.create({ data: { tenantId: B, name: "Via MSP", entraTenantId: mspEntra, clientId, sharedFromId: sourceConnectionId, subscriptionIds: [shared], ...cloud } });
  workspaceId = (await db.workspace.create({ data: { tenantId: B, name: "Archive", kind: "local" } })).id;
  archiveSourceId = (await db.archiveSource.create({ data: { tenantId: B, name: "Storage", blobEndpoint: azurite.blobEndpoint, workspaceId, credentialKind: "connection", connectionId: link.id } })).id;
  await runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" });
});
afterAll(async () => {
  await azurite?.close();
  await azure?.close();
  if (workspaceId) await dropWorkspaceStorage(pool, workspaceId);
  await db.tenant.deleteMany({ where: { id: { in: [B] } } });
  await db.tenant.deleteMany({ where: { id: { in: [A] } } });
  await db.$disconnect();
});

describe("an archive source through a linked connection", () => {
  it("signs in as the source connection and ingests only the delegated subscriptions' vaults", async () => {
    const [inside, outside] = [randomUUID(), randomUUID()];
    await job(shared, inside);
    await job(notShared, outside);
    const poller = archivePoller({ pool, encryptionKey: key, ingest });
    expect(await poller.poll(await claim())).toMatchObject({ ok: true, records: 1 });
    expect(await jobIds()).toEqual([[inside, vaultId(shared).toUpperCase()]]);
    expect(azure.signIns.map((s) => s.clientId)).toEqual([clientId]);
  });

  it("the MSP rotating the source's secret serves the link at once", async () => {
    azure.apps[0]!.secret = "Zr5~rotated-archive-secret";
    const poller = archivePoller({ pool, encryptionKey: key, ingest });
    expect(await poller.poll(await claim())).toMatchObject({ ok: false, code: "AADSTS7000215" });
    await db.azureConnection.update({ where: { id: sourceConnectionId }, data: { clientSecretEncrypted: encryptSecret(azure.apps[0]!.secret, key) } });
    const next = randomUUID();
    await job(shared, next);
    expect(await poller.poll(await claim())).toMatchObject({ ok: true, records: 1 });
    expect((await jobIds()).map(([id]) => id)).toContain(next);
  });
});
