import { expect, type Page } from "@playwright/test";

/**
 * Signs in as the e2e admin (global-setup.ts made it). Sign-in allows five attempts a minute per client address; each
 * spec has its own address (playwright.config.ts), but a spec that signs in often waits out the minute rather than fail.
 */
export async function signInAsAdmin(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(process.env.E2E_ADMIN_EMAIL ?? "");
  await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD ?? "");
  await page.getByRole("button", { name: "Sign in" }).click();
  const throttled = page.getByText("Too many attempts");
  await expect.poll(async () => (await throttled.isVisible()) || !page.url().includes("/login"), { timeout: 15_000 }).toBe(true);
  if (await throttled.isVisible()) {
    await page.waitForTimeout(61_000);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(page).not.toHaveURL(/\/login/);
}
