/**
 * The Logs explorer in a real browser: a tenant's workspace with a day of backup jobs, a query typed with completion
 * of the workspace's columns, a bad column marked inline and refused by the server with its line, rows and a chart,
 * the query history and a shared link, then "New alert rule" carrying the query and workspace into the rule editor,
 * where the rule is saved. No request may leave localhost (the editor and its Kusto worker come from this app).
 */
import { expect, test } from "./test";
import { kqlEditor } from "./kql-editor";
import { signInAsAdmin } from "./sign-in";
import { createLocalWorkspace, createTenant } from "./tenant";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const VAULT = "/subscriptions/5a1c7d3e-2b4f-4e6a-9c8d-7e6f5a4b3c2d/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-northwind";


/** A backup job as Azure Backup's diagnostics send it (AzureBackupReport, schema V2). */
function job(i: number, hoursAgo: number, status: "Completed" | "Failed", code = "None") {
  return {
    time: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    resourceId: VAULT,
    category: "AzureBackupReport",
    operationName: "Job",
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: `westeurope;iaasvmcontainerv2;rg-app;vm-app-0${i % 4}`,
      JobOperation: "Backup",
      JobStatus: status,
      JobFailureCode: code,
      JobStartDateTime: new Date(Date.now() - hoursAgo * 3_600_000).toISOString().replace("T", " ").slice(0, 19),
      JobDurationInSecs: String(600 + i * 7),
      JobUniqueId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    },
  };
}

/** A day of hourly jobs: most complete, a guest agent failing since 6 hours ago, one VM gone 20 hours ago. */
function dayOfJobs() {
  const jobs = [];
  for (let h = 1; h <= 23; h++) {
    jobs.push(job(h * 2, h - 0.5, "Completed"));
    if (h <= 6) jobs.push(job(h * 2 + 1, h - 0.25, "Failed", "UserErrorGuestAgentStatusUnavailable"));
    if (h === 20) jobs.push(job(h * 2 + 1, h - 0.25, "Failed", "UserErrorVmNotFound"));
  }
  return jobs;
}

test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) await shot(page, "logs-failed");
});

