import { expect, expectReadyImages, openTool, pngFile, runCards, signUp, submitTool, test, uniqueEmail, uploadInto } from "./support";

/**
 * Cancel and honest accounting, as a member sees them in the runs panel. The workspace uses its own "real" RenderNet
 * key (the test server points RENDERNET_BASE_URL at the built-in sandbox), so the journey knows the account's key and
 * can slow that account down through the sandbox's test hooks: the run stays at the provider long enough to cancel.
 */

const KEY = `rn_live_CANCEL_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;

test("Cancel a run at the provider from the runs panel, by keyboard: it is deleted there and says Cancelled and what it cost", async ({ page }) => {
  const slug = await signUp(page, { name: "Cal Cancel", email: uniqueEmail("cal") });
  await page.goto(`/w/${slug}/settings/providers`);
  const card = page.getByTestId("provider-RENDERNET");
  await card.getByRole("button", { name: "Use a RenderNet key" }).click();
  await card.getByLabel("API key").fill(KEY);
  await card.getByRole("button", { name: "Save and test" }).click();
  await expect(card.getByTestId("connection-check")).toContainText("Connected");
  const hooks = { "X-API-KEY": KEY };
  expect((await page.request.post("/sandbox/__sandbox/schedule", { headers: hooks, data: { finalAfterMs: 120_000 } })).status()).toBe(200);

  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A kite over a windy beach");
  await submitTool(page, "Generate");
  const run = runCards(page).first();
  await expect(run).toHaveAttribute("aria-label", "Image run, running", { timeout: 15_000 });

  // Keyboard only: the Cancel button, then the confirmation (it is at the provider, so it may already be charged).
  const cancel = run.getByRole("button", { name: "Cancel this Image run" });
  await cancel.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(dialog).toContainText("RenderNet already has it, so it may already be charged");
  await expect(dialog.getByRole("button", { name: "Cancel run" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();

  await expect(run).toHaveAttribute("aria-label", "Image run, cancelled", { timeout: 15_000 });
  await expect(run.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(run.getByTestId("charge")).toHaveText(/^Charged \d+ credits?$/);
  await expect(run.getByRole("button", { name: /^Cancel/ })).toHaveCount(0);

  // RenderNet received exactly one create and one DELETE for it.
  const calls = (await (await page.request.get("/sandbox/__sandbox/calls", { headers: hooks })).json()) as { data: { method: string; path: string }[] };
  expect(calls.data.filter((c) => c.method === "POST" && c.path === "/rendernet/pub/v1/generations")).toHaveLength(1);
  expect(calls.data.filter((c) => c.method === "DELETE" && c.path.startsWith("/rendernet/pub/v1/generations/"))).toHaveLength(1);

  // Still cancelled after a reload (read from the server, not the tab's memory).
  await page.reload();
  await expect(runCards(page).first()).toHaveAttribute("aria-label", "Image run, cancelled");
});

test("A Qolaba batch with one image withheld by its safety filter says so, and shows the withheld slot as such", async ({ page }) => {
  const slug = await signUp(page, { name: "Nell Nsfw", email: uniqueEmail("nell") });
  await openTool(page, slug, "ControlNet");
  await page.getByRole("radio", { name: "Canny" }).click();
  await uploadInto(page, "Reference image", await pngFile(640, 640));
  await expect(page.getByRole("img", { name: /^Reference image: picture-640x640\.png/ })).toBeVisible();
  await page.getByLabel("Prompt", { exact: true }).fill("Three lanterns on a pier [sandbox:nsfw:2]");
  await page.getByRole("textbox", { name: "Images" }).fill("3");
  await submitTool(page, "Generate");
  const run = runCards(page).first();
  await expectReadyImages(run, 2);
  await expect(run.getByTestId("withheld")).toHaveText("1 of 3 images was withheld by the provider's safety filter.");
  await expect(run.getByRole("img", { name: "Image 2 withheld by the provider's safety filter" })).toBeVisible();
  await expect(run.getByRole("button", { name: "Open image 1" })).toBeVisible();
  await expect(run.getByRole("button", { name: "Open image 3" })).toBeVisible();
  await expect(run.getByTestId("charge")).toHaveText("Charge unknown");
});
