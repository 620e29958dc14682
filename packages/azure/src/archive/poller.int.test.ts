// The archive reader against Azurite (Microsoft's storage emulator, over https, taking Entra tokens from the local
// Azure as well as keys and SAS tokens) through the real @azure/storage-blob client, with real Postgres: a diagnostic
// setting's PT1H.json read in pieces as it grows, into a local workspace's AzureDiagnostics.
import { randomBytes, randomUUID } from "node:crypto";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type AppendBlobClient,
} from "@azure/storage-blob";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { dropWorkspaceStorage, ingestRecords, runLocalQuery } from "@vaultwatch/local-workspace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, startAzurite, type Azurite } from "../../test/azurite";
import { startLocalAzure, type LocalAzure } from "../../test/fake-azure";
import { archivePoller, type ArchiveIngest, type ArchivePollerDeps } from "./poller";
import { claimDueArchiveSources, type ClaimedArchiveSource } from "./state";

const db = createDb(process.env.DATABASE_URL!, { max: 2 });
const pool = sharedTestPool(process.env.DATABASE_URL!, { max: 4 });
const key = Buffer.alloc(32, 7);
const MINUTE = 60_000;
let azurite: Azurite;
let azure: LocalAzure;
const entraTenantId = randomUUID();
const clientId = randomUUID();
const clientSecret = "Zr5~archive-reader-secret";
let service: BlobServiceClient;
let tenantId: string;
const workspaces: string[] = [];

