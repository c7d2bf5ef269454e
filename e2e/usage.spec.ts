import type { Page } from "@playwright/test";
import { expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

/** The Image tool with an SDXL model (2 credits an image in the sandbox), one image, and a prompt. */
async function prepareImageRun(page: Page, prompt: string) {
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  await page.getByRole("radio", { name: "1 image", exact: true }).click();
  await expect(page.getByTestId("estimate")).toContainText("2 credits");
}

test("Usage: an owner sees today's spend, sets a budget below the next run's cost, and Generate, Vary and Upscale wait with the budget's warning", async ({ page }) => {
  const slug = await signUp(page, { name: "Bea Budget", email: uniqueEmail("bea") });

  // One real run: 2 credits.
  await openTool(page, slug, "Image");
  await prepareImageRun(page, "A paper boat on a rainy street");
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
  await expectReadyImages(runCards(page).first(), 1);

  // Settings → Usage shows today's spend and who spent it.
  await page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Usage" }).click();
  await page.waitForURL(new RegExp(`/w/${slug}/settings/usage`));
  await expect(page.getByTestId("stat-today")).toContainText("2 credits");
  await expect(page.getByRole("region", { name: "Credits per day" }).getByRole("list", { name: "Legend" })).toContainText("Image");
  const me = page.getByTestId("member-usage-row").filter({ hasText: "Bea Budget" });
  await expect(me).toContainText("2 this month");
  await expect(me.getByTestId("member-range")).toHaveText("2 credits in the last 30 days");

  // A budget of 3: the next 2-credit run would make 4.
  const budget = me.getByLabel("Monthly budget for Bea Budget");
  await budget.fill("-5");
  await me.getByRole("button", { name: "Save budget for Bea Budget" }).click();
  await expect(me.getByRole("alert")).toContainText("can't be negative");
  await budget.fill("3");
  await me.getByRole("button", { name: "Save budget for Bea Budget" }).click();
  await expect(me.getByTestId("member-month")).toContainText("2 of 3 this month");
  await expect(page.getByText("Budget saved")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Monthly budget for Bea Budget")).toHaveValue("3");
  await expect(page.getByTestId("stat-budget")).toContainText("2 / 3");

  // Before Generate, the estimate knows the budget: the warning beside the button, and Generate waits (the server's
  // own refusal, which stays, is lib/usage/usage.test.ts's). No run is recorded.
  await openTool(page, slug, "Image");
  await expect(runCards(page)).toHaveCount(1);
  await prepareImageRun(page, "A second paper boat");
  await expect(page.locator("#submit-blocked")).toHaveText(
    "This run (~2 credits) would exceed your remaining budget of 1 credit this month; an owner can raise it in Settings → Usage.",
  );
  await expect(page.getByRole("button", { name: /^Generate/ })).toBeDisabled();
  await page.getByLabel("Prompt", { exact: true }).press("ControlOrMeta+Enter");
  await expect(runCards(page)).toHaveCount(1);
  await expect(runCards(page).first()).toContainText("A paper boat on a rainy street");

  // The one-click runs say so too: Vary and Upscale on the run's card and in its viewer wait, with the reason.
  const vary = runCards(page).first().getByRole("button", { name: /^Vary/ });
  await expect(vary).toHaveText("Vary · over your budget");
  await expect(vary).toBeDisabled();
  await expect(vary).toHaveAttribute("title", /would exceed your remaining budget of 1 credit/);
  await runCards(page).first().getByRole("button", { name: "Open image 1" }).click();
  await expect(page.getByRole("dialog").getByRole("button", { name: /^Upscale 2×/ })).toHaveText("Upscale 2× · over your budget");
  await expect(page.getByRole("dialog").getByRole("button", { name: /^Upscale 2×/ })).toBeDisabled();
});
