import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { makeMp3 } from "../test/contract/fixtures";
import { callServerActionDirectly, expect, failedLoad, mp4File, openTool, PASSWORD, pngFile, signUp, test, uniqueEmail } from "./support";

const grid = (page: Page) => page.getByTestId("asset-grid");
const cards = (page: Page) => grid(page).getByRole("article");
const uploads = (page: Page) => page.getByRole("region", { name: "Uploads" });
const typeFilter = (page: Page, name: "All" | "Images" | "Videos" | "Audio") => page.getByRole("radio", { name, exact: true });

/** Drops files on the page the way a desktop drag does: dragenter, dragover and drop with a real DataTransfer. */
async function dropFiles(page: Page, files: { name: string; type: string; path: string }[]) {
  const payload = files.map((file) => ({ name: file.name, type: file.type, base64: readFileSync(file.path).toString("base64") }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    return transfer;
  }, payload);
  await page.dispatchEvent("main", "dragenter", { dataTransfer });
  await expect(page.getByText("Drop to upload")).toBeVisible();
  await page.dispatchEvent("main", "dragover", { dataTransfer });
  await page.dispatchEvent("main", "drop", { dataTransfer });
  await expect(page.getByText("Drop to upload")).toBeHidden();
}

test("Assets: upload by picker and drop, filter by type, refuse lying files, delete; make a character and use it", async ({ page, consoleErrors }) => {
  test.slow(); // a long journey: seven uploads, a provider upload and two character calls
  const slug = await signUp(page, { name: "Ada Assets", email: uniqueEmail("ada") });
  await page.getByRole("link", { name: "Assets" }).filter({ visible: true }).click();
  await expect(page.getByRole("heading", { name: "No files yet" })).toBeVisible();

  // Two images and a video through the file picker, several at once.
  const landscape = await pngFile(640, 480);
  const portrait = await pngFile(480, 640);
  const video = await mp4File(320, 240, 12, 24);
  await page.getByLabel("Choose files to upload").setInputFiles([landscape, portrait]);
  await expect(cards(page)).toHaveCount(2);
  await expect(cards(page).filter({ hasText: "picture-640x480.png" })).toContainText("PNG");
  await expect(cards(page).filter({ hasText: "picture-640x480.png" })).toContainText("640 × 480");
  await expect(cards(page).filter({ hasText: "picture-640x480.png" })).toContainText("Ada Assets");
  await page.getByLabel("Choose files to upload").setInputFiles(video);
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).filter({ hasText: "clip-320x240-12fps.mp4" })).toContainText("0:02");

  // The same picture again under another name: recognised by its content and offered instead of stored twice.
  await page.getByLabel("Choose files to upload").setInputFiles({ name: "landscape copy.png", mimeType: "image/png", buffer: readFileSync(landscape) });
  await expect(uploads(page).getByRole("listitem", { name: "landscape copy.png" })).toContainText("Already in your assets as “picture-640x480.png”");
  await expect(cards(page)).toHaveCount(3);
  await uploads(page).getByRole("button", { name: "Dismiss landscape copy.png" }).click();

  // One more image dropped anywhere on the page.
  await dropFiles(page, [{ name: "dropped.png", type: "image/png", path: await pngFile(320, 320) }]);
  await expect(cards(page)).toHaveCount(4);
  const dropped = cards(page).filter({ hasText: "dropped.png" });
  await expect(dropped).toContainText("320 × 320");
  // Its preview is a real thumbnail.
  const thumb = dropped.locator("img");
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // Filter by type: the URL holds it, so a reload shows the same view.
  await typeFilter(page, "Videos").click();
  await expect(page).toHaveURL(/[?&]type=video/);
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toContainText("clip-320x240-12fps.mp4");
  await typeFilter(page, "Images").click();
  await expect(cards(page)).toHaveCount(3);
  await page.reload();
  await expect(typeFilter(page, "Images")).toBeChecked();
  await expect(cards(page)).toHaveCount(3);
  await typeFilter(page, "Audio").click();
  await expect(page.getByRole("heading", { name: "No audio files yet" })).toBeVisible();
  await typeFilter(page, "All").click();
  await expect(cards(page)).toHaveCount(4);

  // Files whose bytes are not what their names say are refused, with a sentence, and never added.
  consoleErrors.allow(failedLoad(415, `/api/w/${slug}/assets`)); // the upload API refuses each of the two
  await page.getByLabel("Choose files to upload").setInputFiles([
    { name: "clip.mp4", mimeType: "video/mp4", buffer: readFileSync(landscape) },
    { name: "photo.png", mimeType: "image/png", buffer: Buffer.from("<html><body>not a picture</body></html>".padEnd(400, " ")) },
  ]);
  await expect(uploads(page).getByRole("listitem", { name: "clip.mp4" })).toContainText(
    "“clip.mp4” is named like an MP4 video, but its content is a PNG image, so it was refused.",
  );
  await expect(uploads(page).getByRole("listitem", { name: "photo.png" })).toContainText("“photo.png” is named like a PNG image, but its content is not a file Atelier can read.");
  await expect(cards(page)).toHaveCount(4);
  await uploads(page).getByRole("button", { name: "Dismiss clip.mp4" }).click();
  await expect(uploads(page).getByRole("listitem", { name: "clip.mp4" })).toHaveCount(0);

  // Delete one, after confirming.
  await dropped.hover();
  await page.getByRole("button", { name: "Delete dropped.png" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete “dropped.png”?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(cards(page)).toHaveCount(4);
  await dropped.hover();
  await page.getByRole("button", { name: "Delete dropped.png" }).click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(cards(page)).toHaveCount(3);
  await page.reload();
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).filter({ hasText: "dropped.png" })).toHaveCount(0);

  // An MP3 plays in place and shows its length (read at upload) before it is ever played.
  await page.getByLabel("Choose files to upload").setInputFiles({ name: "voice.mp3", mimeType: "audio/mpeg", buffer: Buffer.from(makeMp3(200)) });
  const voice = cards(page).filter({ hasText: "voice.mp3" });
  await expect(voice.getByTestId("audio-duration")).toHaveText("Length 0:05");
  const player = voice.getByLabel("Play voice.mp3");
  const seconds = await player.evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        audio.addEventListener("loadedmetadata", () => resolve(audio.duration), { once: true });
        audio.addEventListener("error", () => reject(new Error(`the audio did not load: ${audio.error?.message ?? "?"}`)), { once: true });
        audio.preload = "metadata";
        audio.load();
      }),
  );
  expect(Math.round(seconds)).toBe(5);
  await typeFilter(page, "Audio").click();
  await expect(cards(page)).toHaveCount(1);
  await typeFilter(page, "All").click();

  // A character from an uploaded image, chosen from the library in the picker.
  await page.getByRole("navigation", { name: "Assets" }).getByRole("link", { name: "Characters" }).click();
  await expect(page.getByRole("heading", { name: "Ready-made by RenderNet" })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "New character" }).first().click();
  const create = page.getByRole("dialog", { name: "New character" });
  await create.getByRole("button", { name: "Uploads" }).click();
  const chooser = page.getByRole("dialog", { name: "Choose an image" });
  await chooser.getByRole("button", { name: /^picture-480x640\.png/ }).click();
  await expect(chooser).toBeHidden();
  await create.getByLabel("Name").fill("alex");
  await create.getByLabel("Description").click();
  await expect(create.getByText("“alex” is the name of one of RenderNet's ready-made characters.")).toBeVisible();
  await create.getByLabel("Name").fill("Robin");
  await create.getByLabel("Description").fill("a hiker with a red scarf");
  await create.getByRole("radio", { name: "Stylized" }).click();
  await create.getByRole("button", { name: "Create character" }).click();
  await expect(create).toBeHidden({ timeout: 20_000 });
  const mine = page.getByRole("list", { name: "Your characters" });
  await expect(mine.getByRole("article", { name: "Robin" })).toContainText("a hiker with a red scarf");
  await expect(mine.getByRole("article", { name: "Robin" })).toContainText("Stylized");

  // Edit it: the description changes, the name stays.
  await mine.getByRole("button", { name: "Edit Robin" }).click();
  const edit = page.getByRole("dialog", { name: "Edit Robin" });
  await expect(edit.getByLabel("Name")).toHaveValue("Robin");
  await edit.getByLabel("Description").fill("a hiker with a red scarf, in watercolour");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden({ timeout: 20_000 });
  await expect(mine.getByRole("article", { name: "Robin" })).toContainText("in watercolour");

  // The Image form's character picker offers it at once.
  await openTool(page, slug, "Image");
  await page.getByRole("switch", { name: /Character/ }).click();
  await expect(page.getByRole("radio", { name: "Robin" })).toBeVisible();
  await page.getByRole("radio", { name: "Robin" }).click();
  await expect(page.getByText("{Robin}").first()).toBeVisible();
});

