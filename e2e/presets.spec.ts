import type { Page } from "@playwright/test";
import { expectAccessible } from "./a11y";
import {
  callServerActionDirectly,
  expect,
  expectReadyImages,
  openTool,
  PASSWORD,
  pngFile,
  runCards,
  signUp,
  submitTool,
  test,
  uniqueEmail,
  uploadInto,
} from "./support";

// Issue 16: presets shared by the team. One member saves a form's settings, another applies them in one click; an
// input already chosen stays; shared presets are changed only by their author, admins and owners; deleting has Undo.

const PHONE = { width: 390, height: 844 };

const presetsDialog = (page: Page) => page.getByRole("dialog", { name: "Presets" });

async function openPresets(page: Page) {
  await page.getByRole("button", { name: "Presets", exact: true }).click();
  await expect(presetsDialog(page)).toBeVisible();
  return presetsDialog(page);
}

async function chooseModel(page: Page, name: RegExp) {
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name }).click();
  await expect(dialog).toBeHidden();
}

/** Saves the open form as a preset from its Presets dialog. */
async function saveAsPreset(page: Page, name: string, { shared, picture, checkA11y = false }: { shared: boolean; picture?: RegExp; checkA11y?: boolean }) {
  const dialog = await openPresets(page);
  await dialog.getByRole("button", { name: "Save as preset…" }).click();
  const save = page.getByRole("dialog", { name: "Save as preset" });
  await save.getByLabel("Name").fill(name);
  await save.getByRole("radio", { name: shared ? /^Everyone in the workspace/ : /^Only me/ }).check();
  // A picture is a visually hidden radio inside its thumbnail: the thumbnail is what one clicks.
  if (picture) await save.locator("label").filter({ has: page.getByRole("radio", { name: picture }) }).click();
  if (picture) await expect(save.getByRole("radio", { name: picture })).toBeChecked();
  if (checkA11y) await expectAccessible(page, "the Save as preset form");
  await save.getByRole("button", { name: "Save preset" }).click();
  await expect(page.getByText(`Saved “${name}”`)).toBeVisible();
  await expect(presetsDialog(page).getByRole("button", { name: new RegExp(`^Apply ${name}`) })).toBeVisible();
}

