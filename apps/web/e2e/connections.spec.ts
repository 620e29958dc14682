/**
 * Azure connections in a real browser: a custom-cloud connection to a local Azure (https, Entra + Resource Manager,
 * packages/azure/test/fake-azure.ts) is added, tested, and its subscriptions shown with what the roles allow; a wrong
 * secret shows Entra's code and what to do.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";

const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Kp8~e2e-connection-secret";
let azure: LocalAzure;

test.beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret }],
    subscriptions: [
      { subscriptionId: randomUUID(), displayName: "Northwind Production", actions: ["*/read"] },
      { subscriptionId: randomUUID(), displayName: "Northwind Backup", actions: ["*/read", "Microsoft.Insights/diagnosticSettings/*"] },
    ],
  });
});
test.afterAll(() => azure.close());

test("connections: add a custom-cloud connection, test it, see what it may do; a wrong secret gets advice", async ({ page }) => {
  test.setTimeout(120_000);
  const tenantName = `Northwind ${run}`;

  await test.step("sign in and create a tenant", async () => {
    await signInAsAdmin(page);
    await createTenant(page, tenantName);
    await page.getByRole("link", { name: "Azure connections", exact: true }).click();
    await expect(page.getByText("No Azure connections")).toBeVisible();
  });

  await test.step("add it: a plain http endpoint is refused under its field", async () => {
    await page.getByRole("button", { name: "Add connection" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add Azure connection" });
    await dialog.getByLabel("Name").fill("Northwind (local Azure)");
    await dialog.getByLabel("Entra tenant id").fill(entraTenantId);
    await dialog.getByLabel("Client (application) id").fill(clientId);
    await dialog.getByLabel("Client secret").fill(secret);
    await dialog.getByLabel("Cloud").selectOption("Custom");
    await dialog.getByLabel("Authority host").fill(azure.url.replace("https:", "http:"));
    await dialog.getByLabel("Resource Manager endpoint").fill(azure.url);
    await dialog.getByLabel("Log Analytics endpoint").fill(`${azure.url}/v1`);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog.getByTestId("conn-authorityHost-error")).toHaveText("must be an https:// URL");
    await dialog.getByLabel("Authority host").fill(azure.url);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("row", { name: /Northwind \(local Azure\)/ })).toContainText("Not tested");
  });

  await test.step("test it: two subscriptions, and which features each allows", async () => {
    await page.getByRole("button", { name: "Test Northwind (local Azure)" }).click();
    const row = page.getByRole("row", { name: /Northwind \(local Azure\)/ }).first();
    await expect(row).toContainText("2 subscriptions");
    const details = page.getByRole("status").filter({ hasText: "Northwind Backup" });
    await expect(details).toContainText("Northwind Production");
    // Reader may not fix diagnostics; Monitoring Contributor's diagnosticSettings/* may
    const production = details.getByRole("row", { name: /Northwind Production/ });
    await expect(production.getByLabel("Fix diagnostics: needs Monitoring Contributor")).toBeVisible();
    await expect(production.getByLabel("Discover vaults: allowed")).toBeVisible();
    await expect(details.getByRole("row", { name: /Northwind Backup/ }).getByLabel("Fix diagnostics: allowed")).toBeVisible();
    await shot(page, "connections-tested");
    await expectAccessible(page, "connections");
  });

  await test.step("the list filters on the server, its filters in the URL", async () => {
    await page.getByTestId("connections-origin-filter").selectOption("shared");
    await expect(page).toHaveURL(/origin=shared/);
    await expect(page.getByText("No connection matches these filters")).toBeVisible();
    await page.getByTestId("clear-filters").click();
    await page.getByTestId("connections-search").fill("northwind");
    await expect(page).toHaveURL(/q=northwind/);
    await expect(page.getByRole("row", { name: /Northwind \(local Azure\)/ }).first()).toBeVisible();
    await page.getByTestId("clear-filters").click();
    await expect(page).not.toHaveURL(/q=|origin=/);
  });

  await test.step("a rotated wrong secret: the test names Entra's code and what to do", async () => {
    await page.getByRole("button", { name: "Rotate secret of Northwind (local Azure)" }).click();
    await page.getByLabel("New client secret").fill("not-the-right-secret");
    await page.getByRole("button", { name: "Save new secret" }).click();
    await page.getByRole("button", { name: "Test Northwind (local Azure)" }).click();
    await expect(page.getByRole("row", { name: /Northwind \(local Azure\)/ }).first()).toContainText("AADSTS7000215");
    await expect(page.getByRole("status").filter({ hasText: "Sign-in failed" })).toContainText("The client secret is wrong");
    await shot(page, "connections-wrong-secret");
  });
});
