import { expect, type Locator, type Page } from "@playwright/test";

/**
 * The KQL editor (Monaco) as a person uses it: click into it, select all, type. Its text is read from the rendered
 * lines (Monaco keeps the model out of the DOM), which holds for queries shorter than the editor.
 */
export function kqlEditor(page: Page, within: Page | Locator = page) {
  const root = within.getByTestId("kql-editor");
  const input = root.getByRole("textbox", { name: "KQL query" });

  async function text(): Promise<string> {
    await expect(root.locator(".view-lines")).toBeVisible();
    return root.locator(".view-lines").evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>(".view-line")]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? "").replace(/\u00a0/g, " "))
        .join("\n")
        .trimEnd(),
    );
  }

  async function clear() {
    await root.locator(".view-lines").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
  }

  /** Replaces the text at once (as a paste would): no completion pops up in between. */
  async function setText(value: string) {
    await clear();
    await page.keyboard.insertText(value);
    // completion may open on the last word: close it, so the next click or key goes where it is meant
    await page.keyboard.press("Escape");
    await expect.poll(text).toBe(value.trimEnd());
  }

  return { root, input, text, clear, setText };
}
