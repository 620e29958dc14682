/**
 * Invitations in a real browser: an owner invites an address that has an account and one that has none, and the
 * Members page answers both alike (an invite link, no name, nobody added); the existing user signs in on the invite
 * page and accepts; the new address creates its account there; a different signed-in user is refused someone else's
 * link with a message saying who it is for.
 */
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, test } from "./test";
import { createAuth, createPasswordUser } from "@vaultwatch/auth";
import { createDb } from "@vaultwatch/db";
import { expectAccessible } from "./a11y";
import { shot } from "./shot";

const run = process.env.E2E_RUN_ID ?? "x";


/** Users made straight in the database, as the first-run setup or an earlier invitation would have. */
async function seedUser(email: string, name: string, password: string) {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  try {
    const auth = createAuth({
      db,
      secret: process.env.E2E_AUTH_SECRET ?? "",
      baseURL: `http://localhost:${process.env.E2E_PORT}`,
    });
    await createPasswordUser(auth, { email, name, password });
  } finally {
    await db.$disconnect();
  }
}

/**
 * Clicks a sign-in button and waits until the page has moved on or says it is throttled; sign-in allows five
 * attempts a minute per address and every spec signs in from the same one, so a throttled click is retried once.
 */
async function submitSignIn(page: Page, button: Locator, stillHere: RegExp) {
  await button.click();
  const throttled = page.getByText("Too many attempts");
  await expect
    .poll(async () => (await throttled.isVisible()) || !stillHere.test(page.url()), { timeout: 15_000 })
    .toBe(true);
  if (await throttled.isVisible()) {
    await page.waitForTimeout(61_000);
    await button.click();
  }
  await expect(page).not.toHaveURL(stillHere);
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test("invitations: alike for known and unknown addresses, accepted by signing in or by creating the account", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const tenantName = `Initech ${run}`;
  const known = {
    email: `dana.known-${run}@example.test`,
    name: `Dana Known ${run}`,
    password: `pw-${run}-Dana-Battery-Staple`,
  };
  const fresh = {
    email: `riley.new-${run}@example.test`,
    name: "Riley New",
    password: `pw-${run}-Riley-Battery-Staple`,
  };
  const third = `pat.third-${run}@example.test`;
  const links: Record<string, string> = {};
  let slug = "";

  await seedUser(known.email, known.name, known.password);

  /** Invites from the Members page; returns the link and the dialog's text with the address and link taken out. */
  async function invite(email: string, role: string, screenshot?: string) {
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption(role);
    await dialog.getByRole("button", { name: "Invite", exact: true }).click();
    const link = dialog.getByLabel("Invitation link");
    await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    const url = await link.inputValue();
    if (screenshot) await shot(page, screenshot);
    const text = (await dialog.innerText()).replaceAll(url, "<link>").replaceAll(email, "<email>");
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    return { url, text };
  }

  await test.step("the owner invites an address with an account and one without; both answers look the same", async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(process.env.E2E_ADMIN_EMAIL ?? "");
    await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD ?? "");
    await submitSignIn(page, page.getByRole("button", { name: "Sign in" }), /\/login/);
    await page.getByRole("link", { name: "Tenants", exact: true }).click();
    await page.getByRole("button", { name: "New tenant" }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(tenantName);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("link", { name: tenantName }).click();
    await expect(page).toHaveURL(/\/t\/initech-[^/]+\/vaults$/);
    slug = new URL(page.url()).pathname.split("/")[2]!;
    await page.getByRole("link", { name: "Members", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/members$`));

    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page.getByRole("dialog").getByLabel("Email").fill(known.email);
    await shot(page, "40-invite-form");
    await page.keyboard.press("Escape");

    const a = await invite(known.email, "operator", "41-invite-link-existing-user");
    const b = await invite(fresh.email, "viewer", "42-invite-link-new-address");
    links.known = a.url;
    links.fresh = b.url;
    expect(a.url).not.toBe(b.url);
    // the same words for both; nothing names the account holder or says one exists
    expect(a.text).toBe(b.text);
    expect(a.text).not.toContain(known.name);

    const pending = page.getByRole("table").filter({ hasText: "Expires" });
    await expect(pending.getByRole("row").filter({ hasText: known.email })).toContainText("operator");
    await expect(pending.getByRole("row").filter({ hasText: fresh.email })).toContainText("viewer");
    const members = page.getByRole("table").filter({ hasText: "Joined" });
    await expect(members).toBeVisible();
    await expect(members).not.toContainText(known.email);
    await expect(members).not.toContainText(fresh.email);
    await expect(page.getByText(known.name)).toHaveCount(0);
    await shot(page, "43-members-pending");
    await expectAccessible(page, "members");
  });

  const dana = await newPage(browser);
  await test.step("the existing user opens the link signed out, signs in on it and joins as an operator", async () => {
    await dana.goto(links.known!);
    await expect(dana.getByRole("heading", { name: `Join ${tenantName}` })).toBeVisible();
    await expect(dana.getByText("Invited as operator")).toBeVisible();
    await shot(dana, "44-invite-page-signed-out");
    await expectAccessible(dana, "invitation page");

    // creating an account is the tab that opens; trying it for an address with an account leads to signing in
    await dana.getByLabel("Your name").fill("Dana again");
    await dana.getByLabel("Password", { exact: true }).fill(known.password);
    await dana.getByLabel("Confirm password").fill(known.password);
    await dana.getByRole("button", { name: "Create account and accept" }).click();
    await expect(dana.getByRole("tab", { name: "I have an account" })).toHaveAttribute("aria-selected", "true");
    await expect(dana.getByTestId("invite-notice")).toContainText("This address has an account already");
    await shot(dana, "44b-invite-has-account");

    // that attempt used nothing up: the link opens as before, and signing in from its own tab accepts it
    await dana.reload();
    await dana.getByRole("tab", { name: "I have an account" }).click();
    await expect(dana.getByLabel("Email")).toHaveValue(known.email);
    await expect(dana.getByLabel("Email")).not.toBeEditable();
    await dana.getByLabel("Password").fill(known.password);
    await shot(dana, "45-invite-sign-in");
    await submitSignIn(dana, dana.getByRole("button", { name: "Sign in and accept" }), /\/invite\//);
    await expect(dana).toHaveURL(new RegExp(`/t/${slug}/overview$`));
    await expect(dana.getByTestId("tenant-switcher")).toContainText(tenantName);
    await expect(dana.getByText(`You joined ${tenantName}`)).toBeVisible();
    // an invitee lands on the tenant's Overview
    await expect(dana.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await shot(dana, "46-existing-user-joined");

    await dana.getByRole("link", { name: "Members", exact: true }).click();
    const me = dana.getByRole("row").filter({ hasText: known.email });
    await expect(me).toContainText("(you)");
    await expect(me).toContainText("operator");
    // the invitation is used up: no longer pending, while the other one still is
    const pending = dana.getByRole("table").filter({ hasText: "Expires" });
    await expect(pending.getByRole("row").filter({ hasText: fresh.email })).toContainText("viewer");
    await expect(pending).not.toContainText(known.email);
  });

  await test.step("the new address opens its link, creates its account and lands in the tenant as a viewer", async () => {
    const riley = await newPage(browser);
    await riley.goto(links.fresh!);
    await expect(riley.getByRole("heading", { name: `Join ${tenantName}` })).toBeVisible();
    await expect(riley.getByRole("tab", { name: "Create an account" })).toHaveAttribute("aria-selected", "true");
    await expect(riley.getByLabel("Email")).toHaveValue(fresh.email);
    await riley.getByLabel("Your name").fill(fresh.name);
    await riley.getByLabel("Password", { exact: true }).fill(fresh.password);
    await riley.getByLabel("Confirm password").fill(`${fresh.password}-typo`);
    await riley.getByRole("button", { name: "Create account and accept" }).click();
    await expect(riley.getByText("Passwords do not match")).toBeVisible();
    await riley.getByLabel("Confirm password").fill(fresh.password);
    await shot(riley, "47-invite-create-account");
    await riley.getByRole("button", { name: "Create account and accept" }).click();
    // the new password signs in at once; only if sign-in is throttled does the page send the invitee to sign in
    await expect(riley).not.toHaveURL(/\/invite\//);
    if (riley.url().endsWith("/login")) {
      await riley.getByLabel("Email").fill(fresh.email);
      await riley.getByLabel("Password").fill(fresh.password);
      await submitSignIn(riley, riley.getByRole("button", { name: "Sign in" }), /\/login/);
    }
    await expect(riley).toHaveURL(new RegExp(`/t/${slug}/overview$`));
    await expect(riley.getByTestId("tenant-switcher")).toContainText(tenantName);
    await expect(riley.getByTestId("user-menu")).toContainText(fresh.name);
    await expect(riley.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await shot(riley, "48-new-user-joined");
    await riley.getByRole("link", { name: "Members", exact: true }).click();
    const me = riley.getByRole("row").filter({ hasText: fresh.email });
    await expect(me).toContainText("(you)");
    await expect(me).toContainText("viewer");

    // a used link opens nothing any more
    await riley.goto(links.fresh!);
    await expect(riley.getByRole("heading", { name: "This invitation link no longer works" })).toBeVisible();
    await expect(riley.getByText("Ask whoever invited you for a new link")).toBeVisible();
    await shot(riley, "49-invite-used");
    await riley.getByRole("button", { name: "Go to Vaultwatch" }).click();
    await expect(riley).toHaveURL(new RegExp(`/t/${slug}/overview$`));
    await riley.context().close();
  });

  await test.step("a different signed-in user opening someone else's link is refused and told who it is for", async () => {
    await page.goto(`/t/${slug}/members`);
    const c = await invite(third, "admin");
    await dana.goto(c.url);
    const refusal = dana.getByTestId("invite-other-user");
    await expect(refusal).toContainText(`You are signed in as ${known.email}`);
    await expect(refusal).toContainText(`This invitation is for ${third}`);
    await expect(dana.getByRole("button", { name: /accept/i })).toHaveCount(0);
    await shot(dana, "50-invite-other-user-refused");

    // signing out turns the page into the one the invitee would see, and the invitation is still pending
    await dana.getByRole("button", { name: "Sign out" }).click();
    await expect(dana.getByRole("tab", { name: "I have an account" })).toBeVisible();
    await page.reload();
    await expect(
      page.getByRole("table").filter({ hasText: "Expires" }).getByRole("row").filter({ hasText: third }),
    ).toContainText("admin");
    const members = page.getByRole("table").filter({ hasText: "Joined" });
    await expect(members.getByRole("row").filter({ hasText: known.email })).toBeVisible();
    await expect(members.getByRole("row").filter({ hasText: fresh.email })).toBeVisible();
    await expect(members).not.toContainText(third);
    await shot(page, "51-members-after");
    await dana.context().close();
  });
});
