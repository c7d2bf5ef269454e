import type { Locator, Page } from "@playwright/test";
import { expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// Issue 14: a studio that works on a phone. On a 390 px screen every page fits its width (no sideways scrolling), the
// tab bar stays on screen, a run just started comes into view, and the gallery's detail view is a full-screen sheet
// with its actions in reach and a swipe to the next item.

const PHONE = { width: 390, height: 844 };
/** The narrowest and widest phones we promise to fit, besides PHONE. */
const OTHER_WIDTHS = [360, 430];

test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

const tabBar = (page: Page) => page.getByRole("navigation", { name: "Studio sections" });
const tiles = (page: Page) => page.getByTestId("gallery-grid").getByRole("listitem");
const detail = (page: Page) => page.getByRole("dialog");

type Overflow = { scrollWidth: number; clientWidth: number; offenders: string[] };

/**
 * The page's width against the screen's, and (to say what to fix) the elements whose right edge passes the screen's
 * edge without an ancestor that scrolls or clips them.
 */
function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const limit = root.clientWidth + 0.5;
    const clipped = (element: Element) => {
      for (let up = element.parentElement; up && up !== root; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== "visible" && up.getBoundingClientRect().right <= limit) return true;
      }
      return false;
    };
    const offenders: string[] = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= limit || clipped(element)) continue;
      const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${String(element.getAttribute("class") ?? "").split(/\s+/).slice(0, 4).join(".")}`;
      offenders.push(`${name} right=${Math.round(box.right)} "${(element.textContent ?? "").trim().slice(0, 30)}"`);
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders: offenders.slice(0, 8) };
  });
}

/** The page is no wider than the screen, and (in the studio) the tab bar is entirely on it. */
async function expectFits(page: Page, what: string, { studio = true } = {}) {
  const { width, height } = page.viewportSize()!;
  const overflow = await measureOverflow(page);
  expect(overflow.scrollWidth, `${what} at ${width} px is ${overflow.scrollWidth} px wide:\n  ${overflow.offenders.join("\n  ")}`).toBeLessThanOrEqual(
    overflow.clientWidth,
  );
  if (studio) {
    const bar = await tabBar(page).boundingBox();
    expect(bar, `${what} at ${width} px: the tab bar`).not.toBeNull();
    expect(bar!.y, `${what} at ${width} px: the tab bar's top`).toBeGreaterThanOrEqual(0);
    expect(bar!.y + bar!.height, `${what} at ${width} px: the tab bar's bottom`).toBeLessThanOrEqual(height + 0.5);
    expect(bar!.width, `${what} at ${width} px: the tab bar's width`).toBeLessThanOrEqual(width + 0.5);
  }
}

/** A dialog (or sheet) lies inside the screen, whole. */
async function expectOnScreen(page: Page, element: Locator, what: string) {
  const { width, height } = page.viewportSize()!;
  const box = (await element.boundingBox())!;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(-0.5);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(-0.5);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(width + 0.5);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(height + 0.5);
}

/** A finger dragged sideways across an element: real touch input, as a phone sends it. */
async function swipe(page: Page, element: Locator, dx: number) {
  const box = (await element.boundingBox())!;
  const x = box.x + box.width / 2 - dx / 2;
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  for (let step = 1; step <= 6; step++) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x + (dx * step) / 6, y }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

