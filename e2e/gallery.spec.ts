import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { callServerActionDirectly, expect, failedLoad, expectReadyImages, openTool, PASSWORD, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

/** Makes images through the Image tool (the sandbox provider stands in for RenderNet). */
async function makeImages(page: Page, slug: string, runs: { prompt: string; count: 1 | 2 }[]) {
  await openTool(page, slug, "Image");
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await expect(dialog).toBeHidden();
  for (const [index, run] of runs.entries()) {
    await page.getByLabel("Prompt", { exact: true }).fill(run.prompt);
    await page.getByRole("radio", { name: run.count === 1 ? "1 image" : "2 images", exact: true }).click();
    await submitTool(page, "Generate");
    await expect(runCards(page)).toHaveCount(index + 1);
    await expectReadyImages(runCards(page).first(), run.count);
  }
}

const grid = (page: Page) => page.getByTestId("gallery-grid");
const tiles = (page: Page) => grid(page).getByRole("listitem");
const detail = (page: Page) => page.getByRole("dialog");

/** The number of files in a zip (entries of its central directory). */
function zipEntryNames(bytes: Buffer): string[] {
  const names: string[] = [];
  for (let at = bytes.indexOf("PK\x01\x02"); at >= 0; at = bytes.indexOf("PK\x01\x02", at + 4)) {
    const nameLength = bytes.readUInt16LE(at + 28);
    names.push(bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8"));
  }
  return names;
}

test("Browse, search, filter by URL and step through the detail view", async ({ page }) => {
  const slug = await signUp(page, { name: "Gia Gallery", email: uniqueEmail("gia") });
  await page.goto(`/w/${slug}/gallery`);
  await expect(page.getByRole("heading", { name: "Nothing generated yet" })).toBeVisible();

  await makeImages(page, slug, [
    { prompt: "A red fox asleep in fresh snow", count: 2 },
    { prompt: "A blue lighthouse at dusk", count: 1 },
  ]);
  await page.getByRole("link", { name: "Gallery" }).filter({ visible: true }).click();
  await expect(tiles(page)).toHaveCount(3);
  // Thumbnails are real images in fixed squares.
  const firstThumb = tiles(page).first().locator("img");
  await expect.poll(() => firstThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = await tiles(page).first().boundingBox();
  expect(Math.abs(box!.width - box!.height)).toBeLessThan(1);

  // Search by a stemmed word: the URL holds it, so a reload (or a teammate) sees the same view.
  await page.getByRole("searchbox", { name: "Search prompts" }).fill("foxes");
  await expect(tiles(page)).toHaveCount(2);
  await expect(page).toHaveURL(/[?&]q=foxes/);
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search prompts" })).toHaveValue("foxes");
  await expect(tiles(page)).toHaveCount(2);
  await page.getByRole("button", { name: "Clear all" }).click();
  await expect(tiles(page)).toHaveCount(3);

  // The model filter offers the models and styles used, grouped by tool, and filters by one.
  const model = page.getByRole("combobox", { name: "Model or style" });
  await expect(model.locator('optgroup[label="Image"] option')).toHaveText([/^RealVisXL/]);
  await model.selectOption({ index: 1 });
  await expect(page).toHaveURL(/[?&]model=RealVisXL/);
  await expect(tiles(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Clear all" }).click();
  await expect(page).not.toHaveURL(/[?&]model=/);

  // Sort oldest first: the fox comes first.
  await page.getByRole("combobox", { name: "Sort" }).selectOption("oldest");
  await expect(page).toHaveURL(/sort=oldest/);
  await expect(tiles(page).first().getByRole("button").first()).toHaveAccessibleName(/fox/);
  await page.getByRole("combobox", { name: "Sort" }).selectOption("newest");

  // The detail view: full image, prompt, author, cost, settings; ← → browse; F favourites.
  await tiles(page).first().getByRole("button", { name: /^Open/ }).click();
  await expect(detail(page)).toBeVisible();
  await expect(detail(page)).toContainText("A blue lighthouse at dusk");
  await expect(detail(page)).toContainText("Gia Gallery");
  await expect(detail(page)).toContainText(/\d+ credits/);
  await expect(detail(page)).toContainText("RealVisXL");
  await expect(detail(page)).toContainText("1 of 3");
  await expect(page).toHaveURL(/[?&]item=/);
  const full = detail(page).getByRole("img", { name: "A blue lighthouse at dusk" });
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.keyboard.press("ArrowRight");
  await expect(detail(page)).toContainText("2 of 3");
  await expect(detail(page)).toContainText("A red fox asleep in fresh snow");
  await page.keyboard.press("f");
  await expect(detail(page).getByRole("button", { name: "Favourited" })).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await expect(detail(page)).toContainText("1 of 3");

  // The original downloads with a readable name; files are served nosniff, and thumbnails cache for long.
  const downloadPromise = page.waitForEvent("download");
  await detail(page).getByRole("link", { name: "Download" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^\d{4}-\d{2}-\d{2}-a-blue-lighthouse-at-dusk-[a-z0-9]{6}\.png$/);
  const originalUrl = await full.getAttribute("src");
  const ranged = await page.request.get(originalUrl!, { headers: { Range: "bytes=0-7" } });
  expect(ranged.status()).toBe(206);
  expect((await ranged.body()).subarray(1, 4).toString()).toBe("PNG");
  await page.keyboard.press("Escape");
  await expect(detail(page)).toBeHidden();
  await expect(page).not.toHaveURL(/[?&]item=/);
  const thumbUrl = await tiles(page).first().locator("img").getAttribute("src");
  const thumb = await page.request.get(thumbUrl!);
  expect(thumb.headers()["x-content-type-options"]).toBe("nosniff");
  expect(thumb.headers()["cache-control"]).toContain("immutable");

  // Favourites filter, from the URL.
  await page.getByRole("button", { name: "Favourites" }).click();
  await expect(page).toHaveURL(/favorites=1/);
  await expect(tiles(page)).toHaveCount(1);
  await expect(tiles(page).first()).toContainText("A red fox");
  await page.getByRole("button", { name: "Favourites" }).click();

  // Use as input: the image opens in Enhance as its input, named by its prompt; reuse settings opens the Image form filled in.
  await tiles(page).first().getByRole("button", { name: /^Open/ }).click();
  await detail(page).getByRole("link", { name: "Enhance…" }).click();
  await page.waitForURL(/\/generate\/enhance\?input=/);
  await expect(page.getByRole("group", { name: "Image", exact: true })).toContainText("A blue lighthouse at dusk");
  await page.goBack();
  await page.goto(`/w/${slug}/gallery?q=lighthouse`);
  await tiles(page).first().getByRole("button", { name: /^Open/ }).click();
  await detail(page).getByRole("link", { name: "Reuse settings" }).click();
  await page.waitForURL(/\/generate\/image\?reuse=/);
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue("A blue lighthouse at dusk");
});

test("Boards, bulk selection, zip download, trash with undo, restore and empty", async ({ page }) => {
  const slug = await signUp(page, { name: "Bo Bulk", email: uniqueEmail("bo") });
  await page.goto(`/w/${slug}/gallery`);
  await page.getByRole("button", { name: "New board" }).click();
  await page.getByLabel("Name").fill("Client picks");
  await page.getByRole("button", { name: "Create board" }).click();
  await expect(page.getByTestId("board-list")).toContainText("Client picks");

  // Choose the board before generating: the results land in it.
  await openTool(page, slug, "Image");
  await page.getByRole("combobox", { name: "Save results to board" }).selectOption({ label: "Board: Client picks" });
  await makeImages(page, slug, [{ prompt: "A teal vase of tulips", count: 1 }]);
  await page.getByRole("combobox", { name: "Save results to board" }).selectOption({ label: "No board" });
  await page.getByLabel("Prompt", { exact: true }).fill("A green cactus in a clay pot");
  await page.getByRole("radio", { name: "2 images", exact: true }).click();
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(2);
  await expectReadyImages(runCards(page).first(), 2);

  await page.goto(`/w/${slug}/gallery`);
  await expect(tiles(page)).toHaveCount(3);
  await page.getByTestId("board-list").getByRole("button", { name: "Client picks", exact: true }).click();
  await expect(page).toHaveURL(/board=/);
  await expect(tiles(page)).toHaveCount(1);
  await expect(tiles(page).first()).toContainText("tulips");
  await page.getByTestId("board-list").getByRole("button", { name: "Everything" }).click();
  await expect(tiles(page)).toHaveCount(3);

  // Click one, shift-click another: a range of three.
  await tiles(page).nth(0).getByRole("checkbox").click();
  await tiles(page).nth(2).getByRole("checkbox").click({ modifiers: ["Shift"] });
  const bar = page.getByRole("toolbar", { name: "Selected items" });
  await expect(bar).toContainText("3 selected");

  // Zip of the three originals.
  const zipPromise = page.waitForEvent("download");
  await bar.getByRole("button", { name: "Download zip" }).click();
  const zip = await zipPromise;
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  const names = zipEntryNames(readFileSync((await zip.path())!));
  expect(names).toHaveLength(3);
  expect(names.every((name) => name.endsWith(".png"))).toBe(true);

  // Move all three to the board, then favourite them.
  await bar.getByRole("button", { name: "Move to board" }).click();
  await page.getByRole("menuitem", { name: "Client picks" }).click();
  await expect(page.getByText("Moved 3 items to “Client picks”")).toBeVisible();
  await tiles(page).nth(0).getByRole("checkbox").click();
  await page.keyboard.press("ControlOrMeta+a");
  await expect(bar).toContainText("3 selected");
  await bar.getByRole("button", { name: "Favourite" }).click();
  await expect(grid(page).getByLabel("Favourite")).toHaveCount(3);

  // Delete two, undo, delete them again.
  await tiles(page).nth(0).getByRole("checkbox").click();
  await tiles(page).nth(1).getByRole("checkbox").click();
  await bar.getByRole("button", { name: "Delete" }).click();
  await expect(tiles(page)).toHaveCount(1);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(tiles(page)).toHaveCount(3);
  await tiles(page).nth(0).getByRole("checkbox").click();
  await tiles(page).nth(1).getByRole("checkbox").click();
  const doomed = await Promise.all([0, 1].map((i) => tiles(page).nth(i).getAttribute("data-media-id")));
  await bar.getByRole("button", { name: "Delete" }).click();
  await expect(tiles(page)).toHaveCount(1);

  // The trash: restore one, empty the rest for good.
  await page.getByRole("tab", { name: /Trash \(2\)/ }).click();
  await expect(page).toHaveURL(/view=trash/);
  await expect(tiles(page)).toHaveCount(2);
  await tiles(page).nth(0).getByRole("checkbox").click();
  await bar.getByRole("button", { name: "Restore" }).click();
  await expect(tiles(page)).toHaveCount(1);
  await page.getByRole("button", { name: "Empty trash" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Empty trash" }).click();
  await expect(page.getByRole("heading", { name: "The trash is empty" })).toBeVisible();
  await page.getByRole("tab", { name: "All items" }).click();
  await expect(tiles(page)).toHaveCount(2);
  // The purged item's files are gone.
  const remaining = await grid(page).locator("li").evaluateAll((items) => items.map((item) => item.getAttribute("data-media-id")));
  const purged = doomed.find((id) => !remaining.includes(id));
  expect(purged).toBeTruthy();
  await expect.poll(async () => (await page.request.get(`/api/w/${slug}/media/${purged}/thumb`)).status()).toBe(404);
});

test("Another workspace's media ids answer 404 on every route and action", async ({ browser, consoleErrors }) => {
  const alice = await browser.newPage();
  const aliceSlug = await signUp(alice, { name: "Alice Owner", email: uniqueEmail("alice") });
  await makeImages(alice, aliceSlug, [{ prompt: "A private sketch", count: 1 }]);
  await alice.goto(`/w/${aliceSlug}/gallery`);
  const mediaId = (await tiles(alice).first().getAttribute("data-media-id"))!;
  expect(mediaId).toBeTruthy();

  const mallory = await browser.newPage();
  const mallorySlug = await signUp(mallory, { name: "Mallory", email: uniqueEmail("mallory") });
  for (const slug of [aliceSlug, mallorySlug]) {
    for (const path of [`media/${mediaId}/original`, `media/${mediaId}/thumb`, `media/${mediaId}/original?download=1`, `media/${mediaId}/detail`]) {
      expect((await mallory.request.get(`/api/w/${slug}/${path}`)).status(), `${slug}/${path}`).toBe(404);
    }
    const zip = await mallory.request.post(`/api/w/${slug}/media/zip`, {
      form: { ids: mediaId },
      headers: { Origin: new URL(mallory.url()).origin },
    });
    expect(zip.status()).toBe(404);
  }
  // Actions aimed at Alice's item: from Mallory's own workspace it is not found; in Alice's workspace so is the workspace.
  for (const name of ["favoriteMediaAction", "trashMediaAction", "moveToBoardAction", "restoreMediaAction", "emptyTrashAction"]) {
    const args = { mediaIds: [mediaId], favorite: true, boardId: null };
    const own = await callServerActionDirectly(mallory, `/w/${mallorySlug}/gallery`, name, [{ workspace: mallorySlug, ...args }]);
    expect(own.text, name).toMatch(/"code":"(not_found|forbidden)"/);
    const theirs = await callServerActionDirectly(mallory, `/w/${mallorySlug}/gallery`, name, [{ workspace: aliceSlug, ...args }]);
    expect(theirs.text, name).toContain('"code":"not_found"');
  }
  // The gallery page with her id in the link shows nothing of it (its detail request answers 404).
  consoleErrors.allow(failedLoad(404, `/api/w/${mallorySlug}/media/${mediaId}/detail`));
  await mallory.goto(`/w/${mallorySlug}/gallery?item=${mediaId}`);
  await expect(detail(mallory)).toContainText("That item was not found.");
  await expect(mallory.getByText("A private sketch")).toHaveCount(0);

  // Alice's item is untouched.
  await alice.reload();
  await expect(tiles(alice)).toHaveCount(1);
  await expect(grid(alice).getByLabel("Favourite")).toHaveCount(0);
});

test("A viewer browses, opens and downloads the team's gallery but changes nothing", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, { name: "Vera Owner", email: uniqueEmail("vera") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Prism ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/prism-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();
  await makeImages(owner, team, [{ prompt: "A lantern festival over the river", count: 1 }]);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await viewer.getByRole("link", { name: "Create an account to join" }).click();
  await expect(viewer.getByRole("heading", { name: /^Join Prism/ })).toBeVisible();
  // A viewer lands on the team's gallery (support's signUp waits for /generate, where those who may generate land).
  await viewer.getByLabel("Your name").fill("Vic Viewer");
  await viewer.getByLabel("Email").fill(uniqueEmail("vic"));
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: /Create account/ }).click();
  await viewer.waitForURL(`**/w/${team}/gallery?joined=1`);
  await viewer.goto(`/w/${team}/gallery`);
  await expect(tiles(viewer)).toHaveCount(1);
  const mediaId = (await tiles(viewer).first().getAttribute("data-media-id"))!;

  await tiles(viewer).first().getByRole("button", { name: /^Open/ }).click();
  await expect(detail(viewer)).toContainText("A lantern festival over the river");
  await expect(detail(viewer).getByRole("link", { name: "Download" })).toBeVisible();
  for (const name of ["Delete", "Favourite", /^Vary/, /^Upscale/, "Add to board"]) await expect(detail(viewer).getByRole("button", { name })).toHaveCount(0);
  for (const name of ["Reuse settings", "Edit", "Animate", "ControlNet"]) await expect(detail(viewer).getByRole("link", { name })).toHaveCount(0);
  await viewer.keyboard.press("Escape");

  await tiles(viewer).first().getByRole("checkbox").click();
  const bar = viewer.getByRole("toolbar", { name: "Selected items" });
  await expect(bar.getByRole("button", { name: "Download zip" })).toBeVisible();
  await expect(bar.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(bar.getByRole("button", { name: "Move to board" })).toHaveCount(0);

  const refused = await callServerActionDirectly(viewer, `/w/${team}/gallery`, "trashMediaAction", [{ workspace: team, mediaIds: [mediaId] }]);
  expect(refused.text).toContain('"code":"forbidden"');
  await viewer.reload();
  await expect(tiles(viewer)).toHaveCount(1);
});
