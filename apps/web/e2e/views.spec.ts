/**
 * The seed's backup views in a real browser, from a red number to the failing item in two clicks: backup-job and
 * backup-item records are pushed to a local workspace as a vault's diagnostic setting sends them (AzureDiagnostics,
 * AzureBackupReport V2); the Backups page charts them by status, a click on Failed lists the failing item, a click on
 * it shows its job history with the failure code. The other views answer "no data yet" where nothing was sent.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";
import { expectAccessible } from "./a11y";

const run = process.env.E2E_RUN_ID ?? "x";
const shots = "e2e/screenshots";
const VAULT = "/subscriptions/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-tailspin";
const WEB = "eastus;iaasvmcontainerv2;rg-app;vm-web-01";
const SQL = "eastus;iaasvmcontainerv2;rg-app;vm-sql-02";

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const report = (operationName: string, at: string, properties: Record<string, string>) => ({
  time: at,
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName,
  properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", ...properties },
});
const item = (id: string, name: string) =>
  report("BackupItem", hoursAgo(1), { BackupItemUniqueId: id, BackupItemFriendlyName: name, BackupItemType: "VM", ProtectionState: "Protected" });
const job = (id: string, h: number, status: string, code = "Success") =>
  report("Job", hoursAgo(h), {
    BackupItemUniqueId: id,
    JobOperation: "Backup",
    AdHocOrScheduledJob: "Scheduled",
    JobStatus: status,
    JobFailureCode: code,
    JobStartDateTime: hoursAgo(h + 0.5).replace("T", " ").slice(0, 19),
    JobDurationInSecs: "1800",
    DataTransferredInMB: status === "Completed" ? "2048" : "0",
    JobUniqueId: randomUUID(),
  });

async function seedWorkspace(slug: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    const ingest = generateApiKey("vwi");
    const query = generateApiKey("vwq");
    const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "Tailspin LA", kind: "local", ingestKeyHash: ingest.hash, queryKeyHash: query.hash } });
    return { workspaceId: ws.id, ingestKey: ingest.key };
  } finally {
    await db.$disconnect();
  }
}

test("backup views: failed jobs charted, the failing item listed, its history with the failure code", async ({ page }) => {
  test.setTimeout(240_000);
  const tenantName = `Tailspin Views ${run}`;
  let slug = "";

  await test.step("sign in, create a tenant, push a vault's backup report to its workspace", async () => {
    await signInAsAdmin(page);
    slug = await createTenant(page, tenantName);
    const { workspaceId, ingestKey } = await seedWorkspace(slug);
    // vm-web-01 backed up fine, then failed twice since; vm-sql-02 backed up fine three times
    const records = [
      item(WEB, "vm-web-01"),
      item(SQL, "vm-sql-02"),
      job(WEB, 70, "Completed"),
      job(WEB, 46, "Completed"),
      job(WEB, 22, "Failed", "UserErrorGuestAgentStatusUnavailable"),
      job(WEB, 2, "Failed", "UserErrorGuestAgentStatusUnavailable"),
      job(SQL, 70, "Completed"),
      job(SQL, 46, "Completed"),
      job(SQL, 22, "Completed"),
    ];
    const pushed = await page.request.post(`/api/ingest/${workspaceId}/records`, { headers: { authorization: `Bearer ${ingestKey}` }, data: { records } });
    expect(pushed.status()).toBe(200);
  });

  await test.step("the backup jobs view charts them by status", async () => {
    await page.getByRole("link", { name: "Backups", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/views/backup-jobs$`));
    await expect(page.getByTestId("view-chart")).toBeVisible({ timeout: 90_000 });
    const statuses = page.getByRole("group", { name: "Status" });
    await expect(statuses.getByRole("button", { name: /Completed\s*5/ })).toBeVisible();
    await expect(statuses.getByRole("button", { name: /Failed\s*2/ })).toBeVisible();
    await expect(page.getByText("2 items")).toBeVisible();
    await shot(page, "views-backup-jobs");
    await expectAccessible(page, "backup jobs view");
  });

  await test.step("click 1: Failed narrows the list to the failing item", async () => {
    await page.getByRole("group", { name: "Status" }).getByRole("button", { name: /Failed/ }).click();
    await expect(page).toHaveURL(/status=Failed/);
    await expect(page.getByText("1 item", { exact: true })).toBeVisible();
    const row = page.getByRole("row", { name: "Item vm-web-01" });
    await expect(row).toContainText("UserErrorGuestAgentStatusUnavailable");
    await expect(page.getByRole("row", { name: "Item vm-sql-02" })).toHaveCount(0);
  });

  await test.step("click 2: the item's job history, with the failure code and since when", async () => {
    await page.getByRole("row", { name: "Item vm-web-01" }).click();
    const panel = page.getByRole("dialog");
    await expect(panel).toContainText("4 jobs in the range · 2 failed");
    const jobs = panel.getByRole("table", { name: "Job history" }).locator("tbody tr");
    await expect(jobs).toHaveCount(4);
    await expect(jobs.nth(0)).toContainText("Failed");
    await expect(jobs.nth(0)).toContainText("UserErrorGuestAgentStatusUnavailable");
    await expect(jobs.nth(3)).toContainText("Completed");
    await shot(page, "views-item-history");
    await expectAccessible(page, "backup item history panel");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });

  await test.step("datasources list both items; restore jobs have no data yet", async () => {
    await page.getByRole("link", { name: "Datasources", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/views/active-datasources$`));
    await expect(page.getByRole("group", { name: "Protection state" }).getByRole("button", { name: /Protected\s*2/ })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole("row", { name: "Item vm-sql-02" })).toBeVisible();
    await page.getByRole("link", { name: "Restore jobs", exact: true }).click();
    await expect(page.getByText("No data yet").first()).toBeVisible({ timeout: 90_000 });
    await shot(page, "views-no-data");
    await expectAccessible(page, "backup view without data");
  });

  await test.step("a view's query opens in Logs", async () => {
    await page.getByRole("link", { name: "Backup jobs", exact: true }).click();
    await expect(page.getByTestId("view-chart")).toBeVisible({ timeout: 90_000 });
    const href = await page.getByRole("link", { name: "Open in Logs" }).getAttribute("href");
    const url = new URL(href ?? "", "http://x");
    expect(url.pathname).toBe(`/t/${slug}/logs`);
    expect(url.searchParams.get("q")).toContain('OperationName == "Job"');
    expect(url.searchParams.get("range")).toBe("P7D");
  });
});
