import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support";

test("a wrong password gets a clear message, the same as an unknown email", async ({ page }) => {
  const email = uniqueEmail("wendy");
  await signUp(page, { name: "Wendy Wrong", email });
  await signOut(page);

  await signIn(page, email, "not my password");
  const message = page.getByTestId("form-error");
  await expect(message).toHaveText("That email and password don't match an account. Check them and try again.");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, uniqueEmail("nobody"), "whatever password");
  await expect(page.getByTestId("form-error")).toHaveText("That email and password don't match an account. Check them and try again.");

  // The right password still works.
  await signIn(page, email, PASSWORD);
  await page.waitForURL(/\/w\/[^/]+\/generate/);
});

test("inline validation explains a bad form before anything is sent", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address, like you@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);
});

test("after sign-out the old session cookie no longer works", async ({ page, context }) => {
  const slug = await signUp(page, { name: "Sam Session", email: uniqueEmail("sam") });
  const before = await context.cookies();
  expect(before.some((c) => c.name.includes("authjs.session-token"))).toBe(true);

  await signOut(page);
  await expect(page.getByText("You're signed out.")).toBeVisible();

  // Put the old cookie back, as a thief who copied it would.
  await context.clearCookies();
  await context.addCookies(before);
  await page.goto(`/w/${slug}/generate`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByRole("heading", { name: "Welcome back" })).toBeVisible();
});

test("signed-out visitors are sent to sign in and come back afterwards", async ({ page, browser }) => {
  const email = uniqueEmail("rita");
  const slug = await signUp(page, { name: "Rita Return", email });
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(`/w/${slug}/settings`);
  await expect(fresh).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(`/w/${slug}`)}`));
  await fresh.getByLabel("Email").fill(email);
  await fresh.getByLabel("Password").fill(PASSWORD);
  await fresh.getByRole("button", { name: "Sign in" }).click();
  await fresh.waitForURL(new RegExp(`/w/${slug}`));
});
