import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunch } from "./playwright.chromium";

/**
 * The cluster journeys (`npm run test:cluster`, e2e-cluster/): two instances of the production build behind nginx on
 * one PostgreSQL, one media store and one sandbox provider, started by `scripts/cluster.mjs --test`. Requests are
 * pinned to an instance with the X-Atelier-Instance header, which only the test proxy honours. The run that kills an
 * instance comes last (its own project), since the cluster is one for the whole run and is not restarted.
 * Media lives in an S3 bucket of a real object store (Swift's S3 API, scripts/lib/swift.mjs), as a team's cluster keeps
 * it; ATELIER_CLUSTER_STORAGE=local runs the same journeys on one shared media folder instead.
 */
const port = Number(process.env.CLUSTER_PORT ?? 3162);
const storage = process.env.ATELIER_CLUSTER_STORAGE === "local" ? "local" : "s3";

export default defineConfig({
  testDir: "e2e-cluster",
  fullyParallel: false,
  workers: 1,
  // A retry would meet the instance the last journey killed: every run starts a fresh cluster instead.
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "playwright-report-cluster" }]],
  outputDir: "test-results-cluster",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunch,
  },
  projects: [
    { name: "cluster", use: { ...devices["Desktop Chrome"] }, testIgnore: /kill\.spec\.ts/ },
    { name: "kill", use: { ...devices["Desktop Chrome"] }, testMatch: /kill\.spec\.ts/, dependencies: ["cluster"] },
  ],
  webServer: {
    command: `node scripts/cluster.mjs --test --instances 2 --port ${port} --storage ${storage}`,
    // nginx starts after every instance is ready, so the proxy answering means the whole cluster is up.
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
  },
});
