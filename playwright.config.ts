import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunch } from "./playwright.chromium";

const port = Number(process.env.E2E_PORT ?? 3100);

// Journeys run in Debian's Chromium against the production build; Playwright never downloads a browser.
export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunch,
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, testIgnore: /upload-limits\.spec\.ts/ },
    // Measures the server's memory, so it runs alone, after every other journey: their page renders, thumbnails and
    // sandbox videos would otherwise show up in the same process's RSS.
    { name: "memory", use: { ...devices["Desktop Chrome"] }, testMatch: /upload-limits\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
