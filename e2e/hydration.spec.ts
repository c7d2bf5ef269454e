import { expect, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

/** Every tool page, by its route segment under generate/ and its heading. */
const TOOL_PAGES = [
  ["image", "Image"],
  ["edit", "Edit"],
  ["enhance", "Enhance"],
  ["narrator", "Narrator"],
  ["image-to-video", "Image to video"],
  ["controlnet", "ControlNet"],
] as const;

const ROUNDS = 3;

/**
 * React's #418 (the server's HTML and the browser's first render disagree) came and went with timing: 7 of 18 loads of
 * the tool pages in one session. So each tool page is loaded several times, with runs in the workspace's queue (the
 * queue is filled by a request that can answer before the page's part of the tree has hydrated), and every load must
 * leave the console without an error.
 */
test("every tool page loads again and again with runs in the queue and not one console error", async ({ page, consoleErrors }) => {
  test.setTimeout(180_000); // 18 full page loads, each until the network is quiet
  const slug = await signUp(page, { name: "Hana Hydrate", email: uniqueEmail("hana") });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A paper boat on a puddle after rain");
  await submitTool(page, "Generate");
  await expect(runCards(page).first()).toHaveAttribute("aria-label", /, succeeded$/, { timeout: 20_000 });

  // The list above is every tool the picker offers.
  await page.goto(`/w/${slug}/generate`);
  await expect(page.getByRole("list", { name: "Tools" }).getByRole("link")).toHaveCount(TOOL_PAGES.length);

  for (let round = 1; round <= ROUNDS; round++) {
    for (const [segment, name] of TOOL_PAGES) {
      await page.goto(`/w/${slug}/generate/${segment}`);
      await expect(page.getByRole("heading", { level: 1, name, exact: true })).toBeVisible();
      // The run is on screen, so the queue's data has arrived and the page has hydrated around it.
      await expect(runCards(page).first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(consoleErrors.unexpected(), `load ${round} of ${segment}`).toEqual([]);
    }
  }
});
