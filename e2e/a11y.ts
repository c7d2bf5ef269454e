import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./support";

/** WCAG 2.1 levels A and AA: every rule axe-core tags with one of these runs, none is switched off. */
export const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Waits until the page is still: no request in flight, and every finite CSS animation or transition (a dialog's
 * pop-in, a fade) finished. Colour contrast measured mid-fade reads a half-transparent colour, so checking earlier
 * reports contrast failures that no one ever sees. Endless animations (a spinner, a skeleton's pulse) are left running.
 */
export async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
}

/**
 * Runs axe-core on the page as it is now (open dialogs and menus included) and fails with every WCAG 2.1 A/AA
 * violation it reports, each with the elements it found and why. `exclude` takes selectors of elements that are a
 * rule's true false positive; each use must say why next to it.
 */
export async function expectAccessible(page: Page, where: string, { exclude = [] }: { exclude?: string[] } = {}) {
  await settle(page);
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const report = violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 8).map((node) => `${node.target.join(" ")}: ${node.failureSummary?.replace(/\s+/g, " ").trim() ?? ""}`),
  }));
  expect(report, `accessibility violations on ${where} (${page.url()})`).toEqual([]);
}
