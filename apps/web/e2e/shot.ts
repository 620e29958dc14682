import type { Page } from "@playwright/test";

/**
 * Saves what the page shows now as e2e/screenshots/<name>.png, for a person to look at; no test reads them back.
 * Only when E2E_SCREENSHOTS=1: each one costs the browser a full raster and a PNG encode, and `npm test`, which
 * nobody watches, took over a hundred of them. `pnpm --filter @vaultwatch/web e2e:shots` takes them all.
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  if (process.env.E2E_SCREENSHOTS !== "1") return;
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: options.fullPage ?? false });
}
