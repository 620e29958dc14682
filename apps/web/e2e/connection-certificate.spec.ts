/**
 * An Azure connection that signs in with a certificate, in a real browser: the add dialog's choice between a client
 * secret and a certificate, the PEM chosen as a file, a malformed PEM refused under its field, the test going green
 * through a client assertion the local Azure verifies, and a certificate the app registration does not hold getting
 * Entra's AADSTS700027 with plain advice.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { makeClientCertificate, startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";

const run = process.env.E2E_RUN_ID ?? "x";
const entraTenantId = randomUUID();
const clientId = randomUUID();
const registered = makeClientCertificate("vaultwatch-tailspin");
const stranger = makeClientCertificate("vaultwatch-other");
let azure: LocalAzure;

test.beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, certificates: [registered.certificate] }],
    subscriptions: [{ subscriptionId: randomUUID(), displayName: "Tailspin Backup", actions: ["*/read"] }],
  });
});
test.afterAll(() => azure.close());

test("connections: sign in with a certificate; a malformed PEM is refused under its field; an unknown certificate gets advice", async ({ page }) => {
  test.setTimeout(120_000);
  const name = "Tailspin (certificate)";

  await test.step("sign in and create a tenant", async () => {
    await signInAsAdmin(page);
    await createTenant(page, `Tailspin ${run}`);
    await page.getByRole("link", { name: "Azure connections", exact: true }).click();
  });

  await test.step("add it with a certificate: a PEM without its key is refused, the file with both is taken", async () => {
    await page.getByRole("button", { name: "Add connection" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add Azure connection" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Entra tenant id").fill(entraTenantId);
    await dialog.getByLabel("Client (application) id").fill(clientId);
    await dialog.getByRole("radio", { name: "Certificate" }).click();
    await dialog.getByLabel("Certificate and private key (PEM)").fill(registered.certificate);
    await dialog.getByLabel("Cloud").selectOption("Custom");
    await dialog.getByLabel("Authority host").fill(azure.url);
    await dialog.getByLabel("Resource Manager endpoint").fill(azure.url);
    await dialog.getByLabel("Log Analytics endpoint").fill(`${azure.url}/v1`);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog.getByTestId("conn-certificate-error")).toContainText("must also hold the certificate's private key");
    await dialog.getByLabel("Certificate file").setInputFiles({ name: "tailspin.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(registered.pem) });
    await expect(dialog.getByLabel("Certificate and private key (PEM)")).toHaveValue(registered.pem);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("row", { name: new RegExp(name.replace(/[()]/g, "\\$&")) }).first()).toContainText("certificate");
  });

  await test.step("test it: signed in with the certificate, the subscription listed", async () => {
    await page.getByRole("button", { name: `Test ${name}` }).click();
    await expect(page.getByRole("row", { name: /Tailspin \(certificate\)/ }).first()).toContainText("1 subscription");
    expect(azure.signIns.map((s) => s.method)).toContain("certificate");
  });

  await test.step("a certificate the app registration does not hold: AADSTS700027 and what to do", async () => {
    await page.getByRole("button", { name: `Rotate secret of ${name}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Certificate and private key (PEM)").fill(stranger.pem);
    await dialog.getByRole("button", { name: "Save new certificate" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: `Test ${name}` }).click();
    await expect(page.getByRole("row", { name: /Tailspin \(certificate\)/ }).first()).toContainText("AADSTS700027");
    await expect(page.getByRole("status").filter({ hasText: "Sign-in failed" })).toContainText("not among the app registration's certificates");
  });
});
