import type { Page } from "@playwright/test";
import {
  expect,
  expectPlayableVideo,
  expectReadyImages,
  failedLoad,
  mp4File,
  openTool,
  pngFile,
  runCards,
  runsPanel,
  signUp,
  submitTool,
  test,
  uniqueEmail,
  uploadInto,
  useOwnSandboxKey,
} from "./support";

/** A newcomer with an empty workspace (the sandbox provider stands in for RenderNet and Qolaba). */
async function newcomer(page: Page, name: string) {
  return signUp(page, { name, email: uniqueEmail(name.toLowerCase().split(" ")[0]!) });
}

async function chooseBase(page: Page, tab: string, name: RegExp) {
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name }).click();
  await expect(dialog).toBeHidden();
}

test("Image: two SDXL images, then Flux with a locked face, then reuse the first run's settings", async ({ page }) => {
  const slug = await newcomer(page, "Ivy Image");
  await openTool(page, slug, "Image");

  await chooseBase(page, "Models", /^RealVisXL/);
  await expect(page.getByRole("button", { name: /^Model or style/ })).toContainText("Model · SDXL");
  const sdxlPrompt = "A lighthouse on a cliff at dusk, volumetric light";
  await page.getByLabel("Prompt", { exact: true }).fill(sdxlPrompt);
  await page.getByRole("radio", { name: "2 images" }).click();
  await submitTool(page, "Generate");
  const sdxlRun = runCards(page).first();
  await expect(sdxlRun).toContainText(sdxlPrompt);
  await expect(sdxlRun).toContainText("RealVisXL");
  await expectReadyImages(sdxlRun, 2);

  // Flux: a Flux style, one image, and a face photo uploaded from disk.
  await chooseBase(page, "Flux styles", /^Polaroid/);
  await expect(page.getByRole("button", { name: /^Model or style/ })).toContainText("Style · Flux");
  await expect(page.getByLabel("Negative prompt")).toHaveCount(0);
  await page.getByLabel("Prompt", { exact: true }).fill("A portrait in a sunlit greenhouse");
  await page.getByRole("radio", { name: "1 image", exact: true }).click();
  await page.getByRole("switch", { name: "Face lock" }).click();
  await uploadInto(page, "Face photo", await pngFile(640, 640));
  await expect(page.getByRole("button", { name: "Change face photo" })).toBeVisible();
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(2);
  const fluxRun = runCards(page).first();
  await expect(fluxRun).toContainText("A portrait in a sunlit greenhouse");
  await expect(fluxRun).toContainText("Polaroid");
  await expectReadyImages(fluxRun, 1);

  // Reuse the SDXL run: the form comes back with its prompt, model and batch.
  await runCards(page).nth(1).getByRole("link", { name: "Reuse settings" }).click();
  await page.waitForURL(/\/generate\/image\?reuse=/);
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue(sdxlPrompt);
  await expect(page.getByRole("button", { name: /^Model or style/ })).toContainText("RealVisXL");
  await expect(page.getByRole("radio", { name: "2 images" })).toBeChecked();
});

test("Edit: upload an image, find and replace, get the edited image", async ({ page }) => {
  const slug = await newcomer(page, "Eli Edit");
  await openTool(page, slug, "Edit");
  await uploadInto(page, "Image", await pngFile(640, 640));
  await expect(page.getByRole("img", { name: /^Image: picture-640x640\.png/ })).toBeVisible();
  await page.getByLabel("Find").fill("the yellow sun");
  await page.getByLabel("Replace with").fill("a silver full moon");
  await submitTool(page, "Edit image");
  await expect(runCards(page)).toHaveCount(1);
  await expect(runCards(page).first()).toContainText("the yellow sun → a silver full moon");
  await expectReadyImages(runCards(page).first(), 1);
});

test("Enhance: upload, see the 2× output size, get the enhanced image", async ({ page }) => {
  const slug = await newcomer(page, "Ena Enhance");
  await openTool(page, slug, "Enhance");
  await expect(page.getByText("Choose an image to see the output size.")).toBeVisible();
  await uploadInto(page, "Image", await pngFile(640, 640));
  await page.getByRole("radio", { name: "1.5×" }).click();
  await expect(page.locator("#scale-hint")).toContainText("960 × 960");
  await page.getByRole("radio", { name: "2×", exact: true }).click();
  await expect(page.locator("#scale-hint")).toHaveText(/640 × 640\s*1280 × 1280/);
  await submitTool(page, "Enhance");
  await expect(runCards(page)).toHaveCount(1);
  await expect(runCards(page).first()).toContainText("2×");
  await expectReadyImages(runCards(page).first(), 1);
});

