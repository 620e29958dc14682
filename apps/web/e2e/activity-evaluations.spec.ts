/**
 * The activity log explorer and the evaluations page in a real browser. Activity-log records are pushed to a local
 * workspace through /api/ingest as a subscription's diagnostic setting sends them (the storage / Event Hubs shape),
 * then filtered by level and caller with the filters kept in the URL, and one event opened. Rule runs are recorded as
 * the evaluator records them; the page shows the failing pair first with its error, and its runs.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./test";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { logRuleSchema, splitRule } from "@vaultwatch/schemas";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";
const UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
const SUB = "6b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const vault = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${name}`;


/** A record as the activity log's diagnostic setting streams it (resultType is the REST status). */
const record = (resourceId: string, operationName: string, minutesAgo: number, resultType: string, level: string, upn: string) => ({
  time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  resourceId,
  operationName,
  category: "Write",
  resultType,
  resultSignature: resultType,
  durationMs: 0,
  callerIpAddress: "203.0.113.50",
  correlationId: randomUUID(),
  identity: { claims: { [UPN]: upn } },
  level,
  location: "global",
  properties: { eventCategory: "Administrative", eventDataId: randomUUID(), operationId: randomUUID() },
});

/** A local workspace with ingest key, a log rule on it, and three of its runs (the last an error) and a clean rule. */
async function seed(slug: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    const ingest = generateApiKey("vwi");
    const query = generateApiKey("vwq");
    const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "Contoso LA", kind: "local", ingestKeyHash: ingest.hash, queryKeyHash: query.hash } });
    const ruleIds: string[] = [];
    for (const name of ["Failed backups", "Missing backups"]) {
      const parsed = logRuleSchema.parse({ name, workspaceIds: [ws.id], query: "AzureDiagnostics | where OperationName == 'Job'", evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity: 1 });
      const { columns, definition } = splitRule({ kind: "log", ...parsed });
      const rule = await db.alertRule.create({ data: { tenantId: tenant.id, ...columns, enabled: false, definition } });
      await db.alertRuleWorkspace.create({ data: { tenantId: tenant.id, ruleId: rule.id, workspaceId: ws.id } });
      ruleIds.push(rule.id);
    }
    const tick = (n: number) => new Date(Math.floor(Date.now() / 300_000) * 300_000 - n * 300_000);
    const after = (d: Date, ms: number) => new Date(d.getTime() + ms);
    const base = { tenantId: tenant.id, workspaceId: ws.id };
    await db.ruleEvaluation.createMany({
      data: [
        { ...base, ruleId: ruleIds[0]!, scheduledFor: tick(2), startedAt: after(tick(2), 1_500), finishedAt: after(tick(2), 1_900), rowsSeen: 2, outcome: "fired" },
        { ...base, ruleId: ruleIds[0]!, scheduledFor: tick(1), startedAt: after(tick(1), 2_000), finishedAt: after(tick(1), 2_300), outcome: "error", error: "'where' operator: Failed to resolve column named 'JobStatus'" },
        { ...base, ruleId: ruleIds[1]!, scheduledFor: tick(1), startedAt: after(tick(1), 800), finishedAt: after(tick(1), 950), rowsSeen: 0, outcome: "ok" },
      ],
    });
    return { workspaceId: ws.id, ingestKey: ingest.key };
  } finally {
    await db.$disconnect();
  }
}

