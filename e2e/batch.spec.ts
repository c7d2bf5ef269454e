import { readFile } from "node:fs/promises";
import { expectAccessible } from "./a11y";
import { expect, openTool, signUp, test, uniqueEmail } from "./support";

// Issue 16, item 4: a batch matrix planned and priced before it runs, stopped by its credit cap, read as a contact
// sheet and exported. The sandbox prices an SDXL model at 2 credits a run and an SD 1.5 model at 1 (sandbox/pricing.ts).

const PHONE = { width: 390, height: 844 };

test("Batch: plan a 3 × 2 × 2 matrix, see its totals, start it under a cap, watch it stop there, read and export the contact sheet", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = await signUp(page, { name: "Bea Batch", email: uniqueEmail("bea") });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A lighthouse at dusk");
  await page.getByRole("button", { name: "Batch…" }).click();
  const dialog = page.getByRole("dialog", { name: "Batch" });
  await expect(dialog).toBeVisible();

  // The form's prompt, model and aspect ratio are the start; three prompts from a CSV's prompt column, a second
  // model, a second ratio.
  await dialog.getByLabel("Name").fill("Coastline");
  await expect(dialog.getByLabel(/^Prompts/)).toHaveValue("A lighthouse at dusk");
  await dialog.getByLabel(/^Import prompts from a CSV/).setInputFiles({
    name: "prompts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from('id,prompt\n1,A lighthouse at dusk\n2,"A harbour at dawn"\n3,A cliff in fog\n'),
  });
  await expect(dialog).toContainText("3 prompts from “prompts.csv”.");
  await expect(dialog.getByLabel(/^Prompts/)).toHaveValue("A lighthouse at dusk\nA harbour at dawn\nA cliff in fog");
  await expect(dialog.getByRole("button", { name: /^JuggernautXL/ })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: /^DreamShaper\s*SD 1\.5$/ }).click();
  await dialog.getByRole("button", { name: "3:2", exact: true }).click();

  // Before anything runs: the runs, the credits (each model × ratio priced once), the budget and the balance.
  await expect(dialog.getByTestId("batch-runs")).toHaveText("12 runs");
  await expect(dialog.getByTestId("batch-credits")).toHaveText("18 credits");
  await expect(dialog).toContainText("JuggernautXL · 3:2 × 3");
  await expect(dialog).toContainText("2 credits each");
  await expect(dialog).toContainText("Prompts and seeds don't change the price");
  await expect(dialog).toContainText("You have no monthly budget in this workspace.");
  await expect(dialog).toContainText(/Balance: [\d,]+ credits\./);
  await expect(dialog.getByLabel("Credit cap")).toHaveValue("18");

  // Past a bound is refused before it is priced.
  await dialog.getByRole("radio", { name: "These:" }).check();
  await dialog.getByLabel("Seeds, separated by commas").fill(Array.from({ length: 51 }, (_, i) => i).join(", "));
  await expect(dialog).toContainText("At most 50 seeds.");
  await expect(dialog.getByRole("button", { name: "Start batch" })).toBeDisabled();
  await dialog.getByLabel("Seeds, separated by commas").fill("7");
  await expect(dialog.getByTestId("batch-runs")).toHaveText("12 runs");

  await dialog.getByLabel("Credit cap").fill("10");
  await expect(dialog).toContainText("It will stop before the end (the whole matrix is 18 credits).");
  await expect(dialog).not.toContainText("Pricing…");
  await expectAccessible(page, "the batch panel");
  await page.screenshot({ path: test.info().outputPath("batch-plan-desktop.png") });
  await dialog.getByRole("button", { name: "Start batch" }).click();

  // The batch page: it runs, then stops by itself at its cap with the reason in a sentence.
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/batches/`));
  await expect(page.getByRole("heading", { level: 1, name: "Coastline" })).toBeVisible();
  await expect(page.getByTestId("batch-state")).toHaveText("Paused", { timeout: 60_000 });
  await expect(page.getByTestId("pause-reason")).toContainText("Stopped at its cap: the next run costs 1 credit and 0 of its 10-credit cap are left.");
  const tally = page.getByTestId("batch-tally");
  await expect(tally).toContainText("Done6", { timeout: 30_000 });
  await expect(tally).toContainText("Left6");
  await expect(tally).toContainText("Credits10 of 10");

  // The contact sheet: prompts down, models across, both ratios in each square; six cells have pictures.
  const sheet = page.getByRole("region", { name: "Contact sheet" });
  await expect(sheet.getByRole("columnheader", { name: "JuggernautXL" })).toBeVisible();
  await expect(sheet.getByRole("rowheader", { name: "A cliff in fog" })).toBeVisible();
  await expect(sheet.getByTestId("sheet-cell")).toHaveCount(6);
  const pictures = sheet.getByRole("link");
  await expect(pictures).toHaveCount(6);
  for (const img of await sheet.locator("img").all()) {
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  await expect(sheet.getByTestId("sheet-cell").nth(5)).toContainText("Waiting");
  // Rows × columns as chosen.
  await sheet.getByLabel("Columns").selectOption("aspectRatio");
  await expect(sheet.getByRole("columnheader", { name: "3:2" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("batch-sheet-desktop.png"), fullPage: true });
  await expectAccessible(page, "the batch page");

  // Export the PNG and open it.
  const [download] = await Promise.all([page.waitForEvent("download"), sheet.getByRole("button", { name: "Export PNG" }).click()]);
  expect(download.suggestedFilename()).toBe("Coastline contact sheet.png");
  const png = await readFile((await download.path())!);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const viewer = await page.context().newPage();
  await viewer.setContent(`<img alt="sheet" src="data:image/png;base64,${png.toString("base64")}">`);
  const size = await viewer.getByRole("img", { name: "sheet" }).evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
  expect(size.width).toBeGreaterThan(600);
  expect(size.height).toBeGreaterThan(500);
  await viewer.screenshot({ path: test.info().outputPath("batch-contact-sheet-export.png"), fullPage: true });
  await viewer.close();

  // PDF: the print style keeps the sheet alone on the page, which the print dialog saves as a PDF.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Resume" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Gallery" }).first()).toBeHidden();
  await expect(sheet.getByRole("heading", { name: "Coastline" })).toBeVisible();
  await expect(sheet.getByRole("rowheader", { name: "A cliff in fog" })).toBeVisible();
  const pdf = await page.pdf({ path: test.info().outputPath("batch-contact-sheet.pdf") });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });

  // A cell links to its gallery detail.
  await pictures.first().click();
  await expect(page).toHaveURL(/\/gallery\?board=.*&item=/);
  await expect(page.getByRole("dialog")).toContainText("A lighthouse at dusk");
  await page.goBack();

  // Two pictures of the sheet, compared side by side.
  const ticks = sheet.getByRole("button", { name: /^Compare .+ \(\d\)$/ });
  await ticks.nth(0).click();
  await ticks.nth(1).click();
  await expect(ticks.nth(0)).toHaveAttribute("aria-pressed", "true");
  await sheet.getByRole("link", { name: "Compare 2" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Compare 2 items" })).toBeVisible();
  await page.goBack();

  // Cancel: the six cells never sent stay unsent.
  await page.getByRole("button", { name: "Cancel batch" }).click();
  await expect(page.getByTestId("batch-state")).toHaveText("Cancelled");
  await expect(page.getByText("Cancelled: 6 runs never submitted.")).toBeVisible();
  await expect(sheet.getByText("Cancelled").first()).toBeVisible();

  // On a phone the page and the panel fit the screen.
  await page.setViewportSize(PHONE);
  await page.reload();
  await expect(page.getByTestId("batch-state")).toHaveText("Cancelled");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: test.info().outputPath("batch-sheet-phone.png"), fullPage: true });
  await openTool(page, slug, "Image");
  await page.getByRole("button", { name: "Batch…" }).click();
  await expect(page.getByRole("dialog", { name: "Batch" }).getByRole("button", { name: "Start batch" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: test.info().outputPath("batch-plan-phone.png") });
});
