import { expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// Issue 16: a member's recent prompts per tool, searchable, with the result beside each, one key away from the prompt.

test("Prompt history: ↑ in an empty prompt lists my recent prompts with their results; search, then Enter uses one", async ({ page }) => {
  const slug = await signUp(page, { name: "Hana History", email: uniqueEmail("hana") });
  await openTool(page, slug, "Image");
  const prompt = page.getByLabel("Prompt", { exact: true });
  for (const text of ["A lighthouse on a cliff at dusk", "A koi pond in the rain"]) {
    await prompt.fill(text);
    await submitTool(page, "Generate");
    await expect(runCards(page).filter({ hasText: text })).toHaveCount(1);
  }
  await expectReadyImages(runCards(page).first(), 1);
  await expectReadyImages(runCards(page).nth(1), 1);

  // Keyboard first: ↑ in the empty box opens the history, newest first, each with its result's thumbnail.
  await prompt.fill("");
  await prompt.press("ArrowUp");
  const dialog = page.getByRole("dialog", { name: "Recent prompts" });
  await expect(dialog).toBeVisible();
  const search = dialog.getByRole("combobox", { name: "Search your prompts" });
  await expect(search).toBeFocused();
  const options = dialog.getByRole("option");
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toContainText("A koi pond in the rain");
  await expect(options.nth(1)).toContainText("A lighthouse on a cliff at dusk");
  for (const thumb of await dialog.locator("img").all()) {
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: test.info().outputPath("prompt-history.png") });

  // Search narrows the list; a search with no match says so.
  await search.fill("zebra");
  await expect(dialog).toContainText("None of your prompts contains “zebra”.");
  await search.fill("LIGHT");
  await expect(options).toHaveCount(1);
  await search.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(prompt).toHaveValue("A lighthouse on a cliff at dusk");
  await expect(prompt).toBeFocused();

  // ↑ in a box with text moves the caret as usual; Escape from the history puts the prompt back as it was.
  await prompt.press("ArrowUp");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "History" }).first().click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("combobox").press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(prompt).toHaveValue("A lighthouse on a cliff at dusk");
  await expect(prompt).toBeFocused();

  // Another tool has its own history.
  await openTool(page, slug, "ControlNet");
  await page.getByLabel("Prompt", { exact: true }).press("ArrowUp");
  await expect(dialog).toContainText("No prompts yet");
});