test("logs explorer: KQL with completion and inline errors, rows and a chart, history, and a rule from the query", async ({ page }) => {
  test.setTimeout(240_000);
  const tenantName = `Northwind Logs ${run}`; // connections.spec.ts has "Northwind ${run}"
  const ruleName = `Guest agent failures ${run}`;
  const outside: string[] = [];
  page.on("request", (r) => {
    const host = new URL(r.url()).hostname;
    if (!["localhost", "127.0.0.1", "[::1]"].includes(host) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) outside.push(r.url());
  });
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  page.on("console", (m) => m.type() === "error" && console.log(`[console] ${m.text()}`));
  let slug = "";

  await test.step("sign in, create a tenant with a local workspace that holds a day of backup jobs", async () => {
    await signInAsAdmin(page);
    slug = await createTenant(page, tenantName);
    await createLocalWorkspace(page, "northwind-backup", dayOfJobs());
  });

  const editor = kqlEditor(page);

  await test.step("open Logs: the tenant's workspace is picked, samples invite a first query", async () => {
    await page.goto(`/t/${slug}/logs`);
    await expect(page.getByRole("heading", { name: "Logs" })).toBeVisible();
    // the workspace list reads each workspace's data state: slow on a loaded machine
    await expect(page.getByRole("checkbox", { name: /northwind-backup/ })).toBeChecked({ timeout: 30_000 });
    await expect(editor.root.locator(".view-lines")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("Run a query to see its rows")).toBeVisible();
    await shot(page, "logs-1-empty");
  });

  await test.step("type a query: completion offers the workspace's columns", async () => {
    await editor.setText("AzureDiagnostics\n| where ");
    await page.keyboard.type("JobFail");
    const suggest = page.locator(".suggest-widget.visible");
    // the Kusto worker (Kusto.Language, 8 MB of script) starts on first use: seconds on a loaded machine, and the
    // suggestions typing asked for before it answered are not shown; Ctrl+Space asks again, as a user would
    // (and the workspace's columns may reach it after the list opened: "No suggestions." closes and asks again)
    const column = suggest.getByRole("option", { name: /JobFailureCode_s/ }).first();
    await expect(async () => {
      if (!(await column.isVisible())) {
        if (await suggest.isVisible()) await page.keyboard.press("Escape");
        await page.keyboard.press("Control+Space");
      }
      await expect(column).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await shot(page, "logs-2-completion");
    // the documented AzureDiagnostics fields come in Log Analytics' _s, _g and _d forms: pick the string one
    await page.keyboard.type("Code_s");
    await expect(suggest.getByRole("option").first()).toContainText("JobFailureCode_s");
    await page.keyboard.press("Enter");
    await expect.poll(editor.text).toBe("AzureDiagnostics\n| where JobFailureCode_s");
    // accepting a column inserts it with a space after it, as Kusto's own editors do
    await page.keyboard.type('== "UserErrorGuestAgentStatusUnavailable"');
    await page.keyboard.press("Escape");
    await expect.poll(editor.text).toBe('AzureDiagnostics\n| where JobFailureCode_s == "UserErrorGuestAgentStatusUnavailable"');
  });

  await test.step("a column the workspace lacks is marked inline, and the server names its line and column", async () => {
    await editor.setText("AzureDiagnostics\n| where NoSuchColumn == 1");
    await expect(editor.root.locator(".squiggly-error").first()).toBeVisible();
    await expect(page.getByTestId("editor-problems")).toContainText("NoSuchColumn");
    await page.getByTestId("run-query").click();
    const error = page.getByTestId("query-error");
    await expect(error).toContainText("'NoSuchColumn'");
    await expect(error).toContainText("(line 2, column 9)");
    await shot(page, "logs-3-error");
  });

  await test.step("run with Ctrl+Enter: rows in the table and jobs by status over time in a chart", async () => {
    await editor.setText('AzureDiagnostics\n| where OperationName == "Job"\n| summarize Jobs = count() by bin(TimeGenerated, 1h), JobStatus_s\n| render columnchart');
    // the editor has the focus still
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect(page.getByTestId("query-error")).toHaveCount(0);
    await expect(page.getByTestId("logs-chart")).toBeVisible();
    await expect(page.getByTestId("logs-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    await expect(page.getByTestId("logs-chart")).toContainText("Failed");
    await shot(page, "logs-4-chart");
    await expectAccessible(page, "logs with a chart");
  });

  await test.step("the failing items, one row per job, and the history of what ran", async () => {
    await editor.setText(
      'AzureDiagnostics\n| where OperationName == "Job" and JobStatus_s == "Failed"\n| project TimeGenerated, BackupItemUniqueId_s, JobFailureCode_s, JobDurationInSecs_s\n| order by TimeGenerated desc',
    );
    await page.getByTestId("run-query").click();
    await expect(page.getByTestId("row-count")).toHaveText("7 rows");
    const results = page.getByTestId("logs-results");
    await expect(results.getByRole("columnheader", { name: /JobFailureCode_s/ })).toBeVisible();
    await expect(results.getByRole("cell", { name: "UserErrorGuestAgentStatusUnavailable" })).toHaveCount(6);
    await expect(results.getByRole("cell", { name: "UserErrorVmNotFound" })).toHaveCount(1);
    // the history holds each query once, newest first
    const history = page.getByTestId("query-history").getByRole("listitem");
    await expect(history.first()).toContainText('JobStatus_s == "Failed"');
    await expect(history.nth(1)).toContainText("render columnchart");
    await expect(history.nth(2)).toContainText("NoSuchColumn");
    await shot(page, "logs-5-rows");
  });

  await test.step("the URL holds the view: opening it again runs the same query", async () => {
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toContain('JobStatus_s == "Failed"');
    expect(url.searchParams.get("range")).toBe("P1D");
    await page.goto(url.toString());
    await expect(page.getByTestId("row-count")).toHaveText("7 rows");
  });

  await test.step("New alert rule carries the query and the workspace into the rule editor, where it is saved", async () => {
    await editor.setText('AzureDiagnostics\n| where OperationName == "Job" and JobFailureCode_s == "UserErrorGuestAgentStatusUnavailable"');
    await page.getByTestId("new-alert-rule").click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules/new\\?query=`));
    const ruleEditor = kqlEditor(page);
    await expect.poll(ruleEditor.text).toBe('AzureDiagnostics\n| where OperationName == "Job" and JobFailureCode_s == "UserErrorGuestAgentStatusUnavailable"');
    await expect(page.getByRole("checkbox", { name: /northwind-backup/ })).toBeChecked();
    await page.getByLabel("Name", { exact: true }).fill(ruleName);
    await shot(page, "logs-6-rule-editor");
    await expectAccessible(page, "rule editor from logs");
    await page.getByRole("button", { name: "Create rule" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/rules$`));
    await expect(page.getByTestId("rule-row").filter({ hasText: ruleName })).toContainText("northwind-backup");
  });

  expect(outside, "requests to hosts other than this app").toEqual([]);
});
