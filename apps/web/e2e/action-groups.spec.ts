/**
 * Action groups in a real browser: a group made with a webhook receiver pointing at a receiver this spec runs on
 * loopback and a Slack receiver whose URL the API refuses (the error shows under that field), the stored secret shown
 * as a hint, a test sent with each receiver's result inline, the test's deliveries in the log (filtered by outcome,
 * attempts expanded), the once-a-minute limit, and an MSP action group with its routing on the platform page.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./test";
import { signInAsAdmin } from "./sign-in";
import { createLocalWorkspace, createTenant, SEED_TRANSACTION } from "./tenant";
import { createDb, decryptSecret, parseEncryptionKey } from "@vaultwatch/db";
import { recordTransition } from "../../../packages/api/src/services/alerts";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";


type Received = { path: string; delivery: string | undefined; body: unknown };
let receiver: Server;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", delivery: req.headers["x-vaultwatch-delivery"] as string | undefined, body: JSON.parse(body || "null") });
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
});
test.afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

/**
 * The rule's alert fired, and what the delivery pipeline (the worker's) leaves for it: a delivery to the group's webhook
 * retried once after a 503 and then sent, and one to Slack that failed. The drawer must show both under "Fired".
 */
async function seedAlertWithDeliveries(tenantSlug: string, ruleName: string, groupName: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: tenantSlug } });
    const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: ruleName } });
    const group = await db.actionGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: groupName } });
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    await db.$transaction(async (tx) => {
      const fired = await recordTransition(tx, {
        tenantId: tenant.id,
        ruleId: rule.id,
        fingerprint: `e2e-ag-${run}`,
        transition: "Fired",
        at,
        dimensions: [{ name: "BackupItemUniqueId_s", value: "vm-app-07" }],
        severity: 1,
        signalType: "Log",
        measuredValue: 1,
        threshold: 0,
      });
      if (!fired) throw new Error("expected an alert");
      const event = await tx.alertEvent.findFirstOrThrow({ where: { tenantId: tenant.id, alertId: fired.alertId, kind: "fired" } });
      const base = { tenantId: tenant.id, alertId: fired.alertId, alertEventId: event.id, actionGroupId: group.id };
      await tx.notificationDelivery.create({
        data: {
          ...base,
          receiverName: "Ops webhook",
          receiverType: "webhook",
          endpointKey: `e2e-hook-${run}`,
          status: "sent",
          attempts: 2,
          sentAt: new Date(at.getTime() + 7_000),
          attemptLog: {
            create: [
              { tenantId: tenant.id, attempt: 1, startedAt: new Date(at.getTime() + 1_000), latencyMs: 80, outcome: "retry", httpStatus: 503, error: "503 Service Unavailable" },
              { tenantId: tenant.id, attempt: 2, startedAt: new Date(at.getTime() + 6_000), latencyMs: 40, outcome: "sent", httpStatus: 200 },
            ],
          },
        },
      });
      await tx.notificationDelivery.create({
        data: {
          ...base,
          receiverName: "Slack",
          receiverType: "slack",
          endpointKey: `e2e-slack-${run}`,
          status: "failed",
          attempts: 1,
          lastStatus: 404,
          lastError: "404 channel_not_found",
          attemptLog: { create: [{ tenantId: tenant.id, attempt: 1, startedAt: new Date(at.getTime() + 1_000), latencyMs: 60, outcome: "failed", httpStatus: 404, error: "404 channel_not_found" }] },
        },
      });
    }, SEED_TRANSACTION);
  } finally {
    await db.$disconnect();
  }
}

/** The group's stored URLs, opened with the server's key: what the notifier would send to. */
async function storedSecrets(tenantSlug: string, groupName: string): Promise<Record<string, string>> {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const key = parseEncryptionKey(process.env.E2E_ENCRYPTION_KEY ?? "");
    const group = await db.actionGroup.findFirstOrThrow({ where: { tenant: { slug: tenantSlug }, name: groupName } });
    const receivers = group.receivers as { name: string; urlEncrypted?: string; webhookUrlEncrypted?: string }[];
    return Object.fromEntries(receivers.map((r) => [r.name, decryptSecret(r.urlEncrypted ?? r.webhookUrlEncrypted ?? "", key)]));
  } finally {
    await db.$disconnect();
  }
}

