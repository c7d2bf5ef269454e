import { writeFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, failedLoad, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail, uploadInto, useOwnSandboxKey } from "./support";

// The generation tools' rough edges (issue 14): the gallery picker says what each item is and can be searched, a
// chosen item is named by its prompt, a wrong file type names what the picker takes, the board beside Generate is
// remembered across tools, a run's placeholders have its number and shape, and a run whose results were emptied
// from the trash says so.

/** The smallest GIF (1 × 1), a type uploads take but Edit's image input does not. */
const GIF_BYTES = Buffer.from("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b", "hex");

async function chooseModel(page: Page) {
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await expect(dialog).toBeHidden();
}

async function makeImage(page: Page, prompt: string) {
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  await page.getByRole("radio", { name: "1 image", exact: true }).click();
  await submitTool(page, "Generate");
  await expectReadyImages(runCards(page).first(), 1);
}

test("The gallery picker shows prompts and tools and searches them; a chosen item is named by its prompt; wrong types name the picker's formats", async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(120_000);
  const slug = await signUp(page, { name: "Tia Tools", email: uniqueEmail("tia") });
  await openTool(page, slug, "Image");
  await chooseModel(page);
  await makeImage(page, "A copper kettle on a wood stove");
  await makeImage(page, "A striped lighthouse in fog");

  await openTool(page, slug, "Edit");
  const picker = page.getByRole("group", { name: "Image", exact: true });
  await picker.getByRole("button", { name: "Gallery" }).click();
  const dialog = page.getByRole("dialog", { name: "Choose an image" });
  const tiles = dialog.getByRole("tabpanel").getByRole("listitem");
  await expect(tiles).toHaveCount(2);
  await expect(tiles.first()).toContainText("A striped lighthouse in fog");
  await expect(tiles.first()).toContainText("Image");
  // The gallery's own search: stemmed words over prompts.
  await dialog.getByRole("searchbox", { name: "Search the gallery by prompt" }).fill("kettles");
  await expect(tiles).toHaveCount(1);
  await expect(tiles.first()).toContainText("A copper kettle on a wood stove");
  await dialog.getByRole("searchbox", { name: "Search the gallery by prompt" }).fill("zebras");
  await expect(dialog.getByText("No images match “zebras”")).toBeVisible();
  await dialog.getByRole("searchbox", { name: "Search the gallery by prompt" }).fill("kettle");
  await tiles.first().getByRole("button").click();
  await expect(dialog).toBeHidden();
  // The chosen item is named by its prompt, not "Chosen image".
  await expect(picker).toContainText("A copper kettle on a wood stove");
  await expect(picker).not.toContainText("Chosen image");
  await page.screenshot({ path: test.info().outputPath("edit-chosen-from-gallery.png") });

  // A GIF is refused before it is sent, with what this picker takes.
  const gif = test.info().outputPath("loop.gif");
  await writeFile(gif, GIF_BYTES);
  await uploadInto(page, "Image", gif);
  await expect(picker.getByRole("alert")).toHaveText("loop.gif isn't a supported image. Use PNG, JPEG or WebP.");
  // A GIF named .png passes the browser's check; the server reads its content and refuses it, and the picker still
  // says what it takes rather than every type Atelier knows.
  consoleErrors.allow(failedLoad(415, `/api/w/${slug}/assets`)); // the upload API refuses the disguised GIF
  const disguised = test.info().outputPath("disguised.png");
  await writeFile(disguised, GIF_BYTES);
  await uploadInto(page, "Image", disguised);
  await expect(picker.getByRole("alert")).toHaveText("disguised.png's content isn't a supported image. Use PNG, JPEG or WebP.");
  await expect(picker).toContainText("A copper kettle on a wood stove"); // the chosen image stays
});