test("Presets: the owner shares the Image tool's settings, a member applies them (an input already chosen stays), only the owner deletes, and Undo brings it back", async ({ browser }) => {
  test.slow(); // a long journey: two people, a run, two tools and a phone-sized screen
  // The owner makes a team workspace and an invite link for a member.
  const owner = await (await browser.newContext()).newPage(); // a context of its own: axe-core needs one
  await signUp(owner, { name: "Olga Owner", email: uniqueEmail("olga") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Presets ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/presets-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();

  // The owner's Image settings: a model, a LoRA, an aspect ratio and a negative prompt, and one result for the picture.
  await openTool(owner, team, "Image");
  await chooseModel(owner, /^RealVisXL/);
  await owner.getByRole("button", { name: "Add LoRA" }).click();
  await owner.getByRole("menuitem", { name: "Film Grain XL" }).click();
  await owner.getByRole("radio", { name: "16:9 landscape" }).click();
  await owner.getByLabel("Prompt", { exact: true }).fill("A lighthouse on a cliff at dusk");
  await owner.getByLabel("Negative prompt").fill("blurry, watermark");
  await owner.getByRole("radio", { name: "1 image", exact: true }).click();
  await submitTool(owner, "Generate");
  await expectReadyImages(runCards(owner).first(), 1);

  // Nothing saved yet; then the form saved as a shared preset with that result as its picture.
  const empty = await openPresets(owner);
  await expect(empty).toContainText("No presets yet.");
  await owner.keyboard.press("Escape");
  await saveAsPreset(owner, "Moody coast", { shared: true, picture: /^Result 1/, checkA11y: true });
  const ownerRow = presetsDialog(owner).getByTestId("preset").filter({ hasText: "Moody coast" });
  await expect(ownerRow).toContainText("Shared");
  await expect(ownerRow).toContainText("by you");
  const thumb = ownerRow.locator("img");
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await owner.screenshot({ path: test.info().outputPath("presets-desktop.png") });
  await expectAccessible(owner, "the presets list");
  await owner.keyboard.press("Escape");

  // An Image to video preset too (motion and length; no image is saved with it).
  await openTool(owner, team, "Image to video");
  await owner.getByLabel("Motion").fill("Slow push in, leaves drifting");
  await owner.getByRole("radio", { name: "10 seconds" }).click();
  await saveAsPreset(owner, "Slow push", { shared: true });
  await owner.keyboard.press("Escape");

  // A member joins through the link.
  const member = await (await browser.newContext()).newPage();
  await member.goto(new URL(link).pathname);
  await member.getByRole("link", { name: "Create an account to join" }).click();
  await member.getByLabel("Your name").fill("Milo Member");
  await member.getByLabel("Email").fill(uniqueEmail("milo"));
  await member.getByLabel("Password").fill(PASSWORD);
  await member.getByRole("button", { name: /Create account/ }).click();
  await member.waitForURL(new RegExp(`/w/${team}/generate`));

  // On the Image tool, with settings of their own, the member applies the shared preset from the keyboard.
  await openTool(member, team, "Image");
  await member.getByLabel("Prompt", { exact: true }).fill("A koi pond in the rain");
  const list = await openPresets(member);
  const shared = list.getByTestId("preset").filter({ hasText: "Moody coast" });
  await expect(shared).toContainText("by Olga Owner");
  await expect(shared.getByRole("button", { name: /^Actions for/ })).toHaveCount(0); // not theirs to change
  await shared.getByRole("button", { name: /^Apply Moody coast/ }).focus();
  await member.keyboard.press("Enter");
  await expect(list).toBeHidden();
  await expect(member.getByText("Applied “Moody coast”")).toBeVisible();
  await expect(member.getByRole("button", { name: /^Model or style/ })).toContainText("RealVisXL");
  await expect(member.getByRole("button", { name: "Remove Film Grain XL" })).toBeVisible();
  await expect(member.getByRole("radio", { name: "16:9 landscape" })).toBeChecked();
  await expect(member.getByLabel("Negative prompt")).toHaveValue("blurry, watermark");
  await expect(member.getByLabel("Prompt", { exact: true })).toHaveValue("A lighthouse on a cliff at dusk");

  // On Image to video the member chooses an image first: applying the preset keeps it and sets the rest.
  await openTool(member, team, "Image to video");
  await uploadInto(member, "Image", await pngFile(600, 1000));
  const chosen = member.getByRole("img", { name: /^Image: picture-600x1000\.png/ });
  await expect(chosen).toBeVisible();
  await (await openPresets(member)).getByRole("button", { name: /^Apply Slow push/ }).click();
  await expect(member.getByLabel("Motion")).toHaveValue("Slow push in, leaves drifting");
  await expect(member.getByRole("radio", { name: "10 seconds" })).toBeChecked();
  await expect(chosen).toBeVisible();

  // At 390 px the header keeps its Presets button and the dialog fits the screen.
  await member.setViewportSize(PHONE);
  const phoneList = await openPresets(member);
  const box = await phoneList.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
  expect(await member.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await member.screenshot({ path: test.info().outputPath("presets-phone.png") });
  await member.keyboard.press("Escape");

  // The member can't delete the owner's shared preset, even by calling the action directly.
  await openTool(member, team, "Image");
  const presetId = await (await openPresets(member)).getByTestId("preset").filter({ hasText: "Moody coast" }).getAttribute("data-preset-id");
  const refused = await callServerActionDirectly(member, `/w/${team}/generate/image`, "deletePresetAction", [{ workspace: team, presetId }]);
  expect(refused.text).toContain('"code":"forbidden"');

  // The owner deletes it, and Undo brings it back.
  await openTool(owner, team, "Image");
  const ownerList = await openPresets(owner);
  await ownerList.getByRole("button", { name: "Actions for Moody coast" }).click();
  await owner.getByRole("menuitem", { name: "Delete" }).click();
  await expect(owner.locator("[data-sonner-toast]").filter({ hasText: "Deleted “Moody coast”" })).toBeVisible();
  await expect(ownerList.getByRole("status")).toHaveText(/Deleted “Moody coast”\./);
  await expect(ownerList.getByTestId("preset").filter({ hasText: "Moody coast" })).toHaveCount(0);
  // The open dialog offers Undo in the list (the toast's is out of reach behind it).
  await ownerList.getByRole("button", { name: "Undo" }).click();
  await expect(owner.getByText("“Moody coast” is back")).toBeVisible();
  await expect(ownerList.getByTestId("preset").filter({ hasText: "Moody coast" })).toHaveCount(1);
  await expect(ownerList.getByRole("status")).toHaveCount(0);
  // Deleted again with the dialog then closed: the toast's Undo brings it back.
  await ownerList.getByRole("button", { name: "Actions for Moody coast" }).click();
  await owner.getByRole("menuitem", { name: "Delete" }).click();
  await expect(ownerList.getByTestId("preset").filter({ hasText: "Moody coast" })).toHaveCount(0);
  await owner.keyboard.press("Escape");
  await expect(ownerList).toBeHidden();
  // The newest toast (the first deletion's may still show; its Undo was used).
  await owner.locator("[data-sonner-toast]").filter({ hasText: "Deleted “Moody coast”" }).last().getByRole("button", { name: "Undo" }).click();
  await expect(owner.getByText("“Moody coast” is back").last()).toBeVisible();
  await expect((await openPresets(owner)).getByTestId("preset").filter({ hasText: "Moody coast" })).toHaveCount(1);
});

test("Presets: one naming a model and a LoRA the catalogue no longer lists says so above the form and on the fields, and Generate waits", async ({ page }) => {
  const slug = await signUp(page, { name: "Rita Retired", email: uniqueEmail("rita") });
  await openTool(page, slug, "Image");
  // Saved when the provider still listed them: made here through the action, with names the sandbox does not list.
  const saved = await callServerActionDirectly(page, `/w/${slug}/generate/image`, "createPresetAction", [
    {
      workspace: slug,
      tool: "IMAGE",
      name: "Retired look",
      shared: false,
      params: {
        base: { kind: "model", name: "RetiredXL", baseModel: "sdxl" },
        prompt: "",
        negativePrompt: "",
        aspectRatio: "1:1",
        batchSize: 1,
        guidance: 7,
        steps: 20,
        sampler: "Euler a",
        quality: "Regular",
        loras: [{ name: "Old LoRA", weight: 0.5 }],
        controlNet: null,
        faceLock: null,
        character: null,
      },
    },
  ]);
  expect(saved.text).toContain('"ok":true');
  await page.getByLabel("Prompt", { exact: true }).fill("A castle in the clouds");
  await (await openPresets(page)).getByRole("button", { name: /^Apply Retired look/ }).click();

  const notice = page.getByRole("status").filter({ hasText: "no longer lists" });
  await expect(notice).toHaveText(
    "The preset “Retired look” names the model “RetiredXL” and the LoRA “Old LoRA”, which RenderNet no longer lists. Choose others below before generating.",
  );
  await expect(page.getByText("RenderNet no longer lists the model “RetiredXL”. Choose another model or style.")).toBeVisible();
  await expect(page.getByText("RenderNet no longer lists the LoRA “Old LoRA”. Remove it, or add others.")).toBeVisible();
  // The prompt the preset left empty is the member's own.
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue("A castle in the clouds");
  await submitTool(page, "Generate");
  await expect(page.locator("#base")).toBeFocused(); // refused in the browser: the first field to fix has the focus
  await expect(runCards(page)).toHaveCount(0);

  // Choosing others clears each message, then the sentence.
  await chooseModel(page, /^JuggernautXL/);
  await expect(page.getByText("RenderNet no longer lists the model “RetiredXL”.", { exact: false })).toHaveCount(0);
  await page.getByRole("button", { name: "Remove Old LoRA" }).click();
  await expect(notice).toHaveCount(0);
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
});
