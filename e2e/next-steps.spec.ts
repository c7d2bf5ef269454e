import { expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// Issue 16: every result leads on in one click (Vary and Upscale run at once, priced on the button; Edit, Animate,
// ControlNet open the tool with the result as input and the next field focused), and can be dragged onto a tool's input.

test("Next steps: upscale from the viewer at once, edit with Find focused, drag a result onto Animate, and a tile's menu", async ({ page }) => {
  const slug = await signUp(page, { name: "Nico Next", email: uniqueEmail("nico") });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A glass teapot on a windowsill");
  await submitTool(page, "Generate");
  const first = runCards(page).first();
  await expectReadyImages(first, 1);

  // The viewer: Upscale 2× shows its price, and one click starts an Enhance run of this very image.
  await first.getByRole("button", { name: "Open image 1" }).click();
  const viewer = page.getByRole("dialog", { name: /^Image/ });
  const upscale = viewer.getByRole("button", { name: /^Upscale 2×/ });
  await expect(upscale).toHaveText(/Upscale 2× · ≈ \d+ credits?/);
  await page.screenshot({ path: test.info().outputPath("viewer-next-steps.png") });
  await upscale.click();
  await expect(page.getByText("Upscaling 2×")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(runCards(page)).toHaveCount(2);
  await expect(runCards(page).first()).toHaveAttribute("aria-label", /^Enhance run/);
  await expectReadyImages(runCards(page).first(), 1);

  // Edit: the tool opens with the result as its image, the caret in Find.
  await runCards(page).nth(1).getByRole("button", { name: "Open image 1" }).click();
  await viewer.getByRole("link", { name: "Edit" }).click();
  await page.waitForURL(/\/generate\/edit\?input=/);
  await expect(page.getByRole("group", { name: "Image", exact: true })).toContainText("A glass teapot on a windowsill");
  await expect(page.getByLabel("Find")).toBeFocused();

  // Drag: the teapot from the runs panel onto Image to video's input.
  await openTool(page, slug, "Image to video");
  const picker = page.getByRole("group", { name: "Image", exact: true });
  await expect(picker).not.toContainText("A glass teapot");
  await runCards(page).last().getByRole("button", { name: "Open image 1" }).dragTo(picker);
  await expect(picker).toContainText("A glass teapot on a windowsill");

  // The gallery: a tile's menu, priced when opened; Animate opens Image to video with the image, the crop offered and Motion focused.
  await page.goto(`/w/${slug}/gallery`);
  const tile = page.getByTestId("gallery-grid").getByRole("listitem").filter({ has: page.getByRole("button", { name: /^Open Image: A glass teapot/ }) });
  await tile.hover();
  await tile.getByRole("button", { name: /^Next steps for/ }).click();
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: /^Vary · ≈ \d+ credits?$/ })).toBeVisible();
  await expect(menu.getByRole("menuitem", { name: /^Upscale 2× · ≈ \d+ credits?$/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("tile-menu.png") });
  await menu.getByRole("menuitem", { name: "Animate" }).click();
  await page.waitForURL(/\/generate\/image-to-video\?input=/);
  await expect(page.getByRole("group", { name: "Image", exact: true })).toContainText("A glass teapot on a windowsill");
  // A square image must be cropped to 3:5 or 5:3 first: the form offers it at once, and the caret waits in Motion.
  await expect(page.getByRole("button", { name: "Crop", exact: true })).toBeVisible();
  await expect(page.getByLabel("Motion")).toBeFocused();
  await page.screenshot({ path: test.info().outputPath("animate-from-gallery.png") });
});
