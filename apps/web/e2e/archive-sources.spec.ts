/**
 * A storage-account archive in a real browser: an administrator adds the account (Azurite, Microsoft's storage
 * emulator, with its development key) on the Workspaces page; the real reader (packages/azure archive, run here as the
 * worker runs it) ingests a vault's PT1H.json into the local workspace, and the page shows the records and the state;
 * a source whose key is wrong shows Azure Storage's refusal with the role to grant.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { archivePoller, claimDueArchiveSources } from "@vaultwatch/azure";
import { DEV_ACCOUNT_KEY, devAccountClient, startAzurite, type Azurite } from "@vaultwatch/azure/test/azurite";
import { createDb, createPgPool, encryptSecret, parseEncryptionKey } from "@vaultwatch/db";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { expectAccessible } from "./a11y";
import { signInAsAdmin } from "./sign-in";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const key = parseEncryptionKey(process.env.E2E_ENCRYPTION_KEY ?? "");
const pool = createPgPool(process.env.DATABASE_URL ?? "", { max: 2, label: "e2e archive pool" });
const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
let azurite: Azurite;

test.beforeAll(async () => {
  azurite = await startAzurite();
});
test.afterAll(async () => {
  await azurite.close();
  await pool.end();
  await db.$disconnect();
});

/** One pass of the worker's reader over this tenant's sources. */
async function readNow(tenantId: string) {
  await pool.query(`UPDATE archive_source SET "nextPollAt" = now() WHERE "tenantId" = $1`, [tenantId]);
  const poller = archivePoller({
    pool,
    encryptionKey: key,
    ingest: async (scope, records, alsoInTransaction) => ({ activityEvents: (await ingestRecords(pool, { ...scope, registered: true }, records, { alsoInTransaction })).activityEvents.new.length }),
  });
  for (const s of await claimDueArchiveSources(pool, { limit: 10, leaseMs: 60_000, tenantIds: [tenantId] })) await poller.poll(s);
}

/** Two finished backup jobs of one vault in this hour's PT1H.json (AzureBackupReport, as the diagnostic setting archives them). */
async function archiveTwoJobs(vaultId: string) {
  const service = devAccountClient(azurite.blobEndpoint);
  const container = service.getContainerClient("insights-logs-azurebackupreport");
  await container.createIfNotExists();
  const at = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  const blob = container.getAppendBlobClient(`resourceId=${vaultId.toUpperCase()}/y=${at.getUTCFullYear()}/m=${p(at.getUTCMonth() + 1)}/d=${p(at.getUTCDate())}/h=${p(at.getUTCHours())}/m=00/PT1H.json`);
  await blob.createIfNotExists();
  const lines = ["Completed", "Failed"]
    .map((status) =>
      JSON.stringify({
        time: new Date().toISOString(),
        resourceId: vaultId.toUpperCase(),
        category: "AzureBackupReport",
        operationName: "Job",
        level: "Informational",
        properties: { SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", BackupItemUniqueId: "item-1", JobOperation: "Backup", JobStatus: status, JobUniqueId: randomUUID() },
      }),
    )
    .join("\n");
  await blob.appendBlock(`${lines}\n`, Buffer.byteLength(`${lines}\n`));
}

test("workspaces: a storage-account archive flows into a local workspace, and a refused key is shown", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = `northwind-archive-${randomBytes(3).toString("hex")}`;
  const vaultId = `/subscriptions/${randomUUID()}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/rsv-${randomBytes(3).toString("hex")}`;
  let tenantId = "";

  await test.step("a tenant with a local workspace", async () => {
    await signInAsAdmin(page);
    const admin = await db.user.findFirstOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL ?? "" } });
    tenantId = (await db.tenant.create({ data: { name: `Northwind Archive ${run}`, slug, memberships: { create: { userId: admin.id, role: "owner" } } } })).id;
    await db.workspace.create({ data: { tenantId, name: "Northwind archive", kind: "local" } });
    await page.goto(`/t/${slug}/workspaces`);
    await expect(page.getByRole("heading", { name: "Storage archive sources" })).toBeVisible({ timeout: 30_000 });
  });

  await test.step("add the storage account with its key; a bad value is named", async () => {
    await page.getByRole("button", { name: "Add archive source" }).click();
    const dialog = page.getByRole("dialog", { name: "Add storage archive source" });
    await dialog.getByLabel("Name").fill("Northwind storage");
    await dialog.getByLabel("Blob service URL").fill(azurite.blobEndpoint);
    await dialog.getByLabel("Into local workspace").selectOption({ label: "Northwind archive" });
    await dialog.getByLabel("Sign in with").selectOption("accountKey");
    await dialog.getByLabel("Account key").fill("not-a-key");
    await dialog.getByRole("button", { name: "Add source" }).click();
    await expect(dialog.getByTestId("as-secret-error")).toContainText("must be a storage account key");
    await dialog.getByLabel("Account key").fill(DEV_ACCOUNT_KEY);
    await dialog.getByRole("button", { name: "Add source" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("row", { name: /Northwind storage/ })).toContainText("waiting");
  });

  await test.step("after a read: the records are in the workspace and the source is healthy", async () => {
    await archiveTwoJobs(vaultId);
    await readNow(tenantId);
    await page.reload();
    const row = page.getByRole("row", { name: /Northwind storage/ });
    await expect(row).toContainText("ok");
    await expect(row).toContainText("read");
    await expect(row.getByRole("cell").nth(5)).toHaveText("2");
  });

  await test.step("a source whose key is wrong shows the storage account's refusal", async () => {
    const ws = await db.workspace.findFirstOrThrow({ where: { tenantId } });
    await db.archiveSource.create({ data: { tenantId, name: "Northwind old key", blobEndpoint: azurite.blobEndpoint, workspaceId: ws.id, credentialKind: "accountKey", secretEncrypted: encryptSecret(Buffer.alloc(64, 3).toString("base64"), key) } });
    await readNow(tenantId);
    await page.reload();
    const row = page.getByRole("row", { name: /Northwind old key/ });
    await expect(row).toContainText("failing");
    await expect(row.getByTestId("archive-source-error")).toContainText("AuthorizationFailure");
    await expect(row.getByTestId("archive-source-error")).toContainText("Storage Blob Data Reader");
    await expectAccessible(page, "workspaces with archive sources");
    await shot(page, "workspaces-archive-sources", { fullPage: true });
  });
});
