import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const sub = "3f2a1c9e-7b4d-4e8a-9c21-0d5e6f7a8b9c";
const goodArm = `/subscriptions/${sub}/resourceGroups/rg-backup-weu/providers/Microsoft.RecoveryServices/vaults/rsv-acme-prod`;


async function switchTenant(page: Page, name: string) {
  await page.getByTestId("tenant-switcher").click();
  await page.getByRole("combobox", { name: "Find tenant" }).fill(name);
  await page.keyboard.press("Enter");
  // the switch navigates; wait for it to land before the next click (under load the click could beat it)
  await expect(page.getByTestId("tenant-switcher")).toContainText(name);
}

test("operator flow: tenants, vaults, switching, bulk import, workspace keys", async ({ page }) => {
  test.setTimeout(120_000);
  const acme = `Acme ${run}`;
  const globex = `Globex ${run}`;

  await test.step("first run: the setup page creates the platform admin, once", async () => {
    // an earlier run's users in this database: /setup is closed and global-setup.ts made the admin
    if (!process.env.E2E_ADMIN_VIA_SETUP) return;
    await page.goto("/setup");
    await expect(page.getByText("Create the platform admin account")).toBeVisible();
    await page.getByLabel("Your name").fill("E2E Admin");
    await page.getByLabel("Email").fill(process.env.E2E_ADMIN_EMAIL ?? "");
    await page.getByLabel("Password", { exact: true }).fill(process.env.E2E_ADMIN_PASSWORD ?? "");
    await page.getByLabel("Confirm password").fill("not-the-same-password");
    await page.getByRole("button", { name: "Create admin" }).click();
    await expect(page.getByText("Passwords do not match")).toBeVisible();
    await shot(page, "00-setup");
    await expectAccessible(page, "setup page");
    await page.getByLabel("Confirm password").fill(process.env.E2E_ADMIN_PASSWORD ?? "");
    await page.getByRole("button", { name: "Create admin" }).click();
    await expect(page).toHaveURL(/\/login$/);
    // it works only once: with a user in the database it sends everyone to sign in
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/login$/);
  });

  await test.step("sign in", async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(process.env.E2E_ADMIN_EMAIL ?? "");
    await page.getByLabel("Password").fill("wrong-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toContainText("Wrong email or password");
    await shot(page, "01-login-error");
    await expectAccessible(page, "sign-in page");
    await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByText("No tenants yet")).toBeVisible();
    await shot(page, "02-no-tenants");
  });

  await test.step("create a tenant", async () => {
    await page.getByRole("button", { name: "New tenant" }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(acme);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await expect(page.getByRole("link", { name: acme })).toBeVisible();
    await shot(page, "03-tenant-created");
    await expectAccessible(page, "tenants");
    await page.getByRole("link", { name: acme }).click();
    await expect(page).toHaveURL(/\/t\/acme-[^/]+\/vaults$/);
    await expect(page.getByText("No vaults yet")).toBeVisible();
    await shot(page, "04-empty-vaults");
  });

  await test.step("register a vault: bad ARM id shows inline error, good one is listed", async () => {
    await page.getByRole("button", { name: "Register vault" }).first().click();
    await page.getByLabel("ARM id").fill("/subscriptions/nope/vaults/x");
    await page.getByRole("button", { name: "Register", exact: true }).click();
    await expect(page.getByTestId("armId-error")).toContainText("must look like /subscriptions/");
    await shot(page, "05-register-bad-arm");
    await expectAccessible(page, "register vault dialog");
    await page.getByLabel("ARM id").fill(goodArm);
    await page.getByLabel("Region (optional)").fill("West Europe");
    await page.getByRole("button", { name: "Register", exact: true }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByTestId("vault-row")).toHaveCount(1);
    await expect(page.getByTestId("vault-row")).toContainText("rsv-acme-prod");
    await expect(page.getByTestId("vault-row")).toContainText("westeurope");
    await shot(page, "06-vault-listed");
    await expectAccessible(page, "vaults");
  });

  await test.step("second tenant; the switcher changes the vault list", async () => {
    await page.getByRole("link", { name: "Tenants" }).click();
    await page.getByRole("button", { name: "New tenant" }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(globex);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await expect(page.getByRole("link", { name: globex })).toBeVisible();
    await shot(page, "07-two-tenants");

    await page.getByRole("link", { name: "Vaults" }).click();
    await expect(page.getByTestId("vault-row")).toHaveCount(1);
    await switchTenant(page, "Globex");
    await expect(page).toHaveURL(/\/t\/globex-[^/]+\/vaults$/);
    await expect(page.getByText("No vaults yet")).toBeVisible();
    await expect(page.getByTestId("vault-row")).toHaveCount(0);
    await page.getByTestId("tenant-switcher").click();
    await shot(page, "08-switcher-open");
    await page.keyboard.press("Escape");
  });

  await test.step("All tenants shows the vault with its tenant", async () => {
    await switchTenant(page, "All tenants");
    await expect(page).toHaveURL(/\/t\/all\/vaults$/);
    const row = page.getByTestId("vault-row").filter({ hasText: "rsv-acme-prod" });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("vault-tenant")).toHaveText(acme);
    await shot(page, "09-all-tenants");
  });

  await test.step("bulk import with one bad line shows that line and imports nothing", async () => {
    await switchTenant(page, "Globex");
    await expect(page).toHaveURL(/\/t\/globex-[^/]+\/vaults$/);
    await page.getByRole("button", { name: "Bulk import" }).first().click();
    const text = [
      "armId,region",
      `/subscriptions/${sub}/resourceGroups/rg-a/providers/Microsoft.RecoveryServices/vaults/rsv-globex-a,westeurope`,
      `/subscriptions/${sub}/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm1,westeurope`,
      `/subscriptions/${sub}/resourceGroups/rg-b/providers/Microsoft.RecoveryServices/vaults/rsv-globex-b,northeurope`,
    ].join("\n");
    await page.getByLabel("Vaults", { exact: true }).fill(text);
    const errors = page.getByTestId("bulk-error");
    await expect(errors).toHaveCount(1);
    await expect(errors.first()).toContainText("line 3");
    await expect(errors.first()).toContainText("must look like");
    await expect(page.getByTestId("bulk-submit")).toBeDisabled();
    await shot(page, "10-bulk-error");
    await page.keyboard.press("Escape");
    await expect(page.getByText("No vaults yet")).toBeVisible();
    await expect(page.getByTestId("vault-row")).toHaveCount(0);
  });

  await test.step("a local workspace shows its keys once", async () => {
    await page.getByRole("link", { name: "Workspaces" }).click();
    await expect(page).toHaveURL(/\/t\/globex-[^/]+\/workspaces$/);
    await page.getByRole("button", { name: "New local workspace" }).first().click();
    await page.getByRole("textbox", { name: "Name" }).fill("globex-local");
    await page.getByRole("button", { name: "Create workspace" }).click();
    const keys = page.getByRole("dialog", { name: /keys/i });
    await expect(keys).toContainText("you will not see these again", { ignoreCase: true });
    const ingest = await keys.getByTestId("ingest-key").inputValue();
    const query = await keys.getByTestId("query-key").inputValue();
    expect(ingest).toMatch(/^vwi_/);
    expect(query).toMatch(/^vwq_/);
    await shot(page, "11-workspace-keys");
    await expectAccessible(page, "workspace keys dialog");
    // the endpoints the dialog shows work with the keys it shows
    const ingestUrl = await keys.getByTestId("ingest-url").inputValue();
    const queryUrl = await keys.getByTestId("query-url").inputValue();
    const record = {
      time: "2026-11-20T02:00:00Z",
      resourceId: "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-globex",
      category: "AzureBackupReport",
      operationName: "Vault",
      properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", VaultName: "rsv-globex" },
    };
    const pushed = await page.request.post(ingestUrl, { headers: { authorization: `Bearer ${ingest}` }, data: { records: [record] } });
    expect(pushed.status()).toBe(200);
    const read = await page.request.post(queryUrl, { headers: { authorization: `Bearer ${query}` }, data: { query: "AzureDiagnostics | project VaultName_s" } });
    expect(((await read.json()) as { tables: { rows: unknown[][] }[] }).tables[0]!.rows).toEqual([["rsv-globex"]]);
    await keys.getByRole("button", { name: "I have saved them" }).click();
    const row = page.getByTestId("workspace-row").filter({ hasText: "globex-local" });
    await expect(row).toBeVisible();
    await expect(page.getByText(ingest)).toHaveCount(0);
    await shot(page, "12-workspaces");
    await expectAccessible(page, "workspaces");
  });

  await test.step("audit log across all tenants records the changes", async () => {
    await switchTenant(page, "All tenants");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(/\/t\/all\/audit$/);
    await expect(page.getByText("vault.register").first()).toBeVisible();
    await expect(page.getByText("workspace.create").first()).toBeVisible();
    await shot(page, "13-audit");
    await expectAccessible(page, "audit log");
  });

  await test.step("a user who asks for reduced motion gets no endless animation (a pulsing skeleton, a spinner)", async () => {
    const animation = () =>
      page.evaluate(() => {
        const probe = document.createElement("div");
        probe.className = "animate-pulse size-2";
        document.body.append(probe);
        const { animationIterationCount, animationDuration } = getComputedStyle(probe);
        probe.remove();
        return { animationIterationCount, animationDuration };
      });
    // the browser tests ask for reduced motion (playwright.config.ts)
    expect(await animation()).toEqual({ animationIterationCount: "1", animationDuration: "1e-05s" });
    await page.emulateMedia({ reducedMotion: "no-preference" });
    expect((await animation()).animationIterationCount).toBe("infinite");
    await page.emulateMedia({ reducedMotion: "reduce" });
  });
});