test("Narrator: a 60 fps video is refused before upload; a 24 fps one with a script and voice speaks", async ({ page }) => {
  const slug = await newcomer(page, "Nia Narrator");
  await openTool(page, slug, "Narrator");

  const picker = await uploadInto(page, "Video", await mp4File(320, 480, 60, 30));
  await expect(picker.getByRole("alert")).toContainText("60 fps; the narrator takes at most 30 fps");
  await expect(picker.getByRole("alert")).toContainText("Nothing was uploaded.");
  await submitTool(page, "Narrate");
  await expect(page.getByText("No runs yet")).toBeVisible();
  await expect(runCards(page)).toHaveCount(0);

  await uploadInto(page, "Video", await mp4File(320, 480, 24, 24));
  await expect(picker.getByRole("alert")).toHaveCount(0);
  await expect(picker).toContainText("24 fps · 320 × 480");
  await page.getByLabel("Script", { exact: true }).fill("Hi, I'm Nia. Today: three ways to light a portrait at home.");
  await page.getByLabel("Voice", { exact: true }).selectOption({ index: 1 });
  await submitTool(page, "Narrate");
  await expect(runCards(page)).toHaveCount(1);
  await expectPlayableVideo(page, runCards(page).first());
});

test("Image to video: a 16:9 image is cropped to 5:3 and becomes a 5 second video", async ({ page }) => {
  const slug = await newcomer(page, "Vic Video");
  await openTool(page, slug, "Image to video");
  await uploadInto(page, "Image", await pngFile(640, 360));
  await expect(page.getByText("This image is 16:9.")).toBeVisible();
  await page.getByRole("button", { name: "Crop", exact: true }).click();
  const crop = page.getByRole("dialog", { name: "Crop for video" });
  await expect(crop.getByRole("radio", { name: "Landscape 5:3" })).toBeChecked();
  await expect(crop.getByText("Output: 600 × 360 px (5:3)")).toBeVisible();
  await crop.getByRole("button", { name: "Crop and use" }).click();
  await expect(crop).toBeHidden();
  await expect(page.getByText("This image is 16:9.")).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Image", exact: true })).toContainText("600 × 360 · 5:3");

  // The motion prompt counts up to its 500-character limit.
  const motion = page.getByLabel("Motion");
  await motion.fill("a".repeat(500));
  await expect(page.locator("#prompt-count")).toHaveText("Characters used: 500 / 500");
  await motion.fill("a".repeat(501));
  await expect(page.locator("#prompt-count")).toHaveText("Characters used: 501 / 500");
  await motion.fill("The camera slowly pushes in; the sun flares");
  await expect(page.locator("#prompt-count")).toHaveText("Characters used: 43 / 500");

  await page.getByRole("radio", { name: "5 seconds" }).click();
  await submitTool(page, "Make video");
  await expect(runCards(page)).toHaveCount(1);
  await expectPlayableVideo(page, runCards(page).first());
});

test("ControlNet: Canny from an uploaded reference, a batch of two", async ({ page }) => {
  const slug = await newcomer(page, "Cora Control");
  await openTool(page, slug, "ControlNet");
  await page.getByRole("radio", { name: "Canny" }).click();
  await expect(page.getByRole("radio", { name: "Canny" })).toBeChecked();
  await uploadInto(page, "Reference image", await pngFile(640, 640));
  await expect(page.getByRole("img", { name: /^Reference image: picture-640x640\.png/ })).toBeVisible();
  await page.getByLabel("Prompt", { exact: true }).fill("A bronze statue in a rainy neon street");
  await page.getByRole("textbox", { name: "Images" }).fill("2");
  await expect(page.getByRole("slider", { name: "Images" })).toHaveAttribute("aria-valuenow", "2");
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
  await expectReadyImages(runCards(page).first(), 2);
});

