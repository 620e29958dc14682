/**
 * Vault discovery and the one-click diagnostic fix in a real browser, against the local Azure over https (the web
 * server trusts its certificate): Discover now registers the customer's vaults with their diagnostics status, one
 * vault's fix is confirmed in a dialog that lists the plan, and the vault then sends; a vault gone from Azure shows as
 * vanished.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { fakeVaultId, startLocalAzure, type FakeVault, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { createDb, encryptSecret, parseEncryptionKey } from "@vaultwatch/db";
import { expectAccessible } from "./a11y";
import { signInAsAdmin } from "./sign-in";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Qw3~e2e-vault-discovery";
const azureSubscriptionId = randomUUID();
const workspaceArmId = `/subscriptions/${azureSubscriptionId}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-tailspin`;
const key = parseEncryptionKey(process.env.E2E_ENCRYPTION_KEY ?? "");
const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
const vault = (name: string, extra: Partial<FakeVault> = {}): FakeVault => ({ subscriptionId: azureSubscriptionId, resourceGroup: "backup-rg", name, location: "westeurope", ...extra });
let azure: LocalAzure;

test.beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }], subscriptions: [{ subscriptionId: azureSubscriptionId, displayName: "Tailspin Production", actions: ["*/read"] }] });
  azure.vaults.push(vault("rsv-reporting"), vault("rsv-bare"), vault("rsv-locked", { diagnosticsReadStatus: 403 }));
  azure.diagnosticSettings.set(fakeVaultId(vault("rsv-reporting")).toLowerCase(), [{ name: "backup-reports", workspaceId: workspaceArmId, logs: [{ category: "AzureBackupReport", enabled: true }] }]);
});
test.afterAll(async () => {
  await azure.close();
  await db.$disconnect();
});

test("vaults: discover a customer's vaults, see their diagnostics, fix one after confirming the plan", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = `tailspin-${randomBytes(3).toString("hex")}`;
  const row = (name: string) => page.getByTestId("vault-row").filter({ hasText: name });

  await test.step("a tenant with a connection to the local Azure, its subscription and its Log Analytics workspace", async () => {
    await signInAsAdmin(page);
    const admin = await db.user.findFirstOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL ?? "" } });
    const tenantId = (await db.tenant.create({ data: { name: `Tailspin ${run}`, slug, memberships: { create: { userId: admin.id, role: "owner" } } } })).id;
    const conn = await db.azureConnection.create({
      data: { tenantId, name: "Tailspin (local Azure)", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
    });
    await db.subscription.create({ data: { tenantId, azureSubscriptionId, displayName: "Tailspin Production", connectionId: conn.id } });
    await db.workspace.create({ data: { tenantId, name: "Tailspin LA", kind: "azure", azureWorkspaceId: randomUUID(), armId: workspaceArmId, connectionId: conn.id } });
    await page.goto(`/t/${slug}/vaults`);
    await expect(page.getByText("No vaults yet")).toBeVisible({ timeout: 30_000 });
  });

  await test.step("Discover now: every vault with its diagnostics status", async () => {
    await page.getByRole("button", { name: "Discover now" }).click();
    await expect(row("rsv-reporting")).toContainText("sends", { timeout: 30_000 });
    await expect(row("rsv-reporting")).toContainText("legacy");
    await expect(row("rsv-bare")).toContainText("sends nothing");
    await expect(row("rsv-locked")).toContainText("cannot read");
    await expect(row("rsv-locked").getByTestId("diagnostics-status")).toHaveAttribute("title", /needs Reader or Monitoring Reader/);
    await expect(page.getByTestId("discovery-state")).toContainText("Tailspin (local Azure): discovered");
    await shot(page, "vaults-discovered");
    await expectAccessible(page, "vaults with their diagnostics status");
  });

  await test.step("fix one vault: the dialog lists exactly what changes, Apply writes only what was reviewed, and makes it send", async () => {
    await page.getByRole("button", { name: "Fix diagnostics of rsv-bare" }).click();
    const dialog = page.getByRole("dialog", { name: "Fix diagnostic settings of rsv-bare" });
    const step = dialog.getByTestId("fix-step");
    await expect(step).toContainText('rsv-bare: create setting "vaultwatch"');
    await expect(step).toContainText("before: no setting");
    await expect(step).toContainText(`after: CoreAzureBackup, AddonAzureBackupJobs, AddonAzureBackupAlerts, AddonAzureBackupPolicy, AddonAzureBackupStorage, AddonAzureBackupProtectedInstance → ${workspaceArmId} (Dedicated)`);
    expect(azure.requests.filter((r) => r.startsWith("PUT "))).toEqual([]);
    await shot(page, "vaults-fix-plan");
    await expectAccessible(page, "the fix's confirmation");

    // while the plan is on screen, someone creates "vaultwatch" in the portal, sending to another workspace: Apply
    // writes nothing and the dialog shows the plan of what Azure holds now, to be reviewed again
    const portalWorkspace = workspaceArmId.replace(/[^/]+$/, "law-portal");
    const six = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];
    azure.diagnosticSettings.set(fakeVaultId(vault("rsv-bare")).toLowerCase(), [{ name: "vaultwatch", workspaceId: portalWorkspace, logAnalyticsDestinationType: "Dedicated", logs: six.map((category) => ({ category, enabled: true })) }]);
    await dialog.getByRole("button", { name: "Apply 1 change" }).click();
    await expect(page.getByText("the diagnostic settings changed since you reviewed them; review again")).toBeVisible({ timeout: 30_000 });
    await expect(step).toContainText('rsv-bare: update setting "vaultwatch"', { timeout: 30_000 });
    await expect(step).toContainText(`before: ${six.join(", ")} → ${portalWorkspace} (Dedicated)`);
    expect(azure.requests.filter((r) => r.startsWith("PUT "))).toEqual([]);
    await shot(page, "vaults-fix-plan-changed");
    await expectAccessible(page, "the fix's confirmation after the settings changed");
    await dialog.getByRole("button", { name: "Apply 1 change" }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expect(row("rsv-bare")).toContainText("resource-specific");
    await expect(row("rsv-bare").getByTestId("diagnostics-status")).toContainText("sends");
    expect(azure.requests.filter((r) => r.startsWith("PUT "))).toHaveLength(1);
  });

  await test.step("a vault deleted in Azure shows as vanished after the next discovery", async () => {
    azure.vaults.splice(azure.vaults.findIndex((v) => v.name === "rsv-locked"), 1);
    await page.getByRole("button", { name: "Discover now" }).click();
    await expect(row("rsv-locked")).toContainText("vanished", { timeout: 30_000 });
    await shot(page, "vaults-vanished");
  });
});
