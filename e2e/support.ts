import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { makeMp4, makePng } from "../test/contract/fixtures";

export { expect };

// ---- Console errors fail a journey -------------------------------------------------------------------------------

/** What a page said that a journey did not expect: a console error or an uncaught exception, with where it came from. */
export type BrowserError = { kind: "console" | "pageerror"; text: string; url: string };

export type ConsoleErrors = {
  /**
   * Declares an error this test provokes on purpose (a refused request shows in Chromium's console as "Failed to load
   * resource: ... 403"). Matched against "<text> <url>"; say why beside the call.
   */
  allow(pattern: RegExp): void;
  /** The errors seen so far that no `allow` matches. */
  unexpected(): BrowserError[];
};

// The allow-list of the test running in this worker (a worker runs one test at a time), for helpers below that
// provoke an error by design, like a page that must answer 404.
let currentAllowList: RegExp[] | null = null;

/** `consoleErrors.allow` for helpers that have no fixtures at hand. */
export function allowConsoleError(pattern: RegExp) {
  if (!currentAllowList) throw new Error("allowConsoleError() runs only inside a test that imports `test` from e2e/support.ts");
  currentAllowList.push(pattern);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Chromium's console line for a response with this status, for a URL whose path (and query) is exactly `urlPath`. */
export function failedLoad(status: number, urlPath: string): RegExp {
  return new RegExp(`status of ${status} \\(.*\\) https?://[^/]+${escapeRegExp(urlPath)}$`);
}

function watch(context: BrowserContext, seen: BrowserError[]) {
  context.on("console", (message) => {
    if (message.type() === "error") seen.push({ kind: "console", text: message.text(), url: message.location().url || message.page()?.url() || "" });
  });
  context.on("weberror", (error) => {
    seen.push({ kind: "pageerror", text: String(error.error().stack ?? error.error().message), url: error.page()?.url() ?? "" });
  });
}

/**
 * Every journey's `test`: it records each console error and uncaught page error of every browser context the test
 * opens, and fails the test after it ends if one of them matches none of the patterns the test declared with
 * `consoleErrors.allow(...)`. A hydration mismatch (React's #418) or a crashed component then fails the journey that
 * met it instead of passing unnoticed.
 */
export const test = base.extend<{ consoleErrors: ConsoleErrors }>({
  consoleErrors: [
    async ({ browser }, use) => {
      const seen: BrowserError[] = [];
      // The one error every journey may meet: Chromium asks for /favicon.ico by itself when a document it shows has no
      // icon link (seen once in auth.spec.ts; which document is not known yet), and the app serves only /icon.svg.
      const allowed: RegExp[] = [failedLoad(404, "/favicon.ico")];
      currentAllowList = allowed;
      // The default `context`/`page` fixtures and every `browser.newContext()`/`browser.newPage()` of a test go through
      // `browser.newContext`, and Playwright has no public event for a new context: wrap it on this browser for the
      // test's duration. This fixture is set up before `context` and torn down after it, so every context is closed
      // (and every message in) by the time the list is checked.
      const original = browser.newContext;
      const patched: Browser["newContext"] = async (options) => {
        const context = await original.call(browser, options);
        watch(context, seen);
        return context;
      };
      browser.newContext = patched;
      const isAllowed = (error: BrowserError) => allowed.some((pattern) => pattern.test(`${error.text} ${error.url}`));
      const unexpected = () => seen.filter((error) => !isAllowed(error));
      // `use` returns when the test ends, failed or not.
      await use({ allow: (pattern) => void allowed.push(pattern), unexpected });
      browser.newContext = original;
      currentAllowList = null;
      const errors = unexpected();
      expect(errors, `unexpected browser errors:\n${errors.map((e) => `  [${e.kind}] ${e.text} (${e.url})`).join("\n")}`).toEqual([]);
    },
    { auto: true },
  ],
});

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
  allowConsoleError(failedLoad(404, url)); // the 404 this checks for is also a failed load in Chromium's console
  const response = await page.goto(url);
  expect(response?.status(), `${url} should answer 404`).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
}

// ---- Generation studio helpers -------------------------------------------------------------------------------------

let fixtureDir: string | null = null;
const fixtureFiles = new Map<string, Promise<string>>();

