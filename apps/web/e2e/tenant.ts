import { expect, type Page } from "@playwright/test";

/**
 * Creates a tenant as an admin does (Tenants → New tenant) and opens it; returns its slug. Specs run two at a time
 * against one database with one admin, so each names its tenants distinctly (the link is found by its name).
 */
export async function createTenant(page: Page, name: string): Promise<string> {
  await page.getByRole("link", { name: "Tenants", exact: true }).click();
  await expect(page).toHaveURL(/\/tenants$/);
  await page.getByRole("button", { name: "New tenant" }).click();
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(/\/t\/[^/]+\/vaults$/);
  return new URL(page.url()).pathname.split("/")[2]!;
}

/**
 * Creates a local workspace in the open tenant (Workspaces → New local workspace), pushes `records` (the resource-log
 * `{"records": [...]}` shape) with the ingest key the dialog shows once, and closes the dialog.
 */
export async function createLocalWorkspace(page: Page, name: string, records: unknown[] = []) {
  await page.getByRole("link", { name: "Workspaces", exact: true }).click();
  await page.getByRole("button", { name: "New local workspace" }).first().click();
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  const keys = page.getByRole("dialog", { name: /keys/i });
  const ingestKey = await keys.getByTestId("ingest-key").inputValue();
  const ingestUrl = await keys.getByTestId("ingest-url").inputValue();
  if (records.length) {
    const pushed = await page.request.post(ingestUrl, { headers: { authorization: `Bearer ${ingestKey}` }, data: { records } });
    expect(pushed.status()).toBe(200);
  }
  await keys.getByRole("button", { name: "I have saved them" }).click();
  await expect(keys).toBeHidden();
}

/**
 * Options for a spec's seeding transaction: dozens of rows through the product's own writers, on a machine the whole
 * suite keeps busy. Prisma's default (5 s) was once exceeded by 65 ms, failing the spec before it began.
 */
export const SEED_TRANSACTION = { timeout: 60_000, maxWait: 30_000 };
