/**
 * The seed's six backup views in a real browser, each with data: jobs, restores, built-in alerts for Azure and
 * on-premises items, protected items and cloud storage are pushed to a local workspace as a vault's diagnostic setting
 * sends them (AzureDiagnostics, AzureBackupReport V2). The backup jobs view charts them by status, a click on Failed
 * lists the failing item, a click on it shows its job history with the failure code; an alert's item opens the same
 * history; every view is checked with axe. The browser runs in Berlin: times read in its zone, UTC on hover.
 */
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const VAULT = "/subscriptions/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-tailspin";
const WEB = "eastus;iaasvmcontainerv2;rg-app;vm-web-01";
const SQL = "eastus;iaasvmcontainerv2;rg-app;vm-sql-02";
const MARS = "eastus;mab;fs-01.contoso.local;mars-fs-01";
const STORAGE = "rsv-tailspin;cloud";
const ZONE = "Europe/Berlin";

test.use({ timezoneId: ZONE, locale: "en-US" });


const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const report = (operationName: string, at: string, properties: Record<string, string>) => ({
  time: at,
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName,
  properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", ...properties },
});
const item = (id: string, name: string, more: Record<string, string> = {}) =>
  report("BackupItem", hoursAgo(1), { BackupItemUniqueId: id, BackupItemFriendlyName: name, BackupItemType: "VM", ProtectionState: "Protected", ...more });
const job = (id: string, h: number, status: string, code = "Success", operation = "Backup") =>
  report("Job", hoursAgo(h), {
    BackupItemUniqueId: id,
    JobOperation: operation,
    AdHocOrScheduledJob: "Scheduled",
    JobStatus: status,
    JobFailureCode: code,
    JobStartDateTime: hoursAgo(h + 0.5).replace("T", " ").slice(0, 19),
    JobDurationInSecs: "1800",
    DataTransferredInMB: status === "Completed" ? "2048" : "0",
    JobUniqueId: randomUUID(),
  });

/** A built-in alert as Azure Backup reports it; an on-premises (MARS) one carries a GUID id and its own management type. */
const alert = (id: string, h: number, severity: string, code: string, action: string, onPremises = false) => ({
  ...report("Alert", hoursAgo(h), {
    AlertUniqueId: onPremises ? randomUUID() : `${id};${code}`,
    AlertType: "Backup",
    AlertStatus: "Active",
    AlertSeverity: severity,
    AlertOccurrenceDateTime: hoursAgo(h).replace("T", " ").slice(0, 19),
    AlertRaisedOn: "BackupItem",
    AlertCode: code,
    RecommendedAction: action,
    BackupItemUniqueId: id,
    ...(onPremises ? { BackupManagementType: "MAB" } : {}),
  }),
});
/** The vault's cloud storage and what each item takes of it. */
const storage = (id: string, mb: number, h = 1) => report("StorageAssociation", hoursAgo(h), { StorageUniqueId: STORAGE, BackupItemUniqueId: id, StorageConsumedInMBs: String(mb), StorageAllocatedInMBs: String(mb * 1.1) });

async function seedWorkspace(slug: string, name = "Tailspin LA") {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    const ingest = generateApiKey("vwi");
    const query = generateApiKey("vwq");
    const ws = await db.workspace.create({ data: { tenantId: tenant.id, name, kind: "local", ingestKeyHash: ingest.hash, queryKeyHash: query.hash } });
    return { workspaceId: ws.id, ingestKey: ingest.key };
  } finally {
    await db.$disconnect();
  }
}

