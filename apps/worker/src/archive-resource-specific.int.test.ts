// A vault whose diagnostic setting archives to a storage account in resource-specific mode (Azurite): the worker's
// archive reading (archivePoller + archiveIngest, as the poll loop wires them) stores `insights-logs-addonazurebackupjobs`
// and `insights-logs-coreazurebackup` records in their own tables, typed as Azure documents them (AZURE-REFERENCE
// §1.1), the legacy AzureBackupReport records in AzureDiagnostics, and counts a category with no table as malformed;
// the backup-jobs view reads the result. Expected values are worked out from the records written here.
import { randomBytes, randomUUID } from "node:crypto";
import { archivePoller, claimDueArchiveSources, type ClaimedArchiveSource } from "@vaultwatch/azure";
import { DEV_ACCOUNT_KEY, devAccountClient, startAzurite, type Azurite } from "@vaultwatch/azure/test/azurite";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { localWorkspaceRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, runLocalQuery } from "@vaultwatch/local-workspace";
import { viewItems } from "@vaultwatch/views";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveIngest } from "./archive-poll-loop";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const db = createDb(databaseUrl, { max: 2 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const key = randomBytes(32);
const subscriptionId = randomUUID();
const vaultName = `rsv-${randomBytes(3).toString("hex")}`;
const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/${vaultName}`;
/** Azure writes the vault's id upper-cased in the archive's folder names and records. */
const VAULT = vaultId.toUpperCase();
let azurite: Azurite;
let tenantId: string;
let workspaceId: string;
let sourceId: string;

beforeAll(async () => {
  azurite = await startAzurite();
  const slug = `archive-rs-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  workspaceId = (await db.workspace.create({ data: { tenantId, name: "archive", kind: "local" } })).id;
  sourceId = (
    await db.archiveSource.create({
      data: { tenantId, name: "vault archive", blobEndpoint: azurite.blobEndpoint, workspaceId, credentialKind: "accountKey", secretEncrypted: encryptSecret(DEV_ACCOUNT_KEY, key), resourceIdPrefix: vaultId },
    })
  ).id;
  // the KQL compile thread's cold start belongs to setup, not to the test's budget
  await runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" });
}, 120_000);

afterAll(async () => {
  await azurite?.close();
  if (workspaceId) await dropWorkspaceStorage(pool, workspaceId);
  if (tenantId) await db.tenant.delete({ where: { id: tenantId } });
  await pool.end();
  await db.$disconnect();
});