test("Assets: a viewer browses the team's files and characters but can't upload, delete or create", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, { name: "Otto Owner", email: uniqueEmail("otto") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Loom ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/loom-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();
  await owner.goto(`/w/${team}/assets`);
  await owner.getByLabel("Choose files to upload").setInputFiles(await pngFile(640, 480));
  await expect(cards(owner)).toHaveCount(1);
  const assetId = (await cards(owner).first().getAttribute("data-asset-id"))!;

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await viewer.getByRole("link", { name: "Create an account to join" }).click();
  await expect(viewer.getByRole("heading", { name: /^Join / })).toBeVisible();
  // Signed up through the invite, a viewer lands on the team's gallery (support's signUp waits for /generate).
  await viewer.getByLabel("Your name").fill("Vik Viewer");
  await viewer.getByLabel("Email").fill(uniqueEmail("vik"));
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: /Create account/ }).click();
  await viewer.waitForURL(`**/w/${team}/gallery?joined=1`);
  await viewer.goto(`/w/${team}/assets`);
  await expect(cards(viewer)).toHaveCount(1);
  await expect(cards(viewer).first()).toContainText("Otto Owner");
  await expect(viewer.getByRole("button", { name: "Upload files" })).toHaveCount(0);
  await expect(viewer.getByLabel("Choose files to upload")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  const refused = await callServerActionDirectly(viewer, `/w/${team}/assets`, "deleteAssetAction", [{ workspace: team, assetId }]);
  expect(refused.text).toContain('"code":"forbidden"');
  await viewer.reload();
  await expect(cards(viewer)).toHaveCount(1);

  await viewer.getByRole("navigation", { name: "Assets" }).getByRole("link", { name: "Characters" }).click();
  await expect(viewer.getByRole("heading", { name: "Ready-made by RenderNet" })).toBeVisible({ timeout: 20_000 });
  await expect(viewer.getByRole("button", { name: "New character" })).toHaveCount(0);
  await viewerContext.close();
  await owner.close();
});
