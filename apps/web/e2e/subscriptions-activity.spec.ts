/**
 * A subscription's activity-log polling in a real browser: the subscription is given a local workspace to poll into,
 * the real poller (packages/azure activity-log, run here as the worker runs it) reads the local Azure's activity log,
 * and the Subscriptions page shows the poll's health; when the app loses its permission, Azure's code and the advice.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { activityPoller, claimDueSubscriptions } from "@vaultwatch/azure";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { createDb, createPgPool, encryptSecret, parseEncryptionKey } from "@vaultwatch/db";
import { ingestActivityEvents } from "@vaultwatch/local-workspace";
import { expectAccessible } from "./a11y";
import { signInAsAdmin } from "./sign-in";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Qw3~e2e-activity-poll";
const azureSubscriptionId = randomUUID();
const key = parseEncryptionKey(process.env.E2E_ENCRYPTION_KEY ?? "");
const pool = createPgPool(process.env.DATABASE_URL ?? "", { max: 2, label: "e2e activity poll pool" });
const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
let azure: LocalAzure;

test.beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }], subscriptions: [{ subscriptionId: azureSubscriptionId, displayName: "Fabrikam Production", actions: ["*/read"] }] });
  azure.activityLog.set(azureSubscriptionId, [
    {
      eventDataId: randomUUID(),
      eventTimestamp: new Date(Date.now() - 60_000).toISOString(),
      category: { value: "Administrative", localizedValue: "Administrative" },
      level: "Informational",
      operationName: { value: "Microsoft.RecoveryServices/vaults/write", localizedValue: "Create or Update Vault" },
      resourceId: `/subscriptions/${azureSubscriptionId}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/rsv-1`,
      status: { value: "Succeeded", localizedValue: "Succeeded" },
      subscriptionId: azureSubscriptionId,
    },
  ]);
});
test.afterAll(async () => {
  await azure.close();
  await pool.end();
  await db.$disconnect();
});

/** One pass of the worker's poller over this tenant's subscriptions. */
async function pollNow(tenantId: string) {
  await pool.query(`UPDATE activity_poll SET "nextPollAt" = now() WHERE "tenantId" = $1`, [tenantId]);
  const poller = activityPoller({
    pool,
    encryptionKey: key,
    store: async (scope, events) => ({ new: (await ingestActivityEvents(pool, { ...scope, registered: true }, events)).new.length }),
    judge: () => Promise.resolve(),
  });
  for (const sub of await claimDueSubscriptions(pool, { limit: 10, leaseMs: 60_000, tenantIds: [tenantId] })) await poller.poll(sub);
}

test("subscriptions: poll a subscription's activity log into a local workspace and see the poller's health", async ({ page }) => {
  test.setTimeout(120_000);
  const tenantName = `Fabrikam Activity ${run}`;
  const slug = `fabrikam-activity-${randomBytes(3).toString("hex")}`;
  let tenantId = "";

  await test.step("a tenant with a connection to the local Azure, a local workspace and the subscription", async () => {
    await signInAsAdmin(page);
    const admin = await db.user.findFirstOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL ?? "" } });
    tenantId = (await db.tenant.create({ data: { name: tenantName, slug, memberships: { create: { userId: admin.id, role: "owner" } } } })).id;
    const conn = await db.azureConnection.create({
      data: { tenantId, name: "Fabrikam (local Azure)", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
    });
    await db.workspace.create({ data: { tenantId, name: "Fabrikam activity", kind: "local" } });
    await db.subscription.create({ data: { tenantId, azureSubscriptionId, displayName: "Fabrikam Production", connectionId: conn.id } });
    await page.goto(`/t/${slug}/subscriptions`);
    await expect(page.getByRole("row", { name: /Fabrikam Production/ })).toContainText("Not polled", { timeout: 30_000 });
  });

  await test.step("choose the workspace its activity log is polled into", async () => {
    await page.getByRole("button", { name: `Edit ${azureSubscriptionId}` }).click();
    const dialog = page.getByRole("dialog", { name: "Edit subscription" });
    await expectAccessible(page, "edit subscription dialog");
    await dialog.getByLabel("Poll its activity log into (optional)").selectOption({ label: "Fabrikam activity" });
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("row", { name: /Fabrikam Production/ })).toContainText("Waiting for first poll");
  });

  await test.step("after a poll: healthy, and the event is in the workspace", async () => {
    await pollNow(tenantId);
    await page.reload();
    const row = page.getByRole("row", { name: /Fabrikam Production/ });
    await expect(row).toContainText("Polling");
    await expect(row).toContainText("into Fabrikam activity");
    await expect(row).toContainText("last read");
    const stored = await pool.query(`SELECT count(*)::int AS n FROM activity_event WHERE "tenantId" = $1`, [tenantId]);
    expect(stored.rows[0].n).toBe(1);
  });

  await test.step("the app loses its role on the subscription: the page says so, with Azure's code", async () => {
    azure.subscriptions[0]!.activityLogStatus = 403;
    await pollNow(tenantId);
    await page.reload();
    const row = page.getByRole("row", { name: /Fabrikam Production/ });
    await expect(row).toContainText("Failing");
    await expect(row).toContainText("AuthorizationFailed");
    await expect(row).toContainText("lost permission to read this subscription's activity log");
    await expect(row).toContainText("Next try");
    await shot(page, "subscriptions-activity-failing");
    await expectAccessible(page, "subscriptions");
  });
});
