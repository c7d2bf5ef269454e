import type { Page } from "@playwright/test";
import { allowConsoleError, expect, expectNotFoundPage, failedLoad, expectReadyImages, openTool, PASSWORD, pngFile, runCards, signUp, submitTool, test, uniqueEmail, uploadInto } from "./support";

// Rough edges a newcomer hit (issue 14): what a run at Qolaba costs, where a viewer lands and what they meet on an
// admin page, counts that agree with their nouns, the sandbox said plainly, and a sheet of keyboard shortcuts.

const sandboxBadge = (page: Page) => page.getByTestId("sandbox-badge").filter({ visible: true });
const grid = (page: Page) => page.getByTestId("gallery-grid");
const tiles = (page: Page) => grid(page).getByRole("listitem");

test("A newcomer's first ControlNet run: the GPU-time price, the sandbox badge, the shortcut sheet and '1 item'", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const slug = await signUp(page, { name: "Rhea Rough", email: uniqueEmail("rhea") });

  // The sidebar says the runs are simulated and free, and shows the owner where keys go.
  await expect(sandboxBadge(page)).toContainText("Runs here are simulated by the built-in sandbox and cost nothing.");
  await expect(sandboxBadge(page).getByRole("link", { name: "Connect a key" })).toHaveAttribute("href", `/w/${slug}/settings/providers`);

  // "?" opens every shortcut; Esc closes it.
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText("Generate, from anywhere in the form");
  await expect(sheet).toContainText("Search prompts");
  await expect(sheet).toContainText("Favourite or unfavourite");
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();

  // ControlNet runs at Qolaba, which bills GPU time: the form says so instead of a credit figure.
  await openTool(page, slug, "ControlNet");
  await uploadInto(page, "Reference image", await pngFile(640, 640));
  await expect(page.getByRole("img", { name: /^Reference image: picture-640x640\.png/ })).toBeVisible();

  // A "?" typed into the prompt is text, not a shortcut.
  const prompt = page.getByLabel("Prompt", { exact: true });
  await prompt.fill("A bronze statue, why not");
  await prompt.press("?");
  await expect(prompt).toHaveValue("A bronze statue, why not?");
  await expect(sheet).toHaveCount(0);
  // With the settings complete, the cost line says how Qolaba bills instead of a credit figure.
  await expect(page.getByTestId("estimate")).toHaveText("Qolaba bills the GPU time this run takes.");

  await page.getByRole("textbox", { name: "Images" }).fill("1");
  await submitTool(page, "Generate");
  await expectReadyImages(runCards(page).first(), 1);

  // One item in the trash: the confirmation speaks of "1 item", not "1 items".
  await page.goto(`/w/${slug}/gallery`);
  await expect(tiles(page)).toHaveCount(1);
  await tiles(page).first().getByRole("checkbox").click();
  await page.getByRole("toolbar", { name: "Selected items" }).getByRole("button", { name: "Delete" }).click();
  await expect(tiles(page)).toHaveCount(0);
  await page.getByRole("tab", { name: /Trash \(1\)/ }).click();
  await page.getByRole("button", { name: "Empty trash" }).click();
  await expect(page.getByRole("dialog", { name: "Delete 1 item for good?" })).toBeVisible();
  await page.getByRole("button", { name: "Keep them" }).click();

  // The badge's link leads to the keys; with a RenderNet key saved, only Qolaba is still simulated, and the badge says
  // so at once.
  await sandboxBadge(page).getByRole("link", { name: "Connect a key" }).click();
  await page.waitForURL(`**/w/${slug}/settings/providers`);
  const card = page.getByTestId("provider-RENDERNET");
  await card.getByRole("button", { name: "Use a RenderNet key" }).click();
  await card.getByLabel("API key").fill(`rn_live_rough_${Date.now().toString(36)}_0a1b2c3d`);
  await card.getByRole("button", { name: "Save and test" }).click();
  await expect(card.getByTestId("connection-check")).toContainText("Connected.");
  await expect(sandboxBadge(page)).toContainText("Qolaba runs here are simulated by the built-in sandbox and cost nothing.");
});

test("A viewer starts on the gallery and gets a 403 on an admin page; a stranger still gets a 404", async ({ browser }) => {
  const owner = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signUp(owner, { name: "Otis Owner", email: uniqueEmail("otis") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Kiln ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/kiln-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  // One member so far, in the singular.
  await expect(owner.getByTestId("workspace-switcher").filter({ visible: true })).toContainText("Owner · 1 member");
  await owner.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();

  // On a phone: the viewer joins through the link and lands on the team's gallery, not on locked tool cards.
  const viewer = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await viewer.goto(new URL(link).pathname);
  await viewer.getByRole("link", { name: "Create an account to join" }).click();
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByLabel("Email").fill(uniqueEmail("vera"));
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: /Create account/ }).click();
  await viewer.waitForURL(`**/w/${team}/gallery?joined=1`);
  await viewer.goto(`/w/${team}`);
  await viewer.waitForURL(`**/w/${team}/gallery`);

  // The header's sandbox pill explains itself but, for a viewer, leads nowhere they cannot act.
  await expect(sandboxBadge(viewer)).toHaveAccessibleName("Sandbox: Runs here are simulated by the built-in sandbox and cost nothing.");
  await expect(sandboxBadge(viewer)).not.toHaveAttribute("href", /.*/);

  // An admin page: a 403 that says so, not the "not a member" 404.
  for (const path of ["settings/jobs", "settings/audit"]) {
    allowConsoleError(failedLoad(403, `/w/${team}/${path}`)); // the refusal this test asks for
    const response = await viewer.goto(`/w/${team}/${path}`);
    expect(response?.status(), path).toBe(403);
    await expect(viewer.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(viewer.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
  }

  // Someone outside the workspace learns nothing: the same pages, and the start page, are 404s.
  const stranger = await (await browser.newContext()).newPage();
  await signUp(stranger, { name: "Sid Stranger", email: uniqueEmail("sid") });
  for (const path of ["settings/jobs", "settings/audit", ""]) await expectNotFoundPage(stranger, `/w/${team}/${path}`.replace(/\/$/, ""));
});
