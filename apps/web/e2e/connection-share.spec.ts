/**
 * Azure Lighthouse in a real browser: a platform admin shares the MSP's connection with a customer tenant ("Share with
 * a tenant…": the tenant, the link's name, the delegated subscription from the last test), and the customer's
 * connections list shows the link as shared from the MSP's connection, testable, with no secret to rotate.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";

const run = process.env.E2E_RUN_ID ?? "x";
const mspEntra = randomUUID();
const customerEntra = randomUUID();
const clientId = randomUUID();
const secret = "Zx8Q~e2e-lighthouse-secret";
const customerSub = randomUUID();
let azure: LocalAzure;

test.beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId: mspEntra, clientId, secret }],
    subscriptions: [
      { subscriptionId: randomUUID(), displayName: "MSP Tooling", actions: ["*/read"] },
      { subscriptionId: customerSub, displayName: "Northwind Production", tenantId: customerEntra, actions: ["*/read"] },
    ],
  });
});
test.afterAll(() => azure.close());

test("connections: share the MSP's connection with a customer tenant; the customer sees it as shared and tests it", async ({ page }) => {
  test.setTimeout(120_000);
  // a name no other spec gives its tenants (connections.spec.ts makes "Northwind …" in the same run)
  const customerName = `Tailspin Lighthouse ${run}`;
  let mspSlug = "";
  let customerSlug = "";

  await test.step("a customer tenant, and the MSP's tenant with its connection tested", async () => {
    await signInAsAdmin(page);
    customerSlug = await createTenant(page, customerName);
    mspSlug = await createTenant(page, `MSP ${run}`);
    await page.getByRole("link", { name: "Azure connections", exact: true }).click();
    await page.getByRole("button", { name: "Add connection" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add Azure connection" });
    await dialog.getByLabel("Name").fill("Lighthouse");
    await dialog.getByLabel("Entra tenant id").fill(mspEntra);
    await dialog.getByLabel("Client (application) id").fill(clientId);
    await dialog.getByLabel("Client secret").fill(secret);
    await dialog.getByLabel("Cloud").selectOption("Custom");
    await dialog.getByLabel("Authority host").fill(azure.url);
    await dialog.getByLabel("Resource Manager endpoint").fill(azure.url);
    await dialog.getByLabel("Log Analytics endpoint").fill(`${azure.url}/v1`);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Test Lighthouse" }).click();
    await expect(page.getByRole("row", { name: /Lighthouse/ }).first()).toContainText("2 subscriptions");
  });

  await test.step("Share with a tenant…: nothing chosen is refused under its fields; then the customer and its subscription", async () => {
    await page.getByRole("button", { name: "Share Lighthouse with a tenant" }).click();
    const dialog = page.getByRole("dialog", { name: "Share Lighthouse with a tenant" });
    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await expect(dialog.getByTestId("share-target-error")).toContainText("choose a tenant");
    await expect(dialog.getByTestId("share-subscriptions-error")).toContainText("choose at least one subscription");
    await dialog.getByLabel("Tenant", { exact: true }).selectOption({ label: customerName });
    await dialog.getByLabel("Name in that tenant").fill("Northwind via MSP");
    await expect(dialog.getByText(`delegated from Entra tenant ${customerEntra}`)).toBeVisible();
    await dialog.getByRole("checkbox", { name: /Northwind Production/ }).check();
    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("row", { name: /Lighthouse/ }).first()).toContainText("shared with 1 tenant");
  });

  await test.step("the customer's list shows the link as shared, without a secret to rotate, and its test lists its subscription only", async () => {
    await page.goto(`/t/${customerSlug}/connections`);
    const row = page.getByRole("row", { name: /Northwind via MSP/ }).first();
    await expect(row.getByTestId("shared-from")).toHaveText("shared from Lighthouse · 1 subscription");
    await expect(page.getByRole("button", { name: "Rotate secret of Northwind via MSP" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Remove Northwind via MSP" })).toHaveCount(0);
    await page.getByRole("button", { name: "Test Northwind via MSP" }).click();
    await expect(row).toContainText("1 subscription");
    await expect(page.locator("body")).not.toContainText("MSP Tooling");
  });

  await test.step("unshare from the MSP's side", async () => {
    await page.goto(`/t/${mspSlug}/connections`);
    await page.getByRole("button", { name: "Share Lighthouse with a tenant" }).click();
    const dialog = page.getByRole("dialog", { name: "Share Lighthouse with a tenant" });
    await dialog.getByRole("button", { name: `Unshare from ${customerName}` }).click();
    await expect(dialog.getByText("Shared with")).toBeHidden();
    await page.goto(`/t/${customerSlug}/connections`);
    await expect(page.getByText("No Azure connections")).toBeVisible();
  });
});
