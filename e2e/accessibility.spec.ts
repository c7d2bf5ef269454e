import type { Page } from "@playwright/test";
import { expectAccessible } from "./a11y";
import { expect, expectReadyImages, openTool, pngFile, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

/**
 * Every page of the studio, in the light and the dark theme, checked by axe-core against WCAG 2.1 A and AA (colour
 * contrast, names, labels, landmarks, ...): a violation anywhere fails the journey with the elements and the reason.
 * The theme is the system's (components/theme.tsx follows prefers-color-scheme until a member picks one), so the
 * browser's emulated colour scheme chooses it.
 */

const TOOLS = [
  { slug: "image", name: "Image" },
  { slug: "edit", name: "Edit" },
  { slug: "enhance", name: "Enhance" },
  { slug: "narrator", name: "Narrator" },
  { slug: "image-to-video", name: "Image to video" },
  { slug: "controlnet", name: "ControlNet" },
] as const;

async function expectTheme(page: Page, theme: "light" | "dark") {
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

for (const theme of ["light", "dark"] as const) {
  test.describe(`in the ${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test(`sign-in and sign-up pages (${theme})`, async ({ page }) => {
      await page.goto("/sign-in");
      await expectTheme(page, theme);
      await expectAccessible(page, "sign-in");
      await page.goto("/sign-up");
      await expectAccessible(page, "sign-up");
      // With the form's inline errors showing.
      await page.getByRole("button", { name: /Create account/ }).click();
      await expectAccessible(page, "sign-up with errors");
    });

    test(`the tools, a finished run, the gallery, its detail view and the trash (${theme})`, async ({ page }) => {
      test.slow();
      const slug = await signUp(page, { name: `Ally ${theme}`, email: uniqueEmail(`ally-${theme}`) });
      await expectTheme(page, theme);
      await expectAccessible(page, "the tool picker");
      for (const tool of TOOLS) {
        await page.goto(`/w/${slug}/generate/${tool.slug}`);
        await expect(page.getByRole("heading", { level: 1, name: tool.name, exact: true })).toBeVisible();
        await expectAccessible(page, `the ${tool.name} tool`);
      }

      // A finished run: its card, status chip ("Done") and thumbnails.
      await openTool(page, slug, "Image");
      await page.getByRole("button", { name: /^Model or style/ }).click();
      const models = page.getByRole("dialog", { name: "Model or style" });
      await expectAccessible(page, "the model and style picker");
      await models.getByRole("tab", { name: /^Models/ }).click();
      await models.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
      await expect(models).toBeHidden();
      await page.getByLabel("Prompt", { exact: true }).fill("A lighthouse on a cliff at dusk");
      await submitTool(page, "Generate");
      await expectReadyImages(runCards(page).first(), 1);
      await expectAccessible(page, "the Image tool with a finished run");

      await page.goto(`/w/${slug}/gallery`);
      await expect(page.getByTestId("gallery-grid").getByRole("listitem")).toHaveCount(1);
      await expectAccessible(page, "the gallery");
      await page.getByTestId("gallery-grid").getByRole("listitem").first().getByRole("button", { name: /^Open/ }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expectAccessible(page, "the gallery's detail view");
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toBeHidden();

      await page.goto(`/w/${slug}/gallery?view=trash`);
      await expect(page.getByRole("tab", { name: /^Trash/ })).toHaveAttribute("aria-selected", "true");
      await expectAccessible(page, "the trash");
    });

    test(`assets, characters and every settings tab (${theme})`, async ({ page }) => {
      test.slow();
      const slug = await signUp(page, { name: `Ally ${theme}`, email: uniqueEmail(`ally-assets-${theme}`) });
      await expectTheme(page, theme);

      await page.goto(`/w/${slug}/assets`);
      await expect(page.getByRole("heading", { name: "No files yet" })).toBeVisible();
      await expectAccessible(page, "the empty asset library");
      await page.getByLabel("Choose files to upload").setInputFiles(await pngFile(320, 240));
      await expect(page.getByTestId("asset-grid").getByRole("article")).toHaveCount(1);
      await expectAccessible(page, "the asset library with an upload");

      await page.goto(`/w/${slug}/assets/characters`);
      await expect(page.getByRole("heading", { name: "Ready-made by RenderNet" })).toBeVisible({ timeout: 20_000 });
      await expectAccessible(page, "characters");

      const tabs = [
        { path: "", heading: "General" },
        { path: "/providers", heading: "Providers" },
        { path: "/usage", heading: "Usage" },
        { path: "/audit", heading: "Audit log" },
        { path: "/jobs", heading: "Jobs" },
      ];
      for (const tab of tabs) {
        await page.goto(`/w/${slug}/settings${tab.path}`);
        await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: tab.heading })).toHaveAttribute("aria-current", "page");
        await expectAccessible(page, `settings: ${tab.heading}`);
      }
    });
  });
}