test("activity log and evaluations: filter events in the URL, open one; the failing rule first, with its runs", async ({ page }) => {
  test.setTimeout(180_000);
  const tenantName = `Northwind Activity ${run}`;
  let slug = "";

  await test.step("sign in, create a tenant, push activity-log records to its workspace", async () => {
    await signInAsAdmin(page);
    slug = await createTenant(page, tenantName);
    const { workspaceId, ingestKey } = await seed(slug);
    const records = [
      record(vault("rsv-north"), "Microsoft.RecoveryServices/vaults/delete", 30, "Failed", "Error", "mallory@northwind.example"),
      record(vault("rsv-north"), "Microsoft.RecoveryServices/vaults/backupPolicies/write", 20, "Succeeded", "Informational", "ops@northwind.example"),
      record(vault("rsv-south"), "Microsoft.RecoveryServices/vaults/write", 10, "Succeeded", "Informational", "mallory@northwind.example"),
    ];
    const pushed = await page.request.post(`/api/ingest/${workspaceId}/records`, { headers: { authorization: `Bearer ${ingestKey}` }, data: { records } });
    expect(pushed.status()).toBe(200);
  });

  await test.step("the activity log lists the events newest first; filters narrow it and live in the URL", async () => {
    await page.getByRole("link", { name: "Activity log", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/activity$`));
    const rows = page.getByRole("row", { name: /^Event / });
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText("Microsoft.RecoveryServices/vaults/write");
    await shot(page, "activity-list");
    await expectAccessible(page, "activity log");

    await page.getByRole("group", { name: "Level" }).getByRole("button", { name: "Error" }).click();
    await expect(page).toHaveURL(/level=Error/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("vaults/delete");
    await expect(rows.first()).toContainText("Failed");
    await expect(rows.first()).toContainText("mallory@northwind.example");

    await page.getByRole("group", { name: "Level" }).getByRole("button", { name: "Error" }).click();
    await page.getByLabel("Caller").fill("mallory@");
    await expect(page).toHaveURL(/caller=mallory%40/);
    await expect(rows).toHaveCount(2);

    // the URL alone brings the same view back (a shared link)
    await page.reload();
    await expect(page.getByLabel("Caller")).toHaveValue("mallory@");
    await expect(rows).toHaveCount(2);
  });

  await test.step("an event opens in a panel with its fields and the REST shape", async () => {
    await page.getByRole("row", { name: /^Event .*vaults\/delete/ }).click();
    const panel = page.getByRole("dialog");
    await expect(panel).toContainText("Microsoft.RecoveryServices/vaults/delete");
    await expect(panel).toContainText("mallory@northwind.example");
    await expect(panel).toContainText("203.0.113.50");
    await expect(panel).toContainText('"value": "Failed"');
    await expect(page).toHaveURL(/event=/);
    await shot(page, "activity-event");
    await expectAccessible(page, "activity event panel");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });

  await test.step("evaluations: the failing pair first with its error, its runs on demand, failing only", async () => {
    await page.getByRole("link", { name: "Evaluations", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/evaluations$`));
    await expect(page.getByText("2 rule–workspace pairs ran in this window")).toBeVisible();
    const body = page.locator("tbody > tr");
    await expect(body.first()).toContainText("Failed backups");
    await expect(body.first()).toContainText("Failed to resolve column named 'JobStatus'");
    await expect(body.nth(1)).toContainText("Missing backups");
    await expect(body.nth(1)).toContainText("ok");
    await page.getByRole("button", { name: "Runs of Failed backups on Contoso LA" }).click();
    const runs = page.getByRole("table", { name: "Recent runs" });
    await expect(runs.locator("tbody tr")).toHaveCount(2);
    await expect(runs.locator("tbody tr").nth(1)).toContainText("fired");
    await shot(page, "evaluations");
    await expectAccessible(page, "evaluations");
    // sorting is the server's and lives in the URL; the header says which way it sorts
    const duration = page.locator("th", { has: page.getByTestId("sort-duration") });
    await page.getByTestId("sort-duration").click();
    await expect(page).toHaveURL(/sort=duration&dir=desc/);
    await expect(duration).toHaveAttribute("aria-sort", "descending");
    await page.getByTestId("sort-duration").press("Enter");
    await expect(page).toHaveURL(/sort=duration&dir=asc/);
    await expect(duration).toHaveAttribute("aria-sort", "ascending");
    await page.getByTestId("sort-attention").click();
    await expect(page).not.toHaveURL(/sort=/);
    await page.getByRole("switch", { name: "Failing only" }).click();
    await expect(page).toHaveURL(/failing=1/);
    await expect(page.getByText("Missing backups")).toBeHidden();
    await expect(page.getByText("Failed backups").first()).toBeVisible();
  });
});
