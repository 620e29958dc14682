/**
 * The Silences screen in a real browser: a recurring maintenance window made with the weekly builder (a refused RRULE
 * first, its error shown under the field), listed with what it matches and its schedule in words and its next
 * windows from the calendar (the last one across Europe's spring-forward), edited, and deleted.
 */
import { expect, test } from "./test";
import { signInAsAdmin } from "./sign-in";
import { createTenant } from "./tenant";
import { createDb } from "@vaultwatch/db";
import { activityRuleSchema, splitRule } from "@vaultwatch/schemas";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";


/** A rule for the silence to name, stored as the API stores it. */
async function seedRule(slug: string, name: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    const rule = activityRuleSchema.parse({
      name,
      condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/backup/action" }] },
    });
    const { columns, definition } = splitRule({ kind: "activity", ...rule });
    await db.alertRule.create({ data: { tenantId: tenant.id, ...columns, definition } });
  } finally {
    await db.$disconnect();
  }
}

test("silences: a recurring maintenance window with its next windows, edited and deleted", async ({ page }) => {
  test.setTimeout(180_000);
  const tenantName = `Fabrikam Maintenance ${run}`; // its own name: action-groups.spec makes "Fabrikam <run>" at the same time
  const ruleName = `Backup failed ${run}`;
  let slug = "";

  await test.step("sign in and create a tenant with a rule", async () => {
    await signInAsAdmin(page);
    slug = await createTenant(page, tenantName);
    await seedRule(slug, ruleName);
  });

  await test.step("an empty list, then a refused RRULE shows its error under the field", async () => {
    await page.getByRole("link", { name: "Silences", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/silences$`));
    await expect(page.getByText("No silences")).toBeVisible();
    await page.getByRole("button", { name: "New silence" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New silence" });
    await dialog.getByLabel("Name").fill("Sunday patching");
    await dialog.getByLabel("Comment").fill("monthly OS updates");
    await dialog.getByLabel("Time zone").fill("Europe/Berlin");
    await dialog.getByText("RRULE (RFC 5545)").click();
    await dialog.getByLabel("RRULE", { exact: true }).fill("FREQ=HOURLY");
    await dialog.getByLabel("Starts at").fill("01:00");
    await dialog.getByLabel("Hours").fill("4");
    await dialog.getByLabel("Minutes").fill("0");
    await dialog.getByLabel("From").fill("2030-03-01");
    await dialog.getByRole("button", { name: "Sev2 Warning" }).click();
    await dialog.getByRole("button", { name: "Sev3 Informational" }).click();
    await dialog.getByRole("button", { name: "Sev4 Verbose" }).click();
    await dialog.getByRole("checkbox", { name: ruleName }).check();
    await dialog.getByLabel("Vaults").fill("contoso-rsv");
    await dialog.getByRole("button", { name: "Create silence" }).click();
    await expect(dialog.getByTestId("silence-rrule-error")).toHaveText(
      "recurrence.rrule FREQ=HOURLY is not allowed: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY",
    );
    await shot(page, "silences-01-rrule-error");
    await expectAccessible(page, "silence dialog");
  });

  await test.step("the weekly builder: every Sunday 01:00–05:00 Berlin, listed with its next windows", async () => {
    const dialog = page.getByRole("dialog", { name: "New silence" });
    await dialog.getByText("Weekly on days").click();
    await expect(dialog.getByRole("button", { name: "Sun", pressed: true })).toBeVisible();
    await dialog.getByRole("button", { name: "Create silence" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId("silence-row").filter({ hasText: "Sunday patching" });
    await expect(row.getByTestId("silence-matches")).toHaveText(`Sev2–4 alerts of rule '${ruleName}' on vault contoso-rsv`);
    await expect(row.getByTestId("silence-schedule")).toHaveText("every Sunday 01:00–05:00 Europe/Berlin");
    await expect(row.getByTestId("silence-state")).toContainText("scheduled");
    await expect(row).toContainText(process.env.E2E_ADMIN_EMAIL ?? "");
    // the series starts on Sunday 2030-03-03; Europe springs forward on Sunday 2030-03-31 (05:00 CEST = 03:00 UTC)
    const windows = row.getByTestId("silence-windows").getByRole("listitem");
    await expect(windows).toHaveText(["Sun 3 Mar 01:00–05:00", "Sun 10 Mar 01:00–05:00", "Sun 17 Mar 01:00–05:00", "Sun 24 Mar 01:00–05:00", "Sun 31 Mar 01:00–05:00"]);
    await expect(windows.first()).toHaveAttribute("title", "2030-03-03 00:00:00 UTC – 2030-03-03 04:00:00 UTC");
    await expect(windows.last()).toHaveAttribute("title", "2030-03-31 00:00:00 UTC – 2030-03-31 03:00:00 UTC");
    await shot(page, "silences-02-list");
    await expectAccessible(page, "silences");
  });

  await test.step("the list filters by state on the server, in the URL", async () => {
    await page.getByTestId("silences-state-filter").selectOption("expired");
    await expect(page).toHaveURL(/state=expired/);
    await expect(page.getByText("No silence matches these filters")).toBeVisible();
    await page.getByTestId("silences-state-filter").selectOption("pending");
    await expect(page.getByTestId("silence-row").filter({ hasText: "Sunday patching" })).toBeVisible();
    await page.getByTestId("clear-filters").click();
    await expect(page).not.toHaveURL(/state=/);
  });

  await test.step("edit: Saturday too; delete with a confirmation", async () => {
    await page.getByRole("button", { name: "Edit Sunday patching" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit silence Sunday patching" });
    await expect(dialog.getByLabel("Name")).toHaveValue("Sunday patching");
    await expect(dialog.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
    await dialog.getByRole("button", { name: "Sat" }).click();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId("silence-row").filter({ hasText: "Sunday patching" });
    await expect(row.getByTestId("silence-schedule")).toHaveText("every Saturday and Sunday 01:00–05:00 Europe/Berlin");
    await expect(row.getByTestId("silence-windows").getByRole("listitem").first()).toHaveText("Sat 2 Mar 01:00–05:00");

    await page.getByRole("button", { name: "Delete Sunday patching" }).click();
    await page.getByRole("dialog", { name: /Delete silence/ }).getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("No silences")).toBeVisible();
  });
});