test("On a phone: generate, see the run, swipe through the detail sheet, delete from it, and every page fits", async ({ page }) => {
  test.setTimeout(300_000);
  for (const path of ["/sign-in", "/sign-up"]) {
    await page.goto(path);
    await expectFits(page, path, { studio: false });
  }
  const slug = await signUp(page, { name: "Pia Phone", email: uniqueEmail("pia") });
  await expectFits(page, "the tool picker");

  // Two images from the Image tool. The new run comes into view at once (the queue is under the form on a phone), and
  // the toast sits at the top, off the Generate button.
  await openTool(page, slug, "Image");
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const picker = page.getByRole("dialog", { name: "Model or style" });
  await expectOnScreen(page, picker, "the model picker");
  await picker.getByRole("tab", { name: /^Models/ }).click();
  await picker.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await expect(picker).toBeHidden();
  await page.getByLabel("Prompt", { exact: true }).fill("A paper boat on a rainy street");
  await page.getByRole("radio", { name: "2 images", exact: true }).click();
  await expectFits(page, "the Image tool");
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
  await expect(runCards(page).first()).toBeInViewport();
  // (A sandbox run may finish, and its toast replace this one, within a second: the toaster's side is what is checked.)
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: "Queued" })).toBeVisible();
  await expect(page.locator("[data-sonner-toaster]")).toHaveAttribute("data-y-position", "top");
  await expectReadyImages(runCards(page).first(), 2);

  // The tab bar is in reach: it takes us to the gallery.
  await tabBar(page).getByRole("link", { name: "Gallery" }).click();
  await page.waitForURL(`**/w/${slug}/gallery`);
  await expect(tiles(page)).toHaveCount(2);
  await expectFits(page, "the gallery");
  // Boards are a row of chips above the grid on a phone; a long name must not widen the page (it made it 494 px wide).
  for (const name of ["Moodboard for the spring campaign", "Client picks"]) {
    await page.getByRole("button", { name: "New board" }).click();
    const dialog = page.getByRole("dialog", { name: "New board" });
    await expectOnScreen(page, dialog, "the new board dialog");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Create board" }).click();
    await expect(page.getByTestId("board-list")).toContainText(name);
    await expectFits(page, `the gallery with the board "${name}"`);
  }
  const firstId = await tiles(page).first().getAttribute("data-media-id");

  // The detail view fills the screen; a swipe to the left shows the next item, to the right the previous one.
  await tiles(page).first().getByRole("button", { name: /^Open/ }).click();
  await expect(detail(page)).toContainText("1 of 2");
  await expectOnScreen(page, detail(page), "the detail sheet");
  const box = (await detail(page).boundingBox())!;
  expect(box.width).toBe(PHONE.width);
  expect(box.height).toBe(PHONE.height);
  await swipe(page, page.getByTestId("detail-stage"), -160);
  await expect(detail(page)).toContainText("2 of 2");
  await swipe(page, page.getByTestId("detail-stage"), 160);
  await expect(detail(page)).toContainText("1 of 2");
  // A short drag is not a swipe.
  await swipe(page, page.getByTestId("detail-stage"), 20);
  await expect(detail(page)).toContainText("1 of 2");

  // Its everyday actions sit in a bar that is on screen without scrolling; Delete moves the item to the trash.
  const bar = detail(page).getByRole("toolbar", { name: "Item actions" });
  await expectOnScreen(page, bar, "the detail's action bar");
  await expect(bar.getByRole("link", { name: "Download" })).toBeInViewport();
  await expect(bar.getByRole("button", { name: "Favourite" })).toBeInViewport();
  const remove = bar.getByRole("button", { name: "Delete" });
  await expect(remove).toBeInViewport();
  await remove.click();
  await expect(detail(page)).toContainText("1 of 1");
  await expect(detail(page).getByRole("button", { name: "Delete", exact: true })).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(tiles(page)).toHaveCount(1);
  await expect(tiles(page).first()).not.toHaveAttribute("data-media-id", firstId!);
  const keptId = await tiles(page).first().getAttribute("data-media-id");

  // Every page of the studio, at 390 px and then at the narrowest and widest phones.
  const pages: [string, string][] = [
    ["the tool picker", "generate"],
    ...["image", "edit", "enhance", "controlnet", "image-to-video", "narrator"].map((tool): [string, string] => [`the ${tool} tool`, `generate/${tool}`]),
    ["the gallery", "gallery"],
    ["the trash", "gallery?view=trash"],
    ["the detail view", `gallery?item=${keptId}`],
    // The deleted item is still in the trash, so the two can be compared.
    ["the compare view", `gallery/compare?ids=${keptId},${firstId}`],
    ["the files", "assets"],
    ["the characters", "assets/characters"],
    ["the settings", "settings"],
    ["the providers", "settings/providers"],
    ["the usage", "settings/usage"],
    ["the audit log", "settings/audit"],
    ["the jobs", "settings/jobs"],
  ];
  for (const width of [PHONE.width, ...OTHER_WIDTHS]) {
    await page.setViewportSize({ width, height: PHONE.height });
    for (const [what, path] of pages) {
      const response = await page.goto(`/w/${slug}/${path}`);
      expect(response?.status(), path).toBe(200);
      // The detail sheet covers the screen (the page under it, tab bar included, is hidden from the accessibility
      // tree meanwhile, so its main landmark is not looked for).
      const sheet = path.includes("item=");
      if (sheet) await expect(detail(page)).toContainText("1 of 1");
      else await expect(page.getByRole("main")).toBeVisible();
      await expectFits(page, what, { studio: !sheet });
    }
    await page.goto("/workspaces/new");
    await expectFits(page, "a new workspace", { studio: false });
  }
});
