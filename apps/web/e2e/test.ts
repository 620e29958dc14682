import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base } from "@playwright/test";

/**
 * The specs' `test`: Playwright's, with each spec file signing in as a client of its own. Sign-in allows five attempts
 * a minute per client address; the server trusts X-Forwarded-For from loopback (playwright.config.ts), so every file
 * sends its own documentation-range address and is throttled only by its own attempts, never by those of the files
 * that ran before it in the same worker.
 */
const specFiles = readdirSync(path.dirname(fileURLToPath(import.meta.url)))
  .filter((f) => f.endsWith(".spec.ts"))
  .sort();

export function clientAddressOf(specFile: string): string {
  const i = specFiles.indexOf(path.basename(specFile));
  if (i < 0) throw new Error(`${specFile} is not a spec of e2e/`);
  return `198.51.100.${i + 1}`;
}

export const test = base.extend({
  // (the fixture callback is not named `use`: the web's React hooks lint rule would take it for React's)
  extraHTTPHeaders: async ({ extraHTTPHeaders }, provide, testInfo) => {
    await provide({ ...extraHTTPHeaders, "x-forwarded-for": clientAddressOf(testInfo.file) });
  },
});

export { expect } from "@playwright/test";