function fixtureFile(name: string, make: () => Promise<Uint8Array>): Promise<string> {
  let file = fixtureFiles.get(name);
  if (!file) {
    file = make().then((bytes) => {
      if (!fixtureDir) {
        const dir = mkdtempSync(path.join(tmpdir(), "atelier-e2e-"));
        process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
        fixtureDir = dir;
      }
      const filePath = path.join(fixtureDir, name);
      writeFileSync(filePath, bytes);
      return filePath;
    });
    fixtureFiles.set(name, file);
  }
  return file;
}

/** A real PNG in a temp file (a gradient with a circle), named after its size. */
export const pngFile = (width: number, height: number) => fixtureFile(`picture-${width}x${height}.png`, () => makePng(width, height));

/** A real H.264 MP4 in a temp file. */
export const mp4File = (width: number, height: number, fps: number, frames: number) =>
  fixtureFile(`clip-${width}x${height}-${fps}fps.mp4`, () => makeMp4(width, height, fps, frames));

/** Opens a tool from the studio's tool picker, the way a newcomer finds it. */
/**
 * Saves a RenderNet key of the workspace's own (the test server's RenderNet is its sandbox, which opens an account for
 * any key), so a journey can slow or fault that account alone; returns the key and a poster for the sandbox's hooks.
 */
export async function useOwnSandboxKey(page: Page, slug: string, prefix: string) {
  const key = `rn_${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  await page.goto(`/w/${slug}/settings/providers`);
  const provider = page.getByTestId("provider-RENDERNET");
  await provider.getByRole("button", { name: "Use a RenderNet key" }).click();
  await provider.getByLabel("API key").fill(key);
  await provider.getByRole("button", { name: "Save and test" }).click();
  await expect(provider).toContainText(`Key ····${key.slice(-4)}`);
  const hooks = (path: string, data: unknown) => page.request.post(`/sandbox/__sandbox/${path}`, { headers: { "X-API-KEY": key }, data });
  return { key, hooks };
}

export async function openTool(page: Page, slug: string, toolName: string) {
  if (!new URL(page.url()).pathname.endsWith(`/w/${slug}/generate`)) await page.goto(`/w/${slug}/generate`);
  const tools = page.getByRole("list", { name: "Tools" });
  await tools.getByRole("link").filter({ has: page.getByRole("heading", { name: toolName, exact: true }) }).click();
  await expect(page.getByRole("heading", { level: 1, name: toolName, exact: true })).toBeVisible();
}

/** Puts a file into an input picker (named by its label) through its file input, as "Browse files" would. */
export async function uploadInto(page: Page, pickerLabel: string, filePath: string) {
  const picker = page.getByRole("group", { name: pickerLabel, exact: true });
  await picker.locator('input[type="file"]').setInputFiles(filePath);
  return picker;
}

/** The queue of runs beside a tool's form (or under the tool picker). */
export const runsPanel = (page: Page) => page.getByRole("region", { name: "Runs" });
export const runCards = (page: Page) => runsPanel(page).getByRole("article");

/** Clicks the form's submit button (its name starts with the tool's verb; a shortcut hint follows). */
export async function submitTool(page: Page, verb: string) {
  await page.getByRole("button", { name: new RegExp(`^${verb}`) }).click();
}

/** Waits for a run card to finish with `count` READY images, each thumbnail actually loaded. */
export async function expectReadyImages(card: Locator, count: number) {
  await expect(card).toHaveAttribute("aria-label", /, succeeded$/, { timeout: 20_000 });
  const tiles = card.getByRole("button", { name: /^Open image \d+$/ });
  await expect(tiles).toHaveCount(count);
  for (const tile of await tiles.all()) {
    const thumb = tile.locator("img");
    await thumb.scrollIntoViewIfNeeded(); // thumbnails load lazily
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
}

/** Waits for a video run to finish, opens its result in the lightbox, and checks the <video> source plays as video. */
export async function expectPlayableVideo(page: Page, card: Locator) {
  await expect(card).toHaveAttribute("aria-label", /, succeeded$/, { timeout: 20_000 });
  await card.getByRole("button", { name: "Open video 1" }).click();
  const lightbox = page.getByRole("dialog");
  const video = lightbox.locator("video");
  await expect(video).toBeVisible();
  const src = await video.getAttribute("src");
  expect(src).toBeTruthy();
  const response = await page.request.get(src!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^video\//);
  await page.keyboard.press("Escape");
  await expect(lightbox).toBeHidden();
}