const pad = (n: number) => String(n).padStart(2, "0");
const hour = new Date();
/** This hour's PT1H.json of the vault in a category's container, as an append blob. */
async function hourBlob(category: string) {
  const container = devAccountClient(azurite.blobEndpoint).getContainerClient(`insights-logs-${category.toLowerCase()}`);
  await container.createIfNotExists();
  const blob = container.getAppendBlobClient(`resourceId=${VAULT}/y=${hour.getUTCFullYear()}/m=${pad(hour.getUTCMonth() + 1)}/d=${pad(hour.getUTCDate())}/h=${pad(hour.getUTCHours())}/m=00/PT1H.json`);
  await blob.createIfNotExists();
  return blob;
}
async function append(category: string, records: object[]) {
  const text = records.map((r) => `${JSON.stringify(r)}\n`).join("");
  await (await hourBlob(category)).appendBlock(text, Buffer.byteLength(text));
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

type Job = { item: string; operation: "Backup" | "Restore"; status: "Completed" | "Failed"; failureCode?: string; mb: string; secs: number };
/** An AddonAzureBackupJobs record: the resource-log envelope, the table's documented columns in `properties`. */
const jobRecord = (j: Job & { id: string }) => ({
  time: minutesAgo(5),
  resourceId: VAULT,
  category: "AddonAzureBackupJobs",
  operationName: "Job",
  level: "Informational",
  properties: {
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: j.item === "item-sql" ? "AzureWorkload" : "IaaSVM",
    VaultUniqueId: "vault-unique-1",
    VaultName: vaultName,
    BackupItemUniqueId: j.item,
    JobOperation: j.operation,
    JobStatus: j.status,
    JobFailureCode: j.failureCode ?? "Success",
    JobStartDateTime: minutesAgo(20),
    JobDurationInSecs: j.secs,
    DataTransferredInMB: j.mb,
    AdHocOrScheduledJob: "Scheduled",
    JobUniqueId: j.id,
  },
});
type Item = { id: string; name: string; type: string; state: string; storageMb: string; latest: string };
const itemRecord = (i: Item) => ({
  time: minutesAgo(4),
  resourceId: VAULT,
  category: "CoreAzureBackup",
  operationName: "BackupItem",
  properties: {
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: i.type === "SQLDataBase" ? "AzureWorkload" : "IaaSVM",
    VaultUniqueId: "vault-unique-1",
    VaultName: vaultName,
    BackupItemUniqueId: i.id,
    BackupItemFriendlyName: i.name,
    BackupItemType: i.type,
    BackupItemProtectionState: i.state,
    LatestRecoveryPointTime: i.latest,
    StorageConsumedInMBs: i.storageMb,
  },
});
/** The legacy category (AzureBackupReport → AzureDiagnostics), AZURE-REFERENCE §1.2. */
const legacyJob = (id: string) => ({
  time: minutesAgo(6),
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName: "Job",
  level: "Informational",
  properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", BackupItemUniqueId: "item-legacy", JobOperation: "Backup", JobStatus: "Failed", JobFailureCode: "UserErrorVmNotFound", JobStartDateTime: "2026-12-07 01:00:00", JobDurationInSecs: "60", DataTransferredInMB: "0", JobUniqueId: id },
});

async function claim(): Promise<ClaimedArchiveSource> {
  await db.archiveSource.update({ where: { id: sourceId }, data: { nextPollAt: new Date(Date.now() - 1000) } });
  const mine = (await claimDueArchiveSources(pool, { limit: 100, leaseMs: 300_000, tenantIds: [tenantId] })).find((c) => c.sourceId === sourceId);
  if (!mine) throw new Error("source not claimed");
  return mine;
}
const poller = archivePoller({ pool, encryptionKey: key, ingest: archiveIngest(pool) });
const kql = async (query: string) => (await runLocalQuery(pool, { workspaceId, query })).tables[0]!.rows;
const sourceRow = () => db.archiveSource.findUniqueOrThrow({ where: { id: sourceId } });

describe("a storage-account archive in resource-specific mode", () => {
  it("lands each category in its own typed table, the legacy one in AzureDiagnostics, and reads only what was appended", async () => {
    const jobs: (Job & { id: string })[] = [
      { item: "item-vm", operation: "Backup", status: "Failed", failureCode: "UserErrorVmNotFound", mb: "0", secs: 95 },
      { item: "item-vm", operation: "Backup", status: "Completed", mb: "512.25", secs: 840 },
      { item: "item-sql", operation: "Backup", status: "Failed", failureCode: "UserErrorSqlNoSysadminMembership", mb: "3.5", secs: 30 },
      { item: "item-sql", operation: "Restore", status: "Completed", mb: "1024", secs: 1800 },
    ].map((j) => ({ ...(j as Job), id: randomUUID() }));
    const items: Item[] = [
      { id: "item-vm", name: "web-01", type: "VM", state: "Protected", storageMb: "20480.5", latest: "2026-12-07T02:00:00Z" },
      { id: "item-sql", name: "sqldb-sales", type: "SQLDataBase", state: "ProtectionStopped", storageMb: "1536", latest: "2026-12-06T23:30:00Z" },
    ];
    const legacyId = randomUUID();
    const unstorable = { ...jobRecord({ ...jobs[0]!, id: randomUUID() }), properties: { ...jobRecord(jobs[0]!).properties, DataTransferredInMB: "lots" } };
    await append("AddonAzureBackupJobs", [...jobs.map(jobRecord), unstorable]);
    await append("CoreAzureBackup", items.map(itemRecord));
    await append("AzureBackupReport", [legacyJob(legacyId)]);
    // the setting also archives a category with no table: its hour's blob exists, empty for now
    await hourBlob("AzureSiteRecoveryJobs");

    expect(await poller.poll(await claim())).toMatchObject({ ok: true, records: jobs.length + items.length + 1, malformed: 1 });
    expect(await sourceRow()).toMatchObject({ recordsIngested: BigInt(jobs.length + items.length + 1), malformedLines: 1n, lastError: null });
    expect((await sourceRow()).lastMalformed).toMatch(/insights-logs-addonazurebackupjobs\/.*properties\.DataTransferredInMB: must be a number/);

    const failed = (js: Job[]) => js.filter((j) => j.status === "Failed").length;
    expect(await kql(`AddonAzureBackupJobs | where JobStatus == "Failed" | count`)).toEqual([[failed(jobs)]]);
    // typed as documented: arithmetic and comparisons on real and datetime columns without conversions
    const sum = (js: Job[]) => js.reduce((s, j) => s + Number(j.mb), 0);
    expect(await kql(`AddonAzureBackupJobs | where JobStartDateTime < now() and JobStartDateTime > ago(1h) | summarize MB = sum(DataTransferredInMB), Secs = sum(JobDurationInSecs), Jobs = dcount(JobUniqueId)`)).toEqual([
      [sum(jobs), jobs.reduce((s, j) => s + j.secs, 0), jobs.length],
    ]);
    expect(await kql(`AddonAzureBackupJobs | getschema | where ColumnName in ("JobStatus", "JobStartDateTime", "DataTransferredInMB", "JobDurationInSecs") | project ColumnName, ColumnType | order by ColumnName asc`)).toEqual([
      ["DataTransferredInMB", "real"],
      ["JobDurationInSecs", "real"],
      ["JobStartDateTime", "datetime"],
      ["JobStatus", "string"],
    ]);
    expect(await kql(`AddonAzureBackupJobs | distinct Type, Category, OperationName, ResourceId, _ResourceId, _SubscriptionId, SourceSystem`)).toEqual([
      ["AddonAzureBackupJobs", "AddonAzureBackupJobs", "Job", VAULT, vaultId.toLowerCase(), subscriptionId, "Azure"],
    ]);
    expect(await kql(`AddonAzureBackupJobs | where JobStatus == "Failed" | project JobUniqueId, JobFailureCode | order by JobFailureCode asc`)).toEqual(
      jobs.filter((j) => j.status === "Failed").map((j) => [j.id, j.failureCode]).sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );

    expect(await kql(`CoreAzureBackup | where OperationName == "BackupItem" | summarize Items = count(), Protected = countif(BackupItemProtectionState == "Protected"), MB = sum(StorageConsumedInMBs), Latest = max(LatestRecoveryPointTime)`)).toEqual([
      [items.length, items.filter((i) => i.state === "Protected").length, items.reduce((s, i) => s + Number(i.storageMb), 0), "2026-12-07T02:00:00Z"],
    ]);
    expect(await kql(`CoreAzureBackup | distinct Type`)).toEqual([["CoreAzureBackup"]]);

    // AzureDiagnostics holds the legacy record and nothing of the resource-specific categories
    expect(await kql(`AzureDiagnostics | summarize Records = count() by Category, OperationName, JobId = tostring(JobUniqueId_g)`)).toEqual([["AzureBackupReport", "Job", legacyId, 1]]);

    // the backup-jobs view over this workspace: the resource-specific jobs (named from CoreAzureBackup) and the legacy one
    const workspace: WorkspaceRef = { id: workspaceId, tenantId, kind: "local", name: "archive", armId: null };
    const fan = { runner: localWorkspaceRunner(pool), workspaces: [workspace], window: { start: new Date(Date.now() - 86_400_000), end: new Date(Date.now() + 60_000) } };
    const view = await viewItems(fan, "backupJobs", {}, "1d", { sort: "BackupItemUniqueId", dir: "asc", offset: 0, limit: 50 });
    expect(view.workspaces[0]).toMatchObject({ status: "ok", shapes: expect.arrayContaining(["legacy", "resourceSpecific"]) });
    const backups = (item: string) => jobs.filter((j) => j.item === item && j.operation === "Backup");
    expect(view.page.rows.map((r) => ({ item: r.BackupItemUniqueId, name: r.Name, vault: r.Vault, jobs: r.Jobs, failed: r.Failed }))).toEqual([
      { item: "item-legacy", name: "", vault: vaultName, jobs: 1, failed: 1 },
      { item: "item-sql", name: "sqldb-sales", vault: vaultName, jobs: backups("item-sql").length, failed: failed(backups("item-sql")) },
      { item: "item-vm", name: "web-01", vault: vaultName, jobs: backups("item-vm").length, failed: failed(backups("item-vm")) },
    ]);

    // appended lines, and a record of the category with no table: the next poll reads only the new lines
    const more = [
      { item: "item-vm", operation: "Backup", status: "Failed", failureCode: "UserErrorVmNotFound", mb: "0", secs: 12 },
      { item: "item-vm", operation: "Backup", status: "Completed", mb: "100", secs: 300 },
    ].map((j) => ({ ...(j as Job), id: randomUUID() }));
    const moreItems: Item[] = [{ id: "item-files", name: "share-01", type: "AzureFileShare", state: "Protected", storageMb: "10", latest: "2026-12-07T03:00:00Z" }];
    await append("AddonAzureBackupJobs", more.map(jobRecord));
    await append("CoreAzureBackup", moreItems.map(itemRecord));
    await append("AzureSiteRecoveryJobs", [{ time: minutesAgo(1), resourceId: VAULT, category: "AzureSiteRecoveryJobs", operationName: "Job", properties: { JobId: "asr-1" } }]);

    expect(await poller.poll(await claim())).toMatchObject({ ok: true, records: more.length + moreItems.length, malformed: 1 });
    const all = [...jobs, ...more];
    expect(await kql(`AddonAzureBackupJobs | where JobStatus == "Failed" | count`)).toEqual([[failed(all)]]);
    expect(await kql(`AddonAzureBackupJobs | summarize Rows = count(), Jobs = dcount(JobUniqueId)`)).toEqual([[all.length, all.length]]);
    expect(await kql(`CoreAzureBackup | count`)).toEqual([[items.length + moreItems.length]]);
    expect(await kql(`AzureDiagnostics | count`)).toEqual([[1]]);
    const row = await sourceRow();
    expect(row).toMatchObject({ recordsIngested: BigInt(all.length + items.length + moreItems.length + 1), malformedLines: 2n });
    expect(row.lastMalformed).toMatch(/insights-logs-azuresiterecoveryjobs\/.*category: no table for category "AzureSiteRecoveryJobs"/);

    // nothing new: nothing read again
    expect(await poller.poll(await claim())).toMatchObject({ ok: true, records: 0, malformed: 0, bytes: 0 });
  });
});