/** The local time a Berlin user reads for an ISO time (what the page shows), and its UTC form (what the tooltip adds). */
const berlin = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: ZONE });
const utcOf = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/** Opens one of the six views by its tab and waits for its chart. */
async function openView(page: Page, tab: string, path: string) {
  await page.getByRole("navigation", { name: "Backup views" }).getByRole("link", { name: tab, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/views/${path}$`));
  await expect(page.getByTestId("view-chart")).toBeVisible({ timeout: 90_000 });
}

test("backup views: all six with data, the failing item's history with its failure code, times in the user's zone", async ({ page }) => {
  test.setTimeout(300_000);
  const tenantName = `Tailspin Views ${run}`;
  let slug = "";
  let workspaceId = "";
  const lastSuccess = hoursAgo(46);

  await test.step("sign in, create a tenant, push a vault's backup report to its workspace", async () => {
    await signInAsAdmin(page);
    slug = await createTenant(page, tenantName);
    const seeded = await seedWorkspace(slug);
    workspaceId = seeded.workspaceId;
    // vm-web-01 backed up fine, then failed twice since (and Azure raised an alert); vm-sql-02 backed up fine three
    // times and was restored once; the MARS agent of fs-01 could not reach Azure Backup
    const records = [
      item(WEB, "vm-web-01"),
      item(SQL, "vm-sql-02"),
      item(MARS, "mars-fs-01", { BackupManagementType: "MAB", BackupItemType: "FileFolder" }),
      job(WEB, 70, "Completed"),
      { ...job(WEB, 46, "Completed"), time: lastSuccess },
      job(WEB, 22, "Failed", "UserErrorGuestAgentStatusUnavailable"),
      job(WEB, 2, "Failed", "UserErrorGuestAgentStatusUnavailable"),
      job(SQL, 70, "Completed"),
      job(SQL, 46, "Completed"),
      job(SQL, 22, "Completed"),
      job(SQL, 10, "Completed", "Success", "Restore"),
      alert(WEB, 2, "Critical", "UserErrorGuestAgentStatusUnavailable", "Ensure the VM agent is installed, running and up to date, then retry the backup."),
      alert(MARS, 5, "Critical", "100050", "The agent could not reach Azure Backup: check the proxy and firewall settings of the server.", true),
      report("Storage", hoursAgo(1), { StorageUniqueId: STORAGE, StorageType: "Cloud", StorageName: "Cloud", StorageTotalSizeInGBs: "70" }),
      // a reading a day, growing: the chart draws a line per vault
      ...[73, 49, 25].flatMap((h, i) => [storage(WEB, 46_080 + i * 1_024, h), storage(SQL, 18_432 + i * 512, h)]),
      storage(WEB, 51_200),
      storage(SQL, 20_480),
    ];
    const pushed = await page.request.post(`/api/ingest/${workspaceId}/records`, { headers: { authorization: `Bearer ${seeded.ingestKey}` }, data: { records } });
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

  await test.step("click 2: the item's job history, with the failure code and since when, in Berlin time", async () => {
    await page.getByRole("row", { name: "Item vm-web-01" }).click();
    await expect(page).toHaveURL(/item=/);
    const panel = page.getByRole("dialog");
    await expect(panel).toContainText("4 jobs in the range · 2 failed");
    const jobs = panel.getByRole("table", { name: "Job history" }).locator("tbody tr");
    await expect(jobs).toHaveCount(4);
    await expect(jobs.nth(0)).toContainText("Failed");
    await expect(jobs.nth(0)).toContainText("UserErrorGuestAgentStatusUnavailable");
    await expect(jobs.nth(3)).toContainText("Completed");
    // "since the last success" in the user's zone; hovering it shows the same moment in UTC
    const since = panel.locator("time").filter({ hasText: berlin(lastSuccess) });
    await expect(since).toHaveAttribute("datetime", new Date(lastSuccess).toISOString());
    await since.hover();
    await expect(page.getByTestId("time-tooltip").first()).toContainText(utcOf(lastSuccess));
    await shot(page, "views-item-history");
    await expectAccessible(page, "backup item history panel");
    // the first Escape closes the tooltip (the layer on top), the next one the panel
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("time-tooltip")).toHaveCount(0);
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    // closing the panel keeps the slice
    await expect(page).toHaveURL(/status=Failed/);
    await expect(page).not.toHaveURL(/item=/);
  });

  await test.step("the back button steps back through the choices", async () => {
    await page.goBack();
    await expect(page.getByRole("dialog")).toContainText("4 jobs in the range");
    await page.goBack();
    await expect(page.getByRole("dialog")).toBeHidden();
    await page.goBack();
    await expect(page).not.toHaveURL(/status=Failed/);
    await expect(page.getByText("2 items")).toBeVisible();
  });

  await test.step("restore jobs: the restore of vm-sql-02", async () => {
    await openView(page, "Restore jobs", "restore-jobs");
    await expect(page.getByRole("group", { name: "Status" }).getByRole("button", { name: /Completed\s*1/ })).toBeVisible();
    await expect(page.getByRole("row", { name: "Item vm-sql-02" })).toBeVisible();
    await shot(page, "views-restore-jobs");
    await expectAccessible(page, "restore jobs view");
  });

  await test.step("Azure alerts: the VM's alert, whose item opens its job history", async () => {
    await openView(page, "Azure alerts", "azure-alerts");
    await expect(page.getByRole("group", { name: "Severity" }).getByRole("button", { name: /Critical\s*1/ })).toBeVisible();
    const row = page.getByRole("row", { name: "Item vm-web-01" });
    await expect(row).toContainText("UserErrorGuestAgentStatusUnavailable");
    await expect(page.getByRole("row", { name: "Item mars-fs-01" })).toHaveCount(0);
    await shot(page, "views-azure-alerts");
    await expectAccessible(page, "Azure alerts view");
    await row.click();
    const panel = page.getByRole("dialog");
    await expect(panel.getByRole("table", { name: "Job history" }).locator("tbody tr").first()).toContainText("UserErrorGuestAgentStatusUnavailable");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });

  await test.step("on-premises alerts: the MARS agent's", async () => {
    await openView(page, "On-premises alerts", "on-premises-alerts");
    const row = page.getByRole("row", { name: "Item mars-fs-01" });
    await expect(row).toContainText("100050");
    await expect(row).toContainText("check the proxy and firewall");
    await expect(page.getByRole("row", { name: "Item vm-web-01" })).toHaveCount(0);
    await shot(page, "views-on-premises-alerts");
    await expectAccessible(page, "on-premises alerts view");
  });

  await test.step("datasources: the three protected items", async () => {
    await openView(page, "Datasources", "active-datasources");
    await expect(page.getByRole("group", { name: "Protection state" }).getByRole("button", { name: /Protected\s*3/ })).toBeVisible();
    await expect(page.getByRole("row", { name: "Item mars-fs-01" })).toBeVisible();
    await shot(page, "views-datasources");
    await expectAccessible(page, "datasources view");
  });

  await test.step("the Overview's 'without a successful backup in 24 h': vm-web-01 (failed since) and mars-fs-01 (no job), not vm-sql-02", async () => {
    await page.goto(`/t/${slug}/views/active-datasources?protectionState=Protected&nosuccess=24h&range=14d`);
    await expect(page.getByText("No successful backup in 24 h")).toBeVisible();
    await expect(page.getByRole("row", { name: "Item vm-web-01" })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole("row", { name: "Item mars-fs-01" })).toBeVisible();
    await expect(page.getByRole("row", { name: "Item vm-sql-02" })).toHaveCount(0);
    await shot(page, "views-datasources-without-success");
    await expectAccessible(page, "datasources without a successful backup");
    // the tabs keep the range: back to the default for the next view
    await page.goto(`/t/${slug}/views/active-datasources`);
  });

  await test.step("cloud storage: what each item takes of the vault", async () => {
    await openView(page, "Cloud storage", "cloud-storage");
    await expect(page.getByRole("group", { name: "Vault" }).getByRole("button", { name: /rsv-tailspin/i })).toBeVisible();
    await expect(page.getByRole("row", { name: "Item vm-web-01" })).toContainText("50.0 GB");
    await expect(page.getByRole("row", { name: "Item vm-sql-02" })).toContainText("20.0 GB");
    await shot(page, "views-cloud-storage");
    await expectAccessible(page, "cloud storage view");
  });

  await test.step("a view's query opens in Logs", async () => {
    await openView(page, "Backup jobs", "backup-jobs");
    const href = await page.getByRole("link", { name: "Open in Logs" }).getAttribute("href");
    const url = new URL(href ?? "", "http://x");
    expect(url.pathname).toBe(`/t/${slug}/logs`);
    expect(url.searchParams.get("q")).toContain('OperationName == "Job"');
    expect(url.searchParams.get("ws")).toBe(workspaceId);
    expect(url.searchParams.get("range")).toBe("P7D");
  });

  await test.step("across all tenants, Logs is offered per tenant", async () => {
    const other = `Tailspin Views B ${run}`;
    const otherSlug = await createTenant(page, other);
    const otherWs = await seedWorkspace(otherSlug, "Tailspin B LA");
    await page.goto("/t/all/views/backup-jobs");
    await expect(page.getByTestId("view-chart")).toBeVisible({ timeout: 90_000 });
    await page.getByRole("button", { name: "Open in Logs" }).click();
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem", { name: tenantName, exact: true })).toBeVisible();
    await expect(menu.getByRole("menuitem", { name: other, exact: true })).toHaveAttribute("href", new RegExp(`^/t/${otherSlug}/logs\\?.*ws=${otherWs.workspaceId}`));
    await shot(page, "views-all-tenants-logs-menu");
    await expectAccessible(page, "Open in Logs menu");
    await menu.getByRole("menuitem", { name: tenantName, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/logs\\?`));
  });
});