test("action groups: create with inline errors, test a local webhook, see the delivery in the log; MSP routing", async ({ page }) => {
  test.setTimeout(180_000);
  const tenantName = `Fabrikam ${run}`;
  const port = (receiver.address() as AddressInfo).port;
  const hookPath = `/hooks/fabrikam-${run}`;
  const hookUrl = `http://127.0.0.1:${port}${hookPath}`;
  let tenantSlug = "";

  await test.step("sign in and create a tenant", async () => {
    await signInAsAdmin(page);
    tenantSlug = await createTenant(page, tenantName);
  });

  await test.step("create a group: the API's error shows under the Slack URL, then it saves", async () => {
    await page.getByRole("link", { name: "Action groups", exact: true }).click();
    await expect(page.getByText("No action groups yet")).toBeVisible();
    await page.getByRole("button", { name: "New action group" }).click();
    const editor = page.getByRole("dialog", { name: "New action group" });
    await editor.getByLabel("Name", { exact: true }).fill("Fabrikam on call");
    await editor.getByLabel("Short name").fill("fab-oncall");
    await editor.getByLabel("Receiver type to add").selectOption("webhook");
    await editor.getByRole("button", { name: "Add receiver" }).click();
    await editor.getByLabel("Receiver 1 name").fill("Ops webhook");
    await editor.getByLabel("URL", { exact: true }).fill(hookUrl);
    await editor.getByLabel("Receiver type to add").selectOption("slack");
    await editor.getByRole("button", { name: "Add receiver" }).click();
    await editor.getByLabel("Incoming webhook URL").fill("http://hooks.slack.com/services/T0/B0/plain-http");
    await editor.getByLabel("Subject").fill("[{{tenant.name}}] {{essentials.severity}} {{essentials.alertRule}}");
    await editor.getByRole("button", { name: "Save" }).click();
    // receivers.1.webhookUrl: shown under the second receiver's URL, not as a toast
    const slackCard = editor.getByTestId("receiver-card").nth(1);
    await expect(slackCard.getByRole("alert")).toContainText("webhookUrl must be an https URL");
    await shot(page, "40-action-group-field-error");
    await editor.getByLabel("Incoming webhook URL").fill(`https://hooks.slack.com/services/T0/B0/${run}SECRET`);
    await editor.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Created “Fabrikam on call”")).toBeVisible();
    const row = page.getByTestId("action-group-row").filter({ hasText: "Fabrikam on call" });
    await expect(row.getByTestId("receiver-chip")).toHaveCount(2);
    await expect(row.getByTestId("receiver-chip").first()).toHaveAttribute("data-health", "unknown");
    await expect(row).toContainText("templates");
  });

  await test.step("editing shows the stored URLs as hints, never the secret", async () => {
    await page.getByRole("button", { name: "Edit Fabrikam on call" }).click();
    const editor = page.getByRole("dialog", { name: "Edit Fabrikam on call" });
    await expect(editor.getByText(`http://127.0.0.1:${port}/…`)).toBeVisible();
    await expect(editor.getByText("https://hooks.slack.com/…")).toBeVisible();
    await expect(editor).not.toContainText(hookPath);
    await expect(editor).not.toContainText(`${run}SECRET`);
    await expect(editor.getByTestId("placeholder-list")).toContainText("{{essentials.alertRule}}");
    await shot(page, "41-action-group-editor");
    await expectAccessible(page, "action group editor");
    // saving without retyping them keeps the stored secrets
    await editor.getByLabel("Short name").fill("fab-noc");
    await editor.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved “Fabrikam on call”")).toBeVisible();
    const stored = await storedSecrets(tenantSlug, "Fabrikam on call");
    expect(stored).toEqual({ "Ops webhook": hookUrl, Slack: `https://hooks.slack.com/services/T0/B0/${run}SECRET` });
  });

  await test.step("the list filters on the server, its filters in the URL", async () => {
    await page.getByTestId("action-groups-search").fill("fabrikam");
    await expect(page).toHaveURL(/[?&]q=fabrikam/);
    await expect(page.getByTestId("action-group-row")).toHaveCount(1);
    await page.getByTestId("action-groups-health-filter").selectOption("dead");
    await expect(page).toHaveURL(/health=dead/);
    await expect(page.getByText("No action group matches these filters")).toBeVisible();
    await shot(page, "action-groups-filtered");
    await expectAccessible(page, "action groups filtered");
    await page.getByTestId("clear-filters").click();
    await expect(page).not.toHaveURL(/health=|q=/);
    await expect(page.getByTestId("action-group-row").filter({ hasText: "Fabrikam on call" })).toBeVisible();
  });

  await test.step("send a test: the local webhook answers ok, Slack (unreachable here) fails, each shown inline", async () => {
    await page.getByRole("button", { name: "Send test notification to Fabrikam on call" }).click();
    const dialog = page.getByRole("dialog", { name: /Send test notification/ });
    await dialog.getByRole("button", { name: "Send test" }).click();
    const results = dialog.getByTestId("test-result");
    await expect(results).toHaveCount(2, { timeout: 20_000 });
    const hook = results.filter({ hasText: "Ops webhook" });
    await expect(hook).toHaveAttribute("data-ok", "true");
    await expect(hook).toContainText("ok");
    await expect(hook).toContainText("200");
    await expect(results.filter({ hasText: "Slack" })).toHaveAttribute("data-ok", "false");
    await expect(dialog.getByTestId("test-summary")).toHaveText("1 of 2 receivers accepted the test");
    await shot(page, "42-action-group-test-results");

    // the receiver got the sample alert, marked as a test, with its delivery id
    const got = received.filter((r) => r.path === hookPath);
    expect(got).toHaveLength(1);
    expect(got[0]!.delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(got[0]!.body).toMatchObject({ schemaId: "azureMonitorCommonAlertSchema", data: { customProperties: { vaultwatchTest: "true" } } });

    // once a minute per group
    await dialog.getByRole("button", { name: "Send again" }).click();
    await expect(dialog.getByTestId("test-error")).toContainText("tested less than a minute ago");
    expect(received.filter((r) => r.path === hookPath)).toHaveLength(1);
    await dialog.getByRole("button", { name: "Close" }).first().click();
  });

  await test.step("the delivery log shows both test deliveries; filter by outcome; expand the attempts", async () => {
    const log = page.getByTestId("delivery-log");
    await expect(log.getByTestId("delivery-row")).toHaveCount(2);
    const sent = log.getByTestId("delivery-row").filter({ hasText: "Ops webhook" });
    await expect(sent).toHaveAttribute("data-status", "sent");
    await expect(sent).toContainText("test");
    await expect(sent).toContainText("200");
    await expect(log.getByTestId("delivery-row").filter({ hasText: "Slack" })).toHaveAttribute("data-status", "failed");
    await page.getByRole("group", { name: "Filter by outcome" }).getByRole("button", { name: "Failed" }).click();
    await expect(log.getByTestId("delivery-row")).toHaveCount(1);
    await log.getByTestId("delivery-row").first().click();
    await expect(log.getByTestId("attempt-list")).toContainText("attempt 1");
    await shot(page, "43-delivery-log");
    await expectAccessible(page, "action groups");
    await page.getByRole("group", { name: "Filter by outcome" }).getByRole("button", { name: "Failed" }).click();
    await expect(log.getByTestId("delivery-row")).toHaveCount(2);
  });

  await test.step("the alert drawer shows each transition's deliveries", async () => {
    const ruleName = `Failed jobs ${run}`;
    await createLocalWorkspace(page, "fabrikam-local");
    await page.getByRole("link", { name: "Rules", exact: true }).click();
    await page.getByRole("button", { name: "New rule from template" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New rule from template" });
    await dialog.getByRole("radio", { name: "Failed backup jobs per item" }).check();
    await dialog.getByLabel("Name (optional)").fill(ruleName);
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog).toBeHidden();
    await seedAlertWithDeliveries(tenantSlug, ruleName, "Fabrikam on call");

    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    await page.getByTestId("alert-row").first().click();
    const detail = page.getByRole("dialog", { name: ruleName, exact: true });
    const fired = detail.getByTestId("alert-event").filter({ hasText: "Fired" });
    const deliveries = fired.getByTestId("transition-delivery");
    await expect(deliveries).toHaveCount(2);
    await expect(deliveries.filter({ hasText: "Ops webhook" })).toHaveAttribute("data-status", "sent");
    await expect(deliveries.filter({ hasText: "Ops webhook" })).toContainText("2 attempts");
    await expect(deliveries.filter({ hasText: "Slack" })).toHaveAttribute("data-status", "failed");
    await expect(deliveries.filter({ hasText: "Slack" })).toContainText("404 channel_not_found");
    await shot(page, "46-alert-drawer-deliveries");
    await expectAccessible(page, "alert drawer with deliveries");
    await page.keyboard.press("Escape");
  });

  await test.step("the tenant's own email server: a bad URL is refused under its field; a saved one shows its host, never its password", async () => {
    await page.goto(`/t/${tenantSlug}/action-groups`);
    const line = page.getByTestId("email-server");
    await expect(line).toContainText("deployment's server");
    await line.getByRole("button", { name: "Use our own server" }).click();
    const dialog = page.getByRole("dialog", { name: "Email server" });
    await dialog.getByLabel("SMTP URL").fill("https://smtp.fabrikam.example");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByTestId("smtp-url-error")).toContainText("smtp:// or smtps://");
    await dialog.getByLabel("SMTP URL").fill("smtps://alerts:Pa55-w0rd-e2e@smtp.fabrikam.example:465");
    await dialog.getByLabel("From address").fill("alerts@fabrikam.example");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(line).toContainText("smtps://smtp.fabrikam.example:465/…");
    await expect(line).toContainText("alerts@fabrikam.example");
    await expect(page.locator("body")).not.toContainText("Pa55-w0rd-e2e");
    await shot(page, "43-email-server");
  });

  await test.step("an MSP action group routes Sev0-1 of chosen tenants to the on-call", async () => {
    await page.getByRole("link", { name: "MSP action groups" }).click();
    await expect(page).toHaveURL(/\/platform\/action-groups$/);
    await page.getByRole("button", { name: "New MSP action group" }).first().click();
    const editor = page.getByRole("dialog", { name: "New MSP action group" });
    await editor.getByLabel("Name", { exact: true }).fill(`MSP on call ${run}`);
    const routing = editor.getByTestId("routing-editor");
    // Sev0 and Sev1 are picked for a new group; add a tenant
    await expect(routing.getByRole("button", { name: "Sev0" })).toHaveAttribute("aria-pressed", "true");
    await expect(routing.getByRole("button", { name: "Sev1" })).toHaveAttribute("aria-pressed", "true");
    await routing.getByLabel("Tenants").fill(tenantName.slice(0, 8));
    await routing.getByRole("button", { name: `+ ${tenantName}` }).click();
    await editor.getByLabel("Receiver type to add").selectOption("webhook");
    await editor.getByRole("button", { name: "Add receiver" }).click();
    await editor.getByLabel("URL", { exact: true }).fill(`http://127.0.0.1:${port}/hooks/msp-${run}`);
    await shot(page, "44-msp-routing-editor");
    await editor.getByRole("button", { name: "Save" }).click();
    const row = page.getByTestId("platform-group-row").filter({ hasText: `MSP on call ${run}` });
    await expect(row).toContainText(tenantName);
    await expect(row.getByTestId("severity")).toHaveCount(2);
    await shot(page, "45-msp-action-groups");
    await expectAccessible(page, "MSP action groups");
  });
});