beforeAll(async () => {
  [azurite, azure] = await Promise.all([startAzurite({ oauth: true }), startLocalAzure({ apps: [{ entraTenantId, clientId, secret: clientSecret }] })]);
  service = new BlobServiceClient(azurite.blobEndpoint, new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));
  const slug = `archive-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: `Archive ${slug}`, slug } })).id;
  // the KQL compile thread's cold start (seconds on a loaded machine) belongs to setup, not to the first test's budget
  await runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" });
});
afterAll(async () => {
  await azurite?.close();
  await azure?.close();
  for (const id of workspaces) await dropWorkspaceStorage(pool, id);
  if (tenantId) await db.tenant.delete({ where: { id: tenantId } });
  await db.$disconnect();
});

const ingest: ArchiveIngest = async (scope, records, alsoInTransaction) =>
  ({ activityEvents: (await ingestRecords(pool, { ...scope, registered: true }, records, { alsoInTransaction })).activityEvents.new.length });
const deps: ArchivePollerDeps = { pool, encryptionKey: key, ingest };

/** An archive source over Azurite with the account key (sealed as the API seals it), into a new local workspace. */
async function newSource(vault: { resourceId: string }, opts: { credentialKind?: "accountKey" | "sas" | "connection"; secret?: string; resourceIdPrefix?: string } = {}) {
  const ws = await db.workspace.create({ data: { tenantId, name: `archive-${randomBytes(3).toString("hex")}`, kind: "local" } });
  workspaces.push(ws.id);
  const source = await db.archiveSource.create({
    data: {
      tenantId,
      name: `src-${randomBytes(3).toString("hex")}`,
      blobEndpoint: azurite.blobEndpoint,
      workspaceId: ws.id,
      credentialKind: opts.credentialKind ?? "accountKey",
      ...(opts.credentialKind === "connection"
        ? { connectionId: await newConnection(opts.secret ?? clientSecret) }
        : { secretEncrypted: encryptSecret(opts.secret ?? DEV_ACCOUNT_KEY, key) }),
      // one Azurite account serves the whole file: each test's source reads only its own vault
      resourceIdPrefix: opts.resourceIdPrefix ?? vault.resourceId,
    },
  });
  return { id: source.id, workspaceId: ws.id };
}

/** The tenant's Azure connection to the local Azure's Entra (a Custom cloud), its secret sealed as the API seals it. */
async function newConnection(secret: string) {
  const conn = await db.azureConnection.create({
    data: { tenantId, name: `conn-${randomBytes(3).toString("hex")}`, entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  return conn.id;
}

async function claim(sourceId: string): Promise<ClaimedArchiveSource> {
  await db.archiveSource.update({ where: { id: sourceId }, data: { nextPollAt: new Date(Date.now() - 1000) } });
  const claimed = await claimDueArchiveSources(pool, { limit: 100, leaseMs: 5 * MINUTE, tenantIds: [tenantId] });
  const mine = claimed.find((c) => c.sourceId === sourceId);
  if (!mine) throw new Error("source not claimed");
  // other sources of this file claimed on the way are due again for their own tests
  await db.archiveSource.updateMany({ where: { tenantId, id: { in: claimed.filter((c) => c !== mine).map((c) => c.sourceId) } }, data: { nextPollAt: new Date() } });
  return mine;
}

/** A vault, named as Azure names its folder in the archive (the ARM id upper-cased). */
function newVault() {
  const sub = randomUUID();
  const name = `rsv-${randomBytes(3).toString("hex")}`;
  const resourceId = `/subscriptions/${sub}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/${name}`;
  return { resourceId, folder: `resourceId=${resourceId.toUpperCase()}` };
}

const pad = (n: number) => String(n).padStart(2, "0");
const hourPath = (at: Date) => `y=${at.getUTCFullYear()}/m=${pad(at.getUTCMonth() + 1)}/d=${pad(at.getUTCDate())}/h=${pad(at.getUTCHours())}/m=00/PT1H.json`;

/** The hour's PT1H.json of a vault in the AzureBackupReport category's container, as an append blob. */
async function archiveBlob(vaultFolder: string, at = new Date(), container = "insights-logs-azurebackupreport"): Promise<AppendBlobClient> {
  await service.getContainerClient(container).createIfNotExists();
  const blob = service.getContainerClient(container).getAppendBlobClient(`${vaultFolder}/${hourPath(at)}`);
  await blob.createIfNotExists();
  return blob;
}
const append = (blob: AppendBlobClient, text: string) => blob.appendBlock(text, Buffer.byteLength(text));
const lines = (...records: object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

/** An AzureBackupReport Job record in the resource-log shape a diagnostic setting archives (AZURE-REFERENCE §1.2). */
function jobRecord(resourceId: string, jobId: string, status: "Completed" | "Failed", at = new Date()) {
  return {
    time: at.toISOString(),
    resourceId: resourceId.toUpperCase(),
    category: "AzureBackupReport",
    operationName: "Job",
    level: "Informational",
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      VaultUniqueId: "vault-unique-1",
      BackupItemUniqueId: "item-unique-1",
      JobOperation: "Backup",
      JobStatus: status,
      JobFailureCode: status === "Failed" ? "UserErrorVmNotFound" : "Success",
      JobStartDateTime: "2026-12-07 01:00:00",
      JobDurationInSecs: "420",
      DataTransferredInMB: "12.5",
      JobUniqueId: jobId,
    },
  };
}

async function jobs(workspaceId: string) {
  const result = await runLocalQuery(pool, {
    workspaceId,
    query: `AzureDiagnostics | where Category == "AzureBackupReport" and OperationName == "Job" | project JobUniqueId_g, JobStatus_s, JobFailureCode_s, Resource, ResourceId | order by JobUniqueId_g asc`,
  });
  return result.tables[0]!.rows.map(([JobUniqueId_g, JobStatus_s, JobFailureCode_s, Resource, ResourceId]) => ({ JobUniqueId_g, JobStatus_s, JobFailureCode_s, Resource, ResourceId }));
}
const sourceRow = (id: string) => db.archiveSource.findUniqueOrThrow({ where: { id } });
const ids = (n: number) => Array.from({ length: n }, () => randomUUID()).sort();

describe("reading a storage-account archive", () => {
  it("reads a PT1H.json in pieces as it grows: each poll ingests only the records appended since", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const [a, b, c] = ids(3);
    await append(blob, lines(jobRecord(vault.resourceId, a!, "Completed"), jobRecord(vault.resourceId, b!, "Failed")));
    const poller = archivePoller(deps);

    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 2, malformed: 0, complete: true });
    expect(await jobs(source.workspaceId)).toEqual([
      { JobUniqueId_g: a, JobStatus_s: "Completed", JobFailureCode_s: "Success", Resource: vault.resourceId.split("/").at(-1)!.toUpperCase(), ResourceId: vault.resourceId.toUpperCase() },
      { JobUniqueId_g: b, JobStatus_s: "Failed", JobFailureCode_s: "UserErrorVmNotFound", Resource: vault.resourceId.split("/").at(-1)!.toUpperCase(), ResourceId: vault.resourceId.toUpperCase() },
    ]);

    // nothing new: nothing ingested again
    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 0, bytes: 0 });

    await append(blob, lines(jobRecord(vault.resourceId, c!, "Completed")));
    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([a, b, c]);
    const row = await sourceRow(source.id);
    expect(row).toMatchObject({ recordsIngested: 3n, malformedLines: 0n, consecutiveFailures: 0, lastError: null });
    expect(row.lastReadAt).toBeInstanceOf(Date);
  });

  it("holds back a partially written last line until it is complete", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const [a, b] = ids(2);
    const second = JSON.stringify(jobRecord(vault.resourceId, b!, "Failed"));
    await append(blob, lines(jobRecord(vault.resourceId, a!, "Completed")) + second.slice(0, 40));
    const poller = archivePoller(deps);
    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 1, malformed: 0 });
    // the half line is not downloaded again while the blob has not grown
    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 0, bytes: 0 });

    await append(blob, `${second.slice(40)}\n`);
    expect(await poller.poll(await claim(source.id))).toMatchObject({ ok: true, records: 1, malformed: 0 });
    expect((await jobs(source.workspaceId)).map((j) => [j.JobUniqueId_g, j.JobStatus_s])).toEqual([[a, "Completed"], [b, "Failed"]]);
  });

  it("skips and counts malformed lines and records the ingest refuses, and reads on past them", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const [a, b] = ids(2);
    const refused = { ...jobRecord(vault.resourceId, randomUUID(), "Completed"), time: "not a time" };
    await append(blob, `${lines(jobRecord(vault.resourceId, a!, "Completed"))}{"time": "2026-12-07T04:00:00Z", "resourceId": \n${lines(refused)}[1, 2]\n${lines(jobRecord(vault.resourceId, b!, "Failed"))}`);
    const outcome = await archivePoller(deps).poll(await claim(source.id));
    expect(outcome).toMatchObject({ ok: true, records: 2, malformed: 3 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([a, b]);
    const row = await sourceRow(source.id);
    expect(row).toMatchObject({ recordsIngested: 2n, malformedLines: 3n, lastError: null });
    expect(row.lastMalformed).toContain(`insights-logs-azurebackupreport/${vault.folder}/`);
  });

  it("a restarted reader carries on from the cursors: nothing twice, nothing lost", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const [a, b] = ids(2);
    await append(blob, lines(jobRecord(vault.resourceId, a!, "Completed")));
    await archivePoller(deps).poll(await claim(source.id));

    await append(blob, lines(jobRecord(vault.resourceId, b!, "Completed")));
    // a new process: nothing in memory, a full listing
    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([a, b]);
  });

  it("a crash before commit leaves neither rows nor a moved cursor, and the next poll ingests the chunk once", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const [a] = ids(1);
    await append(blob, lines(jobRecord(vault.resourceId, a!, "Completed")));
    const crashing: ArchiveIngest = (scope, records, alsoInTransaction) =>
      ingest(scope, records, async (client) => {
        await alsoInTransaction(client);
        throw new Error("the worker died before COMMIT");
      });
    expect(await archivePoller({ ...deps, ingest: crashing }).poll(await claim(source.id))).toMatchObject({ ok: false });
    expect(await db.archiveCursor.count({ where: { sourceId: source.id } })).toBe(0);
    expect(await runLocalQuery(pool, { workspaceId: source.workspaceId, query: "AzureDiagnostics | count", expectTables: true }).then((r) => r.tables[0]!.rows)).toEqual([[0]]);

    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 0 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([a]);
  });

  it("reads with a SAS token, keeps to the resource-id prefix, and ignores other containers", async () => {
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 3600_000),
        permissions: AccountSASPermissions.parse("rl"),
        resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
        services: AccountSASServices.parse("b").toString(),
        protocol: SASProtocol.HttpsAndHttp,
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY),
    ).toString();
    const wanted = newVault();
    const other = newVault();
    const source = await newSource(wanted, { credentialKind: "sas", secret: sas, resourceIdPrefix: wanted.resourceId.toLowerCase() });
    const [a, b, c] = ids(3);
    await append(await archiveBlob(wanted.folder), lines(jobRecord(wanted.resourceId, a!, "Completed")));
    await append(await archiveBlob(other.folder), lines(jobRecord(other.resourceId, b!, "Completed")));
    await service.getContainerClient("unrelated").createIfNotExists();
    const stray = service.getContainerClient("unrelated").getAppendBlobClient(`${wanted.folder}/${hourPath(new Date())}`);
    await stray.createIfNotExists();
    await append(stray, lines(jobRecord(wanted.resourceId, c!, "Completed")));

    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([a]);
  });

  it("an hour before the look-back is not read; the hour before the current one is", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const [a, b] = ids(2);
    const now = Date.now();
    await append(await archiveBlob(vault.folder, new Date(now - 4 * 24 * 3600_000)), lines(jobRecord(vault.resourceId, a!, "Completed")));
    await append(await archiveBlob(vault.folder, new Date(now - 3600_000)), lines(jobRecord(vault.resourceId, b!, "Completed")));
    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual([b]);
  });

  it("a poll stops at its byte budget and the next one carries on where it stopped", async () => {
    const vault = newVault();
    const source = await newSource(vault);
    const blob = await archiveBlob(vault.folder);
    const jobIds = ids(6);
    await append(blob, lines(...jobIds.map((id) => jobRecord(vault.resourceId, id, "Completed"))));
    const oneLine = Buffer.byteLength(lines(jobRecord(vault.resourceId, jobIds[0]!, "Completed")));
    const small = archivePoller({ ...deps, maxBytesPerPoll: oneLine * 2 + 10, maxChunkBytes: oneLine * 2 + 10 });
    const first = await small.poll(await claim(source.id));
    expect(first).toMatchObject({ ok: true, records: 2, complete: false });
    // not complete: due again at once
    expect((await sourceRow(source.id)).nextPollAt.getTime()).toBeLessThanOrEqual(Date.now());
    let total = 2;
    for (let i = 0; i < 5 && total < 6; i++) {
      const next = await small.poll(await claim(source.id));
      total += next.ok ? next.records : 0;
    }
    expect(total).toBe(6);
    expect((await jobs(source.workspaceId)).map((j) => j.JobUniqueId_g)).toEqual(jobIds);
  });

  it("a refused credential is the source's visible error, with the role to grant, and backs off", async () => {
    const source = await newSource(newVault(), { secret: Buffer.alloc(64, 1).toString("base64") });
    const outcome = await archivePoller(deps).poll(await claim(source.id));
    // Storage's codes for a request it cannot authenticate (403); Azurite answers InvalidAuthenticationInfo when it also
    // takes bearer tokens, AuthorizationFailure otherwise
    const refusal = /^(AuthenticationFailed|AuthorizationFailure|InvalidAuthenticationInfo)$/;
    expect(outcome).toMatchObject({ ok: false, code: expect.stringMatching(refusal) });
    const row = await sourceRow(source.id);
    expect(row).toMatchObject({ consecutiveFailures: 1, lastErrorCode: expect.stringMatching(refusal) });
    expect(row.lastError).toMatch(/Storage Blob Data Reader/);
    expect(row.nextPollAt.getTime() - Date.now()).toBeGreaterThan(30_000);
    // not due meanwhile: no retry loop
    expect((await claimDueArchiveSources(pool, { limit: 100, leaseMs: MINUTE, tenantIds: [tenantId] })).map((c) => c.sourceId)).not.toContain(source.id);
  });
  it("signs in as the tenant's Azure connection (an Entra token for storage, the production path) and reads", async () => {
    const vault = newVault();
    const source = await newSource(vault, { credentialKind: "connection" });
    const [a] = ids(1);
    await append(await archiveBlob(vault.folder), lines(jobRecord(vault.resourceId, a!, "Failed")));
    expect(await archivePoller(deps).poll(await claim(source.id))).toMatchObject({ ok: true, records: 1 });
    expect((await jobs(source.workspaceId)).map((j) => [j.JobUniqueId_g, j.JobStatus_s])).toEqual([[a, "Failed"]]);
  });

  it("a connection whose secret Entra refuses is the source's visible error, with Entra's advice", async () => {
    const vault = newVault();
    const source = await newSource(vault, { credentialKind: "connection", secret: "Wr0ng~secret-value" });
    const outcome = await archivePoller(deps).poll(await claim(source.id));
    expect(outcome).toMatchObject({ ok: false, code: "AADSTS7000215" });
    expect(await sourceRow(source.id)).toMatchObject({ consecutiveFailures: 1, lastErrorCode: "AADSTS7000215", lastError: expect.stringMatching(/^Sign-in failed: /) });
  });
  it("reads a subscription's activity log from insights-activity-logs: stored as activity events, handed to the activity rules", async () => {
    const subscriptionId = randomUUID();
    const source = await newSource({ resourceId: `/subscriptions/${subscriptionId}` });
    const eventDataId = randomUUID();
    // the activity log's resource-log shape (AZURE-REFERENCE §2): the log category in properties.eventCategory
    const event = {
      time: new Date().toISOString(),
      resourceId: `/SUBSCRIPTIONS/${subscriptionId.toUpperCase()}/RESOURCEGROUPS/BACKUP-RG/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-1`,
      operationName: "MICROSOFT.RECOVERYSERVICES/VAULTS/DELETE",
      category: "Delete",
      resultType: "Success",
      resultSignature: "Succeeded.OK",
      durationMs: 0,
      callerIpAddress: "203.0.113.7",
      correlationId: randomUUID(),
      identity: { authorization: { action: "Microsoft.RecoveryServices/vaults/delete" }, claims: { name: "Rob Robertson" } },
      level: "Information",
      location: "global",
      properties: { eventCategory: "Administrative", eventDataId, operationId: randomUUID() },
    };
    const blob = await archiveBlob(`resourceId=/SUBSCRIPTIONS/${subscriptionId.toUpperCase()}`, new Date(), "insights-activity-logs");
    await append(blob, lines(event));
    const told: string[] = [];
    const outcome = await archivePoller({ ...deps, onActivityEvents: (id) => Promise.resolve(void told.push(id)) }).poll(await claim(source.id));
    expect(outcome).toMatchObject({ ok: true, records: 1, malformed: 0 });
    expect(await db.activityEvent.findMany({ where: { workspaceId: source.workspaceId }, select: { eventDataId: true } })).toEqual([{ eventDataId }]);
    expect(told).toEqual([source.workspaceId]);
  });
});
