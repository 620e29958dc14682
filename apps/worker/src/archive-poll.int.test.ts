// The real worker process reads a storage-account archive on Azurite into a local workspace: records appended to a
// vault's PT1H.json arrive within a poll, a restarted worker carries on from the cursors (nothing twice), and a source
// whose key the account refuses is recorded as failing without disturbing the other.
import { randomBytes, randomUUID } from "node:crypto";
import { DEV_ACCOUNT_KEY, devAccountClient, startAzurite, type Azurite } from "@vaultwatch/azure/test/azurite";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { dropWorkspaceStorage } from "@vaultwatch/local-workspace";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, untilHealthy, waitFor, type WorkerProcess } from "./test/worker-process";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a test database");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${process.env.REDIS_PREFIX ?? "vwtest"}-archive-poll-${randomBytes(4).toString("hex")}`;
const key = randomBytes(32);
const db = createDb(databaseUrl, { max: 2 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const vaultId = `/subscriptions/${randomUUID()}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/rsv-${randomBytes(3).toString("hex")}`;
let azurite: Azurite;
let tenantId: string;
let workspaceId: string;
let sourceId: string;
let refusedId: string;
let worker: WorkerProcess | undefined;

const stopWorker = async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
};

beforeAll(async () => {
  azurite = await startAzurite();
  const slug = `archive-poll-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: slug, slug } })).id;
  workspaceId = (await db.workspace.create({ data: { tenantId, name: "archive", kind: "local" } })).id;
  const common = { tenantId, blobEndpoint: azurite.blobEndpoint, workspaceId, credentialKind: "accountKey" as const, resourceIdPrefix: vaultId };
  sourceId = (await db.archiveSource.create({ data: { ...common, name: "archive", secretEncrypted: encryptSecret(DEV_ACCOUNT_KEY, key) } })).id;
  refusedId = (await db.archiveSource.create({ data: { ...common, name: "old key", secretEncrypted: encryptSecret(Buffer.alloc(64, 5).toString("base64"), key) } })).id;
});

afterAll(async () => {
  await stopWorker();
  await azurite?.close();
  if (workspaceId) await dropWorkspaceStorage(pool, workspaceId);
  if (tenantId) await db.tenant.delete({ where: { id: tenantId } });
  await pool.end();
  await db.$disconnect();
});

const pad = (n: number) => String(n).padStart(2, "0");

/** This hour's PT1H.json of the vault, as an append blob in the AzureBackupReport category's container. */
async function hourBlob() {
  const container = devAccountClient(azurite.blobEndpoint).getContainerClient("insights-logs-azurebackupreport");
  await container.createIfNotExists();
  const at = new Date();
  const blob = container.getAppendBlobClient(`resourceId=${vaultId.toUpperCase()}/y=${at.getUTCFullYear()}/m=${pad(at.getUTCMonth() + 1)}/d=${pad(at.getUTCDate())}/h=${pad(at.getUTCHours())}/m=00/PT1H.json`);
  await blob.createIfNotExists();
  return blob;
}

/** Finished backup jobs in the resource-log shape a diagnostic setting archives (one JSON record per line). */
async function appendJobs(jobIds: string[]) {
  const text = jobIds
    .map((id) => JSON.stringify({ time: new Date().toISOString(), resourceId: vaultId.toUpperCase(), category: "AzureBackupReport", operationName: "Job", level: "Informational", properties: { SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", BackupItemUniqueId: "item-1", JobOperation: "Backup", JobStatus: "Completed", JobUniqueId: id } }))
    .map((line) => `${line}\n`)
    .join("");
  await (await hourBlob()).appendBlock(text, Buffer.byteLength(text));
}

const start = async () => {
  worker = await startWorker({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ENCRYPTION_KEY: key.toString("base64"), WORKER_TENANT_IDS: tenantId, ARCHIVE_POLL_SECONDS: "15" });
  await untilHealthy(worker);
};
const jobIdsStored = async () =>
  (await pool.query<{ id: string }>(`SELECT "JobUniqueId_g"::text AS id FROM lw_${workspaceId.replaceAll("-", "")}."AzureDiagnostics" ORDER BY 1`).catch(() => ({ rows: [] }))).rows.map((r) => r.id);

describe("the worker's storage-archive reading", () => {
  it("ingests appended records, carries on from the cursors after a restart, and records a refused source", async () => {
    const first = [randomUUID(), randomUUID()].sort();
    await appendJobs(first);
    await start();
    await waitFor("the first records", async () => ((await jobIdsStored()).length === 2 ? true : undefined), 60_000, 250);
    await waitFor("the refused source's error", async () => ((await db.archiveSource.findUniqueOrThrow({ where: { id: refusedId } })).consecutiveFailures > 0 ? true : undefined), 60_000, 250);
    await stopWorker();

    const second = [randomUUID()];
    await appendJobs(second);
    await start();
    await waitFor("the appended record", async () => ((await jobIdsStored()).length >= 3 ? true : undefined), 60_000, 250);
    expect(await jobIdsStored()).toEqual([...first, ...second].sort());
    expect(await db.archiveSource.findUniqueOrThrow({ where: { id: sourceId } })).toMatchObject({ recordsIngested: 3n, consecutiveFailures: 0, lastError: null });
    expect((await db.archiveSource.findUniqueOrThrow({ where: { id: refusedId } })).lastError).toMatch(/refused the read/);
    // a refusal is a warning with the source's id, never an error-level crash (the round that brought the appended
    // record may still be reading the refused source)
    await waitFor("the refusal's warning", () => Promise.resolve(worker!.lines.some((l) => l.msg === "storage archive poll failed" && l.archiveSourceId === refusedId) || undefined), 30_000, 100);
    expect(worker!.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});
