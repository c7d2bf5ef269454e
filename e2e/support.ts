import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.test`;
}

/** Signs up through the form and waits to land in a workspace. Returns the workspace slug it landed in. */
export async function signUp(page: Page, { name, email, password = PASSWORD }: { name: string; email: string; password?: string }) {
  if (!page.url().includes("/sign-up")) await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /Create account/ }).click();
  await page.waitForURL(/\/w\/[^/]+\/generate/);
  return new URL(page.url()).pathname.split("/")[2]!;
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByTestId("user-menu").filter({ visible: true }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);
}

/** The id Next gave a server action at build time, read from the production build's manifest. */
export function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!entry) throw new Error(`No server action named ${exportedName} in the build`);
  return entry[0];
}

/**
 * Calls a server action the way a hand-made POST would: from the browser, with its cookies, but without any page
 * rendering a control for it. Returns the raw response text (React's flight format).
 */
export async function callServerActionDirectly(page: Page, pagePath: string, exportedName: string, args: unknown[]) {
  const id = serverActionId(exportedName);
  const response = await page.evaluate(
    async ({ pagePath, id, body }) => {
      const res = await fetch(pagePath, {
        method: "POST",
        headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
        body,
      });
      return { status: res.status, text: await res.text() };
    },
    { pagePath, id, body: JSON.stringify(args) },
  );
  return response;
}

export async function expectNotFoundPage(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response?.status(), `${url} should answer 404`).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
}
