import type { Page } from "@playwright/test";
import { expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// Issue 16: compare 2–4 results side by side with synced zoom and pan and their differing settings marked, and a
// result over its input with a before/after slider.

const tiles = (page: Page) => page.getByTestId("gallery-grid").getByRole("listitem");

test("Compare: a run's two results, two gallery items with their differences, and an upscale before and after", async ({ page }) => {
  const slug = await signUp(page, { name: "Cleo Compare", email: uniqueEmail("cleo") });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A red kite over the dunes");
  await page.getByRole("radio", { name: "2 images", exact: true }).click();
  await submitTool(page, "Generate");
  await expectReadyImages(runCards(page).first(), 2);
  await page.getByLabel("Prompt", { exact: true }).fill("A blue kite over the sea");
  await page.getByRole("radio", { name: "1 image", exact: true }).click();
  await page.getByRole("radio", { name: "16:9 landscape" }).click();
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(2);
  await expectReadyImages(runCards(page).first(), 1);

  // A run's results side by side, from its card: one run's settings are all the same.
  await runCards(page).nth(1).getByRole("link", { name: "Compare" }).click();
  await expect(page.getByRole("heading", { name: "Compare 2 items", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Settings/ })).toContainText("all the same");

  // Two items from the gallery: what differs is marked, and "Only differences" keeps just that.
  await page.goto(`/w/${slug}/gallery`);
  await tiles(page).nth(0).getByRole("checkbox").click();
  await tiles(page).nth(1).getByRole("checkbox").click();
  await page.getByRole("toolbar", { name: "Selected items" }).getByRole("link", { name: "Compare" }).click();
  await expect(page.getByRole("heading", { name: "Compare 2 items", level: 1 })).toBeVisible();
  const differing = page.locator("tr[data-differs]");
  await expect(differing.filter({ hasText: "Prompt" })).toContainText("A blue kite over the sea");
  await expect(differing.filter({ hasText: "Aspect ratio" })).toContainText("16:9");
  await expect(page.locator("tr:not([data-differs])").filter({ hasText: "Model or style" })).toHaveCount(1);
  await page.getByLabel("Only differences").check();
  await expect(page.locator("tbody tr:not([data-differs])")).toHaveCount(0);

  // Zoom moves both pictures together.
  await page.getByRole("button", { name: "Zoom in" }).click();
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(page.getByRole("toolbar", { name: "Zoom" })).toContainText("156%");
  const pictures = page.getByRole("list", { name: "Items compared" }).locator("img");
  await expect(pictures).toHaveCount(2);
  const transforms = await pictures.evaluateAll((images) => images.map((img) => (img as HTMLElement).style.transform));
  expect(transforms[0]).toContain("scale(1.5625)");
  expect(transforms[1]).toBe(transforms[0]);
  await page.getByRole("img", { name: /^1: Image/ }).focus();
  await page.keyboard.press("ArrowLeft");
  const panned = await pictures.evaluateAll((images) => images.map((img) => (img as HTMLElement).style.transform));
  expect(panned[0]).not.toBe(transforms[0]);
  expect(panned[1]).toBe(panned[0]);
  await page.screenshot({ path: test.info().outputPath("compare.png"), fullPage: true });

  // Before and after: an upscale over the image it was made from.
  await page.goto(`/w/${slug}/gallery`);
  await tiles(page).first().getByRole("button", { name: /^Open/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: /^Upscale 2×/ }).click();
  await expect(page.getByText("Upscaling 2×")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tiles(page).first().getByRole("button", { name: /^Open Enhance/ })).toBeVisible({ timeout: 20_000 });
  await tiles(page).first().getByRole("button", { name: /^Open Enhance/ }).click();
  await page.getByRole("dialog").getByRole("link", { name: "Compare before and after" }).click();
  await expect(page.getByRole("heading", { name: "Before and after", level: 1 })).toBeVisible();
  const divider = page.getByRole("slider", { name: "Divider between before and after" });
  await divider.focus();
  await page.keyboard.press("Home");
  await expect(divider).toHaveValue("0");
  await expect(page.getByRole("img", { name: /^After:/ })).toHaveCSS("clip-path", "inset(0px 0px 0px 0%)");
  await page.screenshot({ path: test.info().outputPath("before-after.png") });

  // Odd addresses say what to do instead of failing.
  await page.goto(`/w/${slug}/gallery/compare?ids=only-one`);
  await expect(page.getByText("Choose 2 to 4 items")).toBeVisible();
  await page.goto(`/w/${slug}/gallery/compare?ids=cm0000000000000000000001,cm0000000000000000000002`);
  await expect(page.getByText("Not enough to compare")).toBeVisible();
});
