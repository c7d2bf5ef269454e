import type { Locator, Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { callServerActionDirectly, expect, expectReadyImages, openTool, PASSWORD, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

/** The seed a run card (or the detail view) shows on its copyable chip. */
async function seedOn(scope: Locator): Promise<number> {
  const chip = scope.getByRole("button", { name: /^Copy seed \d+$/ });
  await expect(chip).toBeVisible();
  return Number(/(\d+)$/.exec((await chip.getAttribute("aria-label")) ?? "")?.[1]);
}

async function seedField(page: Page) {
  const field = page.getByLabel("Seed", { exact: true });
  if (!(await field.isVisible())) await page.getByRole("button", { name: /^More settings/ }).click();
  return field;
}

test("Every run is reproducible: a random seed is recorded and shown, Reuse fills it, Vary and Same seed, new prompt", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const slug = await signUp(page, { name: "Sid Seed", email: uniqueEmail("sid") });
  await openTool(page, slug, "Image");
  const prompt = "A lighthouse on a cliff at dusk";
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  await expect(await seedField(page)).toHaveValue(""); // left on random
  await submitTool(page, "Generate");
  const first = runCards(page).first();
  await expectReadyImages(first, 1);

  // The seed Atelier chose is on the card, and copies.
  const seed = await seedOn(first);
  expect(Number.isInteger(seed)).toBe(true);
  await first.getByRole("button", { name: `Copy seed ${seed}` }).click();
  await expect(page.getByText("Seed copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(seed));

  // The lightbox shows it too.
  await first.getByRole("button", { name: "Open image 1" }).click();
  const lightbox = page.getByRole("dialog");
  expect(await seedOn(lightbox)).toBe(seed);
  await page.keyboard.press("Escape");
  await expect(lightbox).toBeHidden();

  // Vary: the same prompt again with another seed, priced on the button, at the top of the runs.
  const vary = first.getByRole("button", { name: /^Vary/ });
  await expect(vary).toHaveText(/^Vary · ≈ \d+ credits?$/);
  await vary.click();
  await expect(runCards(page)).toHaveCount(2);
  const varied = runCards(page).first();
  await expect(varied).toContainText(prompt);
  await expectReadyImages(varied, 1);
  const variedSeed = await seedOn(varied);
  expect(variedSeed).not.toBe(seed);

  // Reuse settings fills the seed, and the banner says so.
  await runCards(page).nth(1).getByRole("link", { name: "Reuse settings" }).click();
  await page.waitForURL(/\/generate\/image\?reuse=[^&]+$/);
  await expect(page.getByRole("status").filter({ hasText: "Settings from an earlier run" })).toContainText(`Same inputs and seed (${seed})`);
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue(prompt);
  await expect(await seedField(page)).toHaveValue(String(seed));

  // Same seed, new prompt (by keyboard): every setting and the seed, the prompt empty and focused.
  const sameSeed = runCards(page).nth(1).getByRole("link", { name: "Same seed, new prompt" });
  await sameSeed.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/generate\/image\?reuse=[^&]+&prompt=new$/);
  const promptField = page.getByLabel("Prompt", { exact: true });
  await expect(promptField).toHaveValue("");
  await expect(promptField).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Same seed, new prompt." })).toContainText(`seed ${seed}`);
  await page.keyboard.type("A lighthouse on a cliff at dawn");
  await expect(await seedField(page)).toHaveValue(String(seed));
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(3);
  const rewritten = runCards(page).first();
  await expect(rewritten).toContainText("A lighthouse on a cliff at dawn");
  await expectReadyImages(rewritten, 1);
  expect(await seedOn(rewritten)).toBe(seed);

  // The gallery's detail view shows the seed among the run's settings, and offers Vary there too.
  await page.goto(`/w/${slug}/gallery?q=dusk`);
  const tiles = page.getByTestId("gallery-grid").getByRole("listitem");
  await expect(tiles).toHaveCount(2);
  await tiles.last().getByRole("button", { name: /^Open/ }).click();
  const detail = page.getByRole("dialog");
  expect(await seedOn(detail)).toBe(seed);
  const galleryVary = detail.getByRole("button", { name: /^Vary/ });
  await expect(galleryVary).toHaveText(/^Vary · ≈ \d+ credits?$/);
  await galleryVary.click();
  await expect(page.getByText("Varying with a new seed")).toBeVisible();
  await page.goto(`/w/${slug}/generate/image`);
  await expect(runCards(page)).toHaveCount(4);
  await expect(runCards(page).first()).toContainText(prompt);
  await expectReadyImages(runCards(page).first(), 1);
  expect([seed, variedSeed]).not.toContain(await seedOn(runCards(page).first()));
});

test("A viewer sees a run's seed but can't vary it; another workspace can't vary it either", async ({ browser }) => {
  const owner = await browser.newPage();
  const personal = await signUp(owner, { name: "Oda Owner", email: uniqueEmail("oda") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Seedbank ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/seedbank-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();
  await openTool(owner, team, "Image");
  await owner.getByLabel("Prompt", { exact: true }).fill("A greenhouse in the rain");
  await submitTool(owner, "Generate");
  const run = runCards(owner).first();
  await expectReadyImages(run, 1);
  const seed = await seedOn(run);
  const generationId = (await run.getAttribute("data-generation-id"))!;

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await viewer.getByRole("link", { name: "Create an account to join" }).click();
  await expect(viewer.getByRole("heading", { name: /^Join / })).toBeVisible();
  // A viewer lands on the team's gallery (support's signUp waits for /generate, where those who may generate land).
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByLabel("Email").fill(uniqueEmail("vera"));
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: /Create account/ }).click();
  await viewer.waitForURL(`**/w/${team}/gallery?joined=1`);
  await viewer.goto(`/w/${team}/generate`);
  await expect(runCards(viewer)).toHaveCount(1);
  expect(await seedOn(runCards(viewer).first())).toBe(seed);
  await expect(runCards(viewer).first().getByRole("button", { name: /^Vary/ })).toHaveCount(0);
  await expect(runCards(viewer).first().getByRole("link", { name: "Same seed, new prompt" })).toHaveCount(0);
  const refused = await callServerActionDirectly(viewer, `/w/${team}/generate`, "varyGenerationAction", [
    { workspace: team, generationId, idempotencyKey: randomUUID() },
  ]);
  expect(refused.text).toContain('"code":"forbidden"');

  // The owner's personal workspace, where they may generate: the team's run is not found there.
  const foreign = await callServerActionDirectly(owner, `/w/${personal}/generate`, "varyGenerationAction", [
    { workspace: personal, generationId, idempotencyKey: randomUUID() },
  ]);
  expect(foreign.text).toContain('"code":"not_found"');
  await owner.reload();
  await expect(runCards(owner)).toHaveCount(1);
  await viewerContext.close();
  await owner.close();
});
