/**
 * The alerting screens in a real browser: a rule made from a template, listed, disabled and enabled, previewed, edited
 * with a broken query (the error names its line and column) and fixed; then alerts recorded for that rule the way the
 * evaluator records them, filtered, opened, acknowledged with a comment, closed, reopened, and handled in bulk.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { kqlEditor } from "./kql-editor";
import { signInAsAdmin } from "./sign-in";
import { createDb } from "@vaultwatch/db";
import { recordTransition } from "../../../packages/api/src/services/alerts";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";
import { SEED_TRANSACTION } from "./tenant";

const run = process.env.E2E_RUN_ID ?? "x";
const VAULT = "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-contoso";

/**
 * A filter change on the alerts page, waited for until the URL holds it: the page builds each change on the filters it
 * last read from the URL, so a second change made before the first has landed would undo it.
 */
async function filtered(page: Page, change: () => Promise<unknown>) {
  const before = page.url();
  await change();
  await expect.poll(() => page.url()).not.toBe(before);
}


const failedJob = (item: string, id: string) => ({
  time: new Date().toISOString(),
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName: "Job",
  properties: {
    EventName: "AzureBackupCentralReport",
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: "IaaSVM",
    BackupItemUniqueId: item,
    JobOperation: "Backup",
    JobStatus: "Failed",
    JobFailureCode: "UserErrorVmNotFound",
    JobStartDateTime: "2026-11-20 01:30:00",
    JobDurationInSecs: "1800",
    JobUniqueId: id,
  },
});

/** Alerts for the rule as the evaluator writes them: recordTransition inside a transaction. */
async function seedAlerts(tenantSlug: string, ruleName: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: tenantSlug } });
    const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: ruleName }, include: { workspaces: true } });
    const workspaceId = rule.workspaces[0]!.workspaceId;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(Math.floor((now - minutesAgo * 60_000) / 60_000) * 60_000);
    const dims = (item: string) => [
      { name: "Resource", value: "RSV-CONTOSO" },
      { name: "BackupItemUniqueId_s", value: item },
    ];
    const fired = (item: string, minutesAgo: number, severity: number, value: number) => ({
      tenantId: tenant.id,
      ruleId: rule.id,
      fingerprint: `e2e-${item}`,
      transition: "Fired" as const,
      at: at(minutesAgo),
      dimensions: dims(item),
      severity,
      signalType: "Log" as const,
      measuredValue: value,
      threshold: 0,
      window: { start: at(minutesAgo + 5), end: at(minutesAgo) },
      description: "Failed backup jobs per item",
      targetIds: [VAULT.toLowerCase()],
      snapshot: {
        rows: Array.from({ length: value }, (_, i) => ({
          TimeGenerated: at(minutesAgo + 3).toISOString(),
          Resource: "RSV-CONTOSO",
          BackupItemUniqueId_s: item,
          JobFailureCode_s: i === 0 ? "UserErrorVmNotFound" : "UserErrorGuestAgentStatusUnavailable",
          JobUniqueId_g: `7d0c5f2e-0000-4000-8000-00000000000${i}`,
        })),
        totalRows: value,
        omittedRows: 0,
      },
    });
    await db.$transaction(async (tx) => {
      await recordTransition(tx, fired("vm-web-01", 12, 1, 2));
      await recordTransition(tx, fired("vm-sql-02", 50, 1, 1));
      await recordTransition(tx, { ...fired("vm-sql-02", 20, 1, 1), transition: "Resolved" });
      await recordTransition(tx, fired("vm-file-03", 30, 2, 1));
      // enough informational noise to need "Load more" (a page holds 50)
      for (let i = 0; i < 52; i++) await recordTransition(tx, fired(`vm-batch-${String(i).padStart(2, "0")}`, 60 + i, 4, 1));
      await tx.ruleEvaluation.create({
        data: {
          tenantId: tenant.id,
          ruleId: rule.id,
          workspaceId,
          scheduledFor: at(12),
          startedAt: at(12),
          finishedAt: at(12),
          watermarkFrom: at(17),
          watermarkTo: at(12),
          rowsSeen: 3,
          outcome: "fired",
        },
      });
    }, SEED_TRANSACTION);
  } finally {
    await db.$disconnect();
  }
}