test("A failed run shows why and offers Retry, which makes a new run", async ({ page }) => {
  const slug = await newcomer(page, "Fay Failure");
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A castle in the clouds [sandbox:fail]");
  await submitTool(page, "Generate");
  const first = runCards(page).first();
  await expect(first).toHaveAttribute("aria-label", "Image run, failed", { timeout: 20_000 });
  await expect(first).toContainText("The provider could not produce this. Retry it.");
  await first.getByRole("button", { name: "Retry" }).click();
  await expect(runCards(page)).toHaveCount(2);
  await expect(runsPanel(page).getByRole("article", { name: "Image run, failed" })).toHaveCount(2, { timeout: 20_000 });
  for (const card of await runCards(page).all()) await expect(card).toContainText("The provider could not produce this. Retry it.");
  // The retry (newest) can be retried again; the original says it was retried instead of offering a second Retry.
  await expect(runCards(page).first().getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(runCards(page).nth(1).getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(runCards(page).nth(1)).toContainText("Retried");
});

test("Double-clicking Generate makes exactly one run", async ({ page }) => {
  const slug = await newcomer(page, "Dot Double");
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A paper boat on a puddle");
  await page.getByRole("button", { name: /^Generate/ }).dblclick();
  await expect(runCards(page)).toHaveCount(1);
  await expectReadyImages(runCards(page).first(), 1);
  await page.reload();
  await expect(runCards(page)).toHaveCount(1);
});

test("A prompt the server refuses shows why under the prompt, and nothing starts", async ({ page, consoleErrors }) => {
  const slug = await newcomer(page, "Nell Nested");
  await openTool(page, slug, "Image");
  consoleErrors.allow(failedLoad(422, `/api/w/${slug}/generations/estimate`)); // the live estimate refuses the same prompt
  // The form's schema accepts a bell character; the server, which stores prompts, refuses it at run.params.prompt.
  const prompt = page.getByLabel("Prompt", { exact: true });
  await prompt.fill("A paper boat\u0007 on a puddle");
  await submitTool(page, "Generate");
  const message = page.locator("#prompt-error");
  await expect(message).toHaveText("This contains characters that can't be stored (control characters such as NUL).");
  await expect(prompt).toHaveAttribute("aria-invalid", "true");
  await expect(prompt).toBeFocused();
  // The inline message says it all: no second copy above the form.
  await expect(page.getByTestId("form-error")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("prompt-refused.png") });
  // Fixing the prompt clears the server's message, and the run goes through.
  await prompt.fill("A paper boat on a puddle");
  await expect(message).toHaveCount(0);
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
});

test("A slow input upload: the run's card appears at once, 'Uploading input', then 'Generating', then done", async ({ page }) => {
  test.setTimeout(90_000);
  const slug = await newcomer(page, "Sol Slow");
  // The workspace's own RenderNet key (the test server's RenderNet is its sandbox), so the test can slow its account.
  const { key, hooks } = await useOwnSandboxKey(page, slug, "slow");
  // Each upload ticket takes 4 s to come back, and a run renders for 3 s (long enough for the runs panel to show it).
  const UPLOAD = "/rendernet/pub/v2/assets/upload";
  expect((await hooks("faults", { rules: [{ method: "POST", path: UPLOAD, fault: "latency", latencyMs: 4000, times: 10 }] })).ok()).toBe(true);
  expect((await hooks("schedule", { finalAfterMs: 3000 })).ok()).toBe(true);

  await openTool(page, slug, "Edit");
  await uploadInto(page, "Image", await pngFile(640, 480)); // into Atelier's own storage: not slowed
  await expect(page.getByRole("img", { name: /^Image: picture-640x480\.png/ })).toBeVisible();
  await page.getByLabel("Find").fill("the yellow sun");
  await page.getByLabel("Replace with").fill("a silver full moon");
  const clickedAt = Date.now();
  await submitTool(page, "Edit image");
  const run = runCards(page).first();
  await expect(run).toBeVisible();
  const shownAfterMs = Date.now() - clickedAt;
  await expect(run).toHaveAttribute("aria-label", "Edit run, preparing");
  await expect(run).toContainText("Uploading input");
  console.log(`slow upload: the card showed ${shownAfterMs} ms after the click`);
  // The upload alone takes 4 s. On a quiet machine the card shows in 0.7-1 s; the bound leaves room for a busy one
  // (journeys run two at a time: 2.1 s was seen at a load average of 13) and still fails a submit that waits for the
  // upload, or one queued behind the form's estimates that wait for it (3-3.6 s before they got a line of their own).
  expect(shownAfterMs).toBeLessThan(3000);
  await expect(run).toHaveAttribute("aria-label", "Edit run, running", { timeout: 20_000 });
  await expect(run).toContainText("Generating");
  await expectReadyImages(run, 1);

  // One upload to the provider: the form's estimate and the run's job shared it.
  const calls = await page.request.get(`/sandbox/__sandbox/calls?path=${encodeURIComponent(UPLOAD)}`, { headers: { "X-API-KEY": key } });
  expect(((await calls.json()) as { data: unknown[] }).data).toHaveLength(1);
});
