import { expect, PASSWORD, signIn, signOut, signUp, test, uniqueEmail } from "./support";

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
  const email = uniqueEmail("sam");
  const slug = await signUp(page, { name: "Sam Session", email });
  const before = await context.cookies();
  expect(before.some((c) => c.name.includes("authjs.session-token"))).toBe(true);

  await signOut(page);
  await expect(page.getByText("You're signed out.")).toBeVisible();

  // Signing in again lands on the start page at once: no detour through "/" and "/w/<slug>".
  const visited: string[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest() || request.headers()["rsc"]) visited.push(new URL(request.url()).pathname);
  });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**/w/${slug}/generate`);
  expect(visited.filter((path) => path === "/" || path === `/w/${slug}`)).toEqual([]);
  await signOut(page);

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

test("guessing through Auth.js's own callback route is limited like the form, and a forged X-Forwarded-For changes nothing", async ({ browser, playwright, baseURL }) => {
  // The victim signs up (and stays signed in, to read their audit log afterwards).
  const victim = await browser.newPage();
  const email = uniqueEmail("vera");
  const slug = await signUp(victim, { name: "Vera Victim", email });

  // An attacker with no browser: Auth.js's CSRF token, then 40 guesses POSTed straight to the callback route, each
  // claiming a different address, then the right password.
  const attacker = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  const { csrfToken } = (await (await attacker.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const post = (password: string, i: number) =>
    attacker.post("/api/auth/callback/credentials", {
      form: { email, password, csrfToken, callbackUrl: "/" },
      headers: { "X-Forwarded-For": `6.6.${i % 250}.${(i * 7) % 250}`, "X-Real-IP": `7.7.7.${i % 250}` },
    });
  const codes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const response = await post(`guess number ${i}`, i);
    expect(response.status()).toBe(302);
    codes.push(new URL(response.headers().location ?? "", baseURL).searchParams.get("code") ?? `no code: ${response.headers().location}`);
  }
  expect(codes.slice(0, 5)).toEqual(["credentials", "credentials", "credentials", "credentials", "credentials"]);
  for (const code of codes.slice(5)) expect(code).toMatch(/^rate_limited_\d+$/);
  const right = await post(PASSWORD, 99);
  const location = new URL(right.headers().location ?? "", baseURL);
  expect(location.pathname).toBe("/sign-in");
  expect(location.searchParams.get("code")).toMatch(/^rate_limited_\d+$/);
  expect(right.headers()["set-cookie"] ?? "").not.toMatch(/authjs\.session-token=[^;]/);

  // Following that redirect, a person reads how long to wait; the form says the same.
  const page = await (await browser.newContext()).newPage();
  await page.goto(location.pathname + location.search);
  await expect(page.getByText(/Too many sign-in attempts\. Try again in 1[45] minutes\./)).toBeVisible();
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId("form-error")).toHaveText(/Too many sign-in attempts\. Try again in 1[45] minutes\./);
  await attacker.dispose();

  // The victim's audit log shows the guesses and the limit from the real address, never the forged ones.
  await victim.goto(`/w/${slug}/settings/audit`);
  const limited = victim.locator('[data-testid=audit-row][data-action="auth.rate_limited"]');
  await expect(limited.first()).toContainText("Too many attempts");
  await expect(limited.first()).toContainText("127.0.0.1");
  await expect(victim.locator('[data-testid=audit-row][data-action="auth.sign_in_failed"]')).toHaveCount(5);
  await expect(victim.getByText(/6\.6\.|7\.7\.7\./)).toHaveCount(0);
});