test("alerting screens: rules from a template, edits with KQL errors, alerts handled end to end", async ({ page }) => {
  test.setTimeout(300_000);
  const tenantName = `Contoso ${run}`;
  const ruleName = `Failed jobs ${run}`;
  let slug = "";

  await test.step("sign in, create a tenant and a local workspace with a failed job in it", async () => {
    await signInAsAdmin(page);
    // where sign-in lands depends on the tenants other specs made; the tenant list is one click away
    await page.getByRole("link", { name: "Tenants", exact: true }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await page.getByRole("button", { name: "New tenant" }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(tenantName);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("link", { name: tenantName }).click();
    await expect(page).toHaveURL(/\/t\/contoso-[^/]+\/vaults$/);
    slug = new URL(page.url()).pathname.split("/")[2]!;

    await page.getByRole("link", { name: "Workspaces", exact: true }).click();
    await page.getByRole("button", { name: "New local workspace" }).first().click();
    await page.getByRole("textbox", { name: "Name" }).fill("contoso-local");
    await page.getByRole("button", { name: "Create workspace" }).click();
    const keys = page.getByRole("dialog", { name: /keys/i });
    const ingest = await keys.getByTestId("ingest-key").inputValue();
    const ingestUrl = await keys.getByTestId("ingest-url").inputValue();
    const pushed = await page.request.post(ingestUrl, {
      headers: { authorization: `Bearer ${ingest}` },
      data: { records: [failedJob("vm-web-01", "11111111-1111-4111-8111-111111111111"), failedJob("vm-web-01", "22222222-2222-4222-8222-222222222222")] },
    });
    expect(pushed.status()).toBe(200);
    await keys.getByRole("button", { name: "I have saved them" }).click();
    // the workspace now shows that backup data arrives (a silent one would read "no data yet" or "blind")
    await page.reload();
    await expect(page.getByTestId("workspace-row").filter({ hasText: "contoso-local" }).getByTestId("backup-data")).toContainText("receiving", { timeout: 30_000 });
    await shot(page, "19-workspace-receiving");
  });

  await test.step("empty screens say what belongs there", async () => {
    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/alerts$`));
    await expect(page.getByText("No alerts — rules fire alerts here")).toBeVisible();
    await shot(page, "20-alerts-empty");
    await page.getByRole("link", { name: "Rules", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules$`));
    await expect(page.getByText("No rules yet")).toBeVisible();
    await shot(page, "21-rules-empty");
  });

  await test.step("a rule from a template is listed, pending, in ingestion mode", async () => {
    await page.getByRole("button", { name: "New rule from template" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New rule from template" });
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog.getByTestId("templateId-error")).toContainText("Choose a template");
    // workspaces fed the resource-specific tables get a twin of each of AzureDiagnostics' ten templates
    await expect(dialog.getByRole("radio")).toHaveCount(10);
    await dialog.getByLabel("Tables the workspaces receive").selectOption("resourceSpecific");
    await expect(dialog.getByRole("radio")).toHaveCount(10);
    await expect(dialog.getByRole("radio", { name: /All failed backup jobs \(resource-specific tables\)/ })).toBeVisible();
    await expect(dialog.getByRole("radio", { name: /Failed backup jobs per item \(resource-specific tables\)/ })).toBeVisible();
    await dialog.getByLabel("Tables the workspaces receive").selectOption("legacy");
    await dialog.getByRole("radio", { name: "Failed backup jobs per item" }).check();
    // the tenant's only workspace is picked already
    await expect(dialog.getByRole("checkbox", { name: /contoso-local/ })).toBeChecked();
    await dialog.getByLabel("Name (optional)").fill(ruleName);
    await shot(page, "22-template-dialog");
    await expectAccessible(page, "rule template dialog");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId("rule-row").filter({ hasText: ruleName });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Sev1");
    await expect(row).toContainText("every 5 min");
    await expect(row.getByTestId("rule-time-mode")).toHaveText("ingestion time");
    await expect(row).toContainText("pending");
    await expect(row).toContainText("never");
    await expect(row).toContainText("contoso-local");
    await shot(page, "23-rule-listed");
  });

  await test.step("disable and enable the rule", async () => {
    const toggle = page.getByRole("switch", { name: `Enabled: ${ruleName}` });
    await expect(toggle).toBeChecked();
    await toggle.click();
    await expect(page.getByText(`Disabled “${ruleName}”`)).toBeVisible();
    await expect(toggle).not.toBeChecked();
    await page.reload();
    await expect(page.getByRole("switch", { name: `Enabled: ${ruleName}` })).not.toBeChecked();
    await page.getByRole("switch", { name: `Enabled: ${ruleName}` }).click();
    await expect(page.getByText(`Enabled “${ruleName}”`)).toBeVisible();
    await expect(page.getByRole("switch", { name: `Enabled: ${ruleName}` })).toBeChecked();
  });

  await test.step("preview shows what the rule would fire on the ingested job", async () => {
    await page.getByRole("button", { name: `Preview ${ruleName}` }).click();
    const dialog = page.getByRole("dialog", { name: `Preview: ${ruleName}` });
    await expect(dialog.getByTestId("preview-workspace")).toContainText("contoso-local");
    await expect(dialog.getByTestId("preview-summary")).toContainText("Would fire 1 alert");
    await expect(dialog.getByTestId("preview-combination")).toContainText("vm-web-01");
    await expect(dialog.getByTestId("preview-combination")).toContainText("would fire");
    await shot(page, "24-preview");
    await dialog.getByRole("button", { name: "Done" }).click();
  });

  await test.step("edit: a broken query shows Kusto's error with line and column; fixing it saves", async () => {
    await page.getByRole("link", { name: ruleName, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules/[0-9a-f-]{36}$`));
    const query = kqlEditor(page);
    await expect.poll(query.text).toMatch(/JobStatus_s == "Failed"/);
    const original = await query.text();
    await query.setText('AzureDiagnostics\n| where JobStatus_s == "Failed"\n| where');
    await page.getByRole("button", { name: "Save changes" }).first().click();
    const error = page.getByTestId("query-error");
    await expect(error).toContainText(/line 3, column \d+/);
    await error.scrollIntoViewIfNeeded();
    await shot(page, "25-rule-kql-error");

    // another field error lands on its own field
    await query.setText(original);
    await page.getByLabel("Split by dimensions (optional)").fill("Resource, NoSuchColumn_s");
    await page.getByRole("button", { name: "Save changes" }).first().click();
    await expect(page.getByTestId("dimensions-error")).toContainText("NoSuchColumn_s");
    await expect(page.getByTestId("query-error")).toHaveCount(0);

    await page.getByLabel("Split by dimensions (optional)").fill("Resource, BackupItemUniqueId_s");
    await page.getByText("Failing periods").scrollIntoViewIfNeeded();
    await shot(page, "25b-rule-editor-condition");
    await expectAccessible(page, "rule editor");
    await page.getByLabel("Description (optional)").fill("One alert per failing backup item");
    await page.getByRole("button", { name: "Save changes" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules$`));
    await expect(page.getByText(`Saved “${ruleName}”`)).toBeVisible();
    await expect(page.getByTestId("rule-row").filter({ hasText: ruleName })).toContainText("One alert per failing backup item");
  });

  await test.step("the editor reads the rule aloud, starts from a template, and checks each field where it is typed", async () => {
    await page.goto(`/t/${slug}/rules/new`);
    const sentence = page.getByTestId("rule-sentence");
    // the blank log rule: the seed's "every 5 minutes … greater than 0", with no action group to notify
    await expect(sentence).toHaveText(
      "Every 5 minutes, over the rows ingested since the last run: if the number of rows is greater than 0, record a Sev2 alert; notify no one. The alert resolves by itself once the condition clears.",
    );
    await expect(sentence).toHaveAttribute("aria-live", "polite");

    await page.getByRole("button", { name: "Start from a template" }).click();
    const dialog = page.getByRole("dialog", { name: "Start from a template" });
    // choosing only: the editor already has its workspaces and its own save button
    await expect(dialog.getByRole("checkbox")).toHaveCount(0);
    await dialog.getByRole("radio", { name: "Active critical Azure Backup alerts" }).check();
    await shot(page, "36-editor-template-picker");
    await expectAccessible(page, "template picker in the rule editor");
    await dialog.getByRole("button", { name: "Use template" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Active critical Azure Backup alerts");
    await expect.poll(kqlEditor(page).text).toContain('AlertStatus_s == "Active" and AlertSeverity_s == "Critical"');
    await expect(page.getByLabel("Split by dimensions (optional)")).toHaveValue("Resource, AlertKey");
    await expect(sentence).toHaveText(
      "Every 15 minutes, over the last 2 days of data: if the number of rows per Resource, AlertKey is greater than 0, record a Sev0 alert; notify no one. The alert resolves by itself once the condition clears.",
    );

    // the sentence follows each edit
    await page.getByLabel("Measure", { exact: true }).selectOption("max");
    await page.getByLabel("Column", { exact: true }).fill("JobDurationInSecs_s");
    await page.getByLabel("Operator").selectOption("GreaterThanOrEqual");
    await page.getByLabel("Threshold").fill("3600");
    await page.getByLabel("Failing periods: minimum failing").fill("2");
    await page.getByLabel("Failing periods: out of").fill("4");
    await page.getByLabel("Resolve alerts automatically when the condition clears").uncheck();
    await expect(sentence).toHaveText(
      "Every 15 minutes, over the last 2 days of data: if the maximum of JobDurationInSecs_s per Resource, AlertKey is greater than or equal to 3600 in 2 of the last 4 evaluations, record a Sev0 alert; notify no one. Stateless: every evaluation that meets the condition raises a new alert.",
    );
    await page.getByRole("radio", { name: /Ingestion time/ }).check();
    await expect(sentence).toContainText("Every 15 minutes, over the rows ingested since the last run: if the maximum");
    await sentence.scrollIntoViewIfNeeded();
    await shot(page, "37-editor-sentence");

    // checked in the browser with the server's schema: nothing is sent, each message sits by its field
    await page.getByLabel("Name", { exact: true }).fill("");
    await page.getByLabel("Threshold").fill("lots");
    await page.getByLabel("Failing periods: out of").fill("9");
    await page.getByRole("button", { name: "Create rule" }).first().click();
    await expect(page.getByTestId("name-error")).toHaveText("name is required");
    await expect(page.getByTestId("threshold-error")).toHaveText("threshold must be a number");
    await expect(page.getByTestId("failingPeriods-error")).toHaveText("failingPeriods.of must be at most 6");
    await expect(page.getByTestId("workspaceIds-error")).toHaveText("workspaceIds must name at least one workspace");
    await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules/new$`));
    await expect(sentence).toContainText("is greater than or equal to (a threshold)");
    await page.getByLabel("Name", { exact: true }).scrollIntoViewIfNeeded();
    await shot(page, "38-editor-inline-errors");
    await expectAccessible(page, "rule editor with field errors");
    // fixing a field clears its message as it is typed
    await page.getByLabel("Threshold").fill("3600");
    await expect(page.getByTestId("threshold-error")).toHaveCount(0);
    await expect(page.getByTestId("name-error")).toHaveText("name is required");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules$`));
  });

  await test.step("an activity rule: conditions as a form, the recent events it matches, JSON checked by the server", async () => {
    const name = `Vault deletions ${run}`;
    // two events of the tenant's own activity log, as Azure's REST shape has them (what the matches are tried on)
    const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
    try {
      const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
      const ws = await db.workspace.findFirstOrThrow({ where: { tenantId: tenant.id, name: "contoso-local" } });
      const vault = "/subscriptions/5a1c7d3e-2b4f-4e6a-9c8d-7e6f5a4b3c2d/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-contoso";
      const event = (minutesAgo: number, operation: string, status: string, caller: string) => {
        const at = new Date(Date.now() - minutesAgo * 60_000);
        const eventDataId = `e2e-${run}-${minutesAgo}`;
        return {
          tenantId: tenant.id,
          workspaceId: ws.id,
          eventDataId,
          category: "Administrative",
          level: status === "Failed" ? "Error" : "Informational",
          operationName: operation,
          resourceId: vault,
          eventTimestamp: at,
          ingestedAt: at,
          evaluatedAt: at,
          event: {
            eventDataId,
            caller,
            category: { value: "Administrative", localizedValue: "Administrative" },
            level: status === "Failed" ? "Error" : "Informational",
            operationName: { value: operation, localizedValue: operation },
            status: { value: status, localizedValue: status },
            resourceId: vault,
            resourceGroupName: "rg-backup",
            resourceProviderName: { value: "Microsoft.RecoveryServices", localizedValue: "Microsoft.RecoveryServices" },
            subscriptionId: "5a1c7d3e-2b4f-4e6a-9c8d-7e6f5a4b3c2d",
            eventTimestamp: at.toISOString(),
            submissionTimestamp: at.toISOString(),
          },
        };
      };
      await db.activityEvent.createMany({
        data: [
          event(30, "Microsoft.RecoveryServices/vaults/delete", "Failed", "alice@contoso.com"),
          event(20, "Microsoft.RecoveryServices/vaults/backupPolicies/write", "Succeeded", "bob@contoso.com"),
        ],
      });
    } finally {
      await db.$disconnect();
    }

    await page.getByRole("link", { name: "New activity rule" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules/new\\?kind=activity$`));
    await page.getByLabel("Name", { exact: true }).fill(name);
    // the example condition, as rows: Administrative events of two vault operations
    const builder = page.getByTestId("condition-builder");
    await expect(builder.getByTestId("condition-row")).toHaveCount(2);
    await expect(page.getByLabel("condition 1: field")).toHaveValue("category");
    await expect(page.getByLabel("condition 2: comparison")).toHaveValue("containsAny");
    const matches = page.getByTestId("activity-matches");
    await expect(page.getByTestId("activity-matches-count")).toHaveText("1 of 2 events");
    await expect(matches.getByTestId("activity-match-row")).toHaveCount(1);
    await expect(matches.getByTestId("activity-match-row")).toContainText("Microsoft.RecoveryServices/vaults/delete");
    await expect(matches.getByTestId("activity-match-row")).toContainText("alice@contoso.com");
    // narrow to what bob did: nothing of it is a deletion
    await builder.getByRole("button", { name: "Condition", exact: true }).click();
    await page.getByLabel("condition 3: field").selectOption("caller");
    await page.getByLabel("condition 3: value").fill("BOB@contoso.com");
    await expect(page.getByTestId("activity-matches-count")).toHaveText("0 of 2 events");
    await expect(matches).toContainText("this rule would have stayed quiet");
    await page.getByRole("button", { name: "Remove condition 3" }).click();
    await expect(page.getByTestId("activity-matches-count")).toHaveText("1 of 2 events");
    await expect(page.getByTestId("rule-sentence")).toHaveText(
      "When an activity-log event arrives where category is Administrative and operationName is one of Microsoft.RecoveryServices/vaults/delete, Microsoft.RecoveryServices/vaults/backupPolicies/delete: record a Sev4 alert; notify no one.",
    );
    // activity rules have no KQL and no template: only log rules start from one
    await expect(page.getByRole("button", { name: "Start from a template" })).toHaveCount(0);
    await shot(page, "34a-activity-rule-builder");
    await expectAccessible(page, "activity rule editor");

    // the same rule as JSON; the server checks it and names the field
    await page.getByRole("button", { name: "Edit as JSON", exact: true }).click();
    const condition = page.getByLabel("Condition", { exact: true });
    await expect(condition).toHaveValue(/"containsAny"/);
    await condition.fill('{"allOf": [');
    await page.getByRole("button", { name: "Create rule" }).first().click();
    await expect(page.getByTestId("condition-error")).toContainText("condition is not valid JSON");
    await condition.fill('{"allOf": [{"field": "nope", "equals": "x"}]}');
    await page.getByRole("button", { name: "Create rule" }).first().click();
    await expect(page.getByTestId("condition-error")).toContainText("field must be one of");
    await page.getByTestId("condition-error").scrollIntoViewIfNeeded();
    await shot(page, "34-activity-rule-error");
    await condition.fill('{"allOf": [{"field": "operationName", "equals": "Microsoft.RecoveryServices/vaults/delete"}]}');
    await page.getByRole("button", { name: "Form", exact: true }).click();
    await expect(page.getByLabel("condition 1: value")).toHaveValue("Microsoft.RecoveryServices/vaults/delete");
    await page.getByRole("button", { name: "Create rule" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules$`));
    const row = page.getByTestId("rule-row").filter({ hasText: name });
    await expect(row).toContainText("activity");
    await expect(row).toContainText("on each event");
  });

  await test.step("health shows a failing rule's last error; deleting asks first", async () => {
    const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
    try {
      const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
      const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: ruleName } });
      // what the evaluator leaves after three failed runs
      await db.alertRule.update({
        where: { id: rule.id },
        data: { lastEvaluatedAt: new Date(Date.now() - 120_000), consecutiveFailures: 3, lastError: "contoso-local: the query timed out after 15 s" },
      });
    } finally {
      await db.$disconnect();
    }
    await page.reload();
    const failing = page.getByTestId("rule-row").filter({ hasText: ruleName });
    await expect(failing).toContainText("failing ×3");
    await expect(failing.getByTestId("rule-last-error")).toHaveText("contoso-local: the query timed out after 15 s");
    await expect(failing).toContainText("2 minutes ago");
    await shot(page, "35-rules-health");
    await expectAccessible(page, "rules");

    const name = `Vault deletions ${run}`;
    await page.getByRole("button", { name: `Delete ${name}` }).click();
    const confirm = page.getByRole("dialog", { name: `Delete rule ${name}?` });
    await expect(confirm).toContainText("alerts and their history are deleted");
    await confirm.getByRole("button", { name: "Delete rule" }).click();
    await expect(page.getByText(`Deleted “${name}”`)).toBeVisible();
    await expect(page.getByTestId("rule-row").filter({ hasText: name })).toHaveCount(0);
    await expect(page.getByTestId("rule-row")).toHaveCount(1);
  });

  await test.step("alerts recorded for the rule appear with a summary by severity", async () => {
    await seedAlerts(slug, ruleName);
    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    await expect(page.getByTestId("alert-row")).toHaveCount(50);
    await expect(page.getByTestId("summary-sev1")).toContainText("1 new");
    await expect(page.getByTestId("summary-sev4")).toContainText("52");
    await shot(page, "26-alerts-list");
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(page.getByTestId("alert-row")).toHaveCount(55);
    await expect(page.getByTestId("alert-count")).toHaveText("55 alerts");
    await shot(page, "26b-alerts-load-more");
  });

  await test.step("filters: severity, monitor condition, state, rule, time range", async () => {
    await page.getByRole("button", { name: "Severity Sev1" }).click();
    await expect(page.getByTestId("alert-row")).toHaveCount(2);
    await page.getByLabel("Monitor condition").selectOption("fired");
    await expect(page.getByTestId("alert-row")).toHaveCount(1);
    await expect(page.getByTestId("alert-row")).toContainText("vm-web-01");
    await page.getByLabel("Monitor condition").selectOption("resolved");
    await expect(page.getByTestId("alert-row")).toHaveCount(1);
    await expect(page.getByTestId("alert-row")).toContainText("vm-sql-02");
    await filtered(page, () => page.getByLabel("Monitor condition").selectOption(""));
    await filtered(page, () => page.getByLabel("Time range").selectOption("1h"));
    await expect(page.getByTestId("alert-row")).toHaveCount(2);
    await page.getByRole("button", { name: "State Closed" }).click();
    await expect(page.getByText("No alert matches these filters")).toBeVisible();
    await filtered(page, () => page.getByRole("button", { name: "State Closed" }).click());
    await filtered(page, () => page.getByLabel("Rule", { exact: true }).selectOption({ label: ruleName }));
    await filtered(page, () => page.getByLabel("Monitor condition").selectOption("fired"));
    await expect(page.getByTestId("alert-row")).toHaveCount(1);
    await shot(page, "27-alerts-filtered");
    await expectAccessible(page, "alerts");
  });

  await test.step("detail: essentials, dimensions, value vs threshold, rows, history, evaluations", async () => {
    await page.getByTestId("alert-row").first().click();
    const detail = page.getByRole("dialog", { name: ruleName, exact: true });
    await expect(detail.getByTestId("alert-detail")).toBeVisible();
    await expect(detail.getByTestId("alert-dimensions")).toContainText("BackupItemUniqueId_s");
    await expect(detail.getByTestId("alert-dimensions")).toContainText("vm-web-01");
    await expect(detail.getByTestId("alert-value")).toHaveText(/2\s*>\s*0\s*threshold/);
    await expect(detail.getByTestId("snapshot-rows").locator("tbody tr")).toHaveCount(2);
    await expect(detail.getByTestId("snapshot-rows")).toContainText("UserErrorVmNotFound");
    await expect(detail.getByTestId("alert-event")).toHaveCount(1);
    await expect(detail.getByTestId("alert-event").first()).toContainText("Fired by Vaultwatch");
    await expect(detail.getByTestId("alert-evaluations")).toContainText("contoso-local");
    await expect(detail.getByTestId("alert-evaluations")).toContainText("fired");
    await shot(page, "28-alert-detail");
    await expectAccessible(page, "alert drawer");
  });

  await test.step("acknowledge with a comment, close, reopen: each in the history", async () => {
    const detail = page.getByRole("dialog", { name: ruleName, exact: true });
    await detail.getByRole("button", { name: "Acknowledge" }).click();
    const respond = page.getByRole("dialog", { name: /^Acknowledge/ });
    await respond.getByLabel("Comment (optional)").fill("Looking at vm-web-01: the VM was deleted by the customer");
    await shot(page, "29-acknowledge-dialog");
    await expectAccessible(page, "acknowledge dialog");
    await respond.getByTestId("respond-submit").click();
    await expect(respond).toBeHidden();
    await expect(detail.getByTestId("alert-event")).toHaveCount(2);
    const ack = detail.getByTestId("alert-event").first();
    await expect(ack).toContainText("Acknowledged by E2E Admin");
    await expect(ack.getByTestId("alert-event-comment")).toHaveText("Looking at vm-web-01: the VM was deleted by the customer");
    await expect(detail.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
    await shot(page, "30-alert-acknowledged");

    await detail.getByRole("button", { name: "Close", exact: true }).click();
    await page.getByRole("dialog", { name: /^Close/ }).getByTestId("respond-submit").click();
    await expect(detail.getByTestId("alert-event").first()).toContainText("Closed by E2E Admin");
    await expect(detail.getByRole("button", { name: "Reopen" })).toBeVisible();

    await detail.getByRole("button", { name: "Reopen" }).click();
    const reopen = page.getByRole("dialog", { name: /^Reopen/ });
    await reopen.getByLabel("Comment (optional)").fill("Customer restored the VM; backups failing again");
    await reopen.getByTestId("respond-submit").click();
    await expect(detail.getByTestId("alert-event")).toHaveCount(4);
    await expect(detail.getByTestId("alert-event").first()).toContainText("Reopened by E2E Admin");
    await expect(detail.getByTestId("alert-event").first()).toContainText("Customer restored the VM");
    await shot(page, "31-alert-history");
    await page.keyboard.press("Escape");
    await expect(detail).toBeHidden();
  });

  await test.step("select many and acknowledge them at once; All tenants shows them with their tenant", async () => {
    await filtered(page, () => page.getByRole("button", { name: "Clear", exact: true }).click());
    await filtered(page, () => page.getByRole("button", { name: "Severity Sev1" }).click());
    await filtered(page, () => page.getByRole("button", { name: "Severity Sev2" }).click());
    await expect(page.getByTestId("alert-row")).toHaveCount(3);
    await page.getByRole("checkbox", { name: "Select all loaded alerts" }).check();
    await expect(page.getByTestId("selection-bar")).toContainText("3 selected");
    await expect(page.getByTestId("selection-bar").getByRole("button", { name: "Reopen" })).toBeDisabled();
    await shot(page, "32-alerts-selected");
    await page.getByTestId("selection-bar").getByRole("button", { name: "Acknowledge" }).click();
    await page.getByRole("dialog", { name: "Acknowledge 3 alerts" }).getByTestId("respond-submit").click();
    await expect(page.getByText("Acknowledged 3 alerts")).toBeVisible();
    await expect(page.getByTestId("alert-row").filter({ hasText: "Acknowledged" })).toHaveCount(3);
    await expect(page.getByTestId("summary-sev1")).toContainText("1 ack");

    await page.goto("/t/all/alerts");
    const row = page.getByTestId("alert-row").filter({ hasText: "vm-web-01" });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("alert-tenant")).toHaveText(tenantName);
    await row.click();
    await expect(page.getByRole("dialog", { name: ruleName, exact: true }).getByTestId("alert-event")).toHaveCount(5);
    await shot(page, "33-all-tenants-alerts");
  });
});