test("The board beside Generate is remembered across tools; a run's placeholders have its count and shape; results deleted for good say so", async ({
  page,
}) => {
  test.setTimeout(150_000); // two providers' worth of set-up, a slowed create, two results through the trash
  await page.setViewportSize({ width: 1440, height: 900 });
  const slug = await signUp(page, { name: "Ben Boards", email: uniqueEmail("ben") });
  await page.goto(`/w/${slug}/gallery`);
  await page.getByRole("button", { name: "New board" }).click();
  await page.getByLabel("Name").fill("Moodboard");
  await page.getByRole("button", { name: "Create board" }).click();
  await expect(page.getByTestId("board-list")).toContainText("Moodboard");

  await openTool(page, slug, "Image");
  // No runs yet: the page is exactly the screen's height (the form scrolls on its own), nothing to scroll past.
  await expect(page.getByText("No runs yet")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBe(0);
  const board = page.getByRole("combobox", { name: "Save results to board" });
  await board.selectOption({ label: "Board: Moodboard" });
  await openTool(page, slug, "Edit");
  await expect(board).toHaveValue(/.+/);
  await expect(board.locator("option:checked")).toHaveText("Board: Moodboard");
  await page.reload();
  await expect(board.locator("option:checked")).toHaveText("Board: Moodboard");
  await board.selectOption({ label: "No board" });

  // The workspace's own RenderNet key (the test server's RenderNet is its sandbox), so the test can slow its creates.
  const { hooks } = await useOwnSandboxKey(page, slug, "edges");
  expect((await hooks("faults", { rules: [{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "latency", latencyMs: 4000, times: 1 }] })).ok()).toBe(true);

  // 2 images at 16:9: two 16:9 placeholders while the create is on its way.
  await openTool(page, slug, "Image");
  await chooseModel(page);
  await page.getByLabel("Prompt", { exact: true }).fill("A tram crossing a bridge at night");
  await page.getByRole("radio", { name: "2 images", exact: true }).click();
  await page.getByRole("radio", { name: "16:9 landscape" }).click();
  await submitTool(page, "Generate");
  const run = runCards(page).first();
  const placeholders = run.getByRole("img", { name: /^(Generating|Uploading input)$/ });
  await expect(placeholders).toHaveCount(2);
  for (const tile of await placeholders.all()) {
    const box = (await tile.boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 1);
  }
  await page.screenshot({ path: test.info().outputPath("placeholders-16x9.png") });
  await expectReadyImages(run, 2);

  // Both results to the trash, then emptied: the run's card says they are gone for good.
  await page.goto(`/w/${slug}/gallery`);
  const grid = page.getByTestId("gallery-grid").getByRole("listitem");
  await expect(grid).toHaveCount(2);
  for (const tile of await grid.all()) await tile.getByRole("checkbox").click();
  await page.getByRole("toolbar", { name: "Selected items" }).getByRole("button", { name: "Delete" }).click();
  await expect(grid).toHaveCount(0);
  await page.getByRole("tab", { name: /Trash \(2\)/ }).click();
  await page.getByRole("button", { name: "Empty trash" }).click();
  await page.getByRole("dialog", { name: "Delete 2 items for good?" }).getByRole("button", { name: "Empty trash" }).click();
  await expect(page.getByRole("dialog", { name: "Delete 2 items for good?" })).toBeHidden();
  await openTool(page, slug, "Image");
  await expect(runCards(page).first().getByTestId("results-deleted")).toHaveText("Its results were deleted for good (emptied from the trash).");
  await expect(runCards(page).first().getByRole("button", { name: /^Open image/ })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("results-deleted.png") });
});

test("Generate waits for the catalogue a fresh Image form takes its model from: a click can't land on a half-filled form", async ({ page }) => {
  const slug = await signUp(page, { name: "Lou Latecomer", email: uniqueEmail("lou") });
  // The catalogue answers late (a slow provider account): until it does, the form has no model.
  let release = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/w/${slug}/catalog`, async (route) => {
    await answered;
    await route.continue();
  });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A lantern in the fog");
  const button = page.getByRole("button", { name: /^(Generate|Loading models)/ });
  await expect(button).toHaveText("Loading models…");
  await expect(button).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath("waiting-for-models.png") });
  release();
  await expect(page.getByRole("button", { name: /^Model or style/ })).toContainText("JuggernautXL");
  await expect(button).toBeEnabled();
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
  await expectReadyImages(runCards(page).first(), 1);
});
