/**
 * The accessibility check itself (a11y.ts): on a page with known problems it reports each serious or critical one.
 * Every other spec relies on it finding nothing; this one proves it still finds something (axe's rule impacts:
 * dequeuniversity.com/rules/axe: button-name and image-alt critical, color-contrast serious).
 */
import { blockingViolations } from "./a11y";
import { expect, test } from "./test";

test("the accessibility check reports a nameless button, an image without alt text and faint text", async ({ page }) => {
  await page.setContent(
    `<!doctype html><html lang="en"><head><title>check</title></head><body><main><h1>Check</h1>` +
      `<p style="color:#c8c8c8;background:#fff">faint text</p><button></button><img src="data:,"></main></body></html>`,
  );
  const rules = (await blockingViolations(page)).map((line) => line.slice(0, line.indexOf(":"))).sort();
  expect(rules).toEqual(["critical button-name", "critical image-alt", "serious color-contrast"]);
});
