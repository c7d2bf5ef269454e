import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Page } from "@playwright/test";
import { expect, expectNotFoundPage, signUp, test, uniqueEmail } from "./support";

/** The e2e server's database (scripts/e2e-server.mjs writes its address): dead jobs take 25 failed attempts to make. */
async function withDatabase<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: readFileSync(path.join(process.cwd(), ".data", "e2e", "database-url"), "utf8").trim() });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

async function workspaceId(slug: string): Promise<string> {
  return withDatabase(async (client) => (await client.query<{ id: string }>(`SELECT "id" FROM "Workspace" WHERE "slug" = $1`, [slug])).rows[0]!.id);
}

/** A job of the workspace that gave up (as the worker archives it), and one waiting for later. */
async function seedJobs(groupKey: string, error: string) {
  await withDatabase(async (client) => {
    await client.query(
      `INSERT INTO "DeadJob" ("jobId", "queue", "key", "groupKey", "payload", "attempts", "lastError", "createdAt")
       VALUES (1, 'generation.submit', $2, $1, '{}'::jsonb, 25, $3, now() - interval '2 hours')`,
      [groupKey, `generation:${groupKey.slice(0, 8)}-${Date.now()}`, error],
    );
    await client.query(
      `INSERT INTO "Job" ("queue", "groupKey", "payload", "runAt", "updatedAt")
       VALUES ('media.purge', $1, '{}'::jsonb, (now() AT TIME ZONE 'UTC') + interval '1 hour', (now() AT TIME ZONE 'UTC'))`,
      [groupKey],
    );
  });
}

const queueRow = (page: Page, queue: string) => page.locator(`[data-queue="${queue}"]`);

test("an owner sees the workspace's jobs and a dead job's error in Settings → Jobs; it refreshes itself; nobody else sees them", async ({ browser }) => {
  const owner = await browser.newPage();
  const slug = await signUp(owner, { name: "Jo Jobs", email: uniqueEmail("jo") });
  const id = await workspaceId(slug);

  await owner.getByRole("navigation", { name: "Studio", exact: true }).getByRole("link", { name: "Settings" }).click();
  await owner.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Jobs" }).click();
  await owner.waitForURL(`**/w/${slug}/settings/jobs`);
  await expect(owner.getByRole("heading", { name: "Jobs", exact: true })).toBeVisible();
  await expect(owner.getByRole("heading", { name: "No background jobs" })).toBeVisible();

  // A job gives up while the page is open: it appears without a reload (the view polls).
  await seedJobs(id, "ProviderError: RenderNet GET /pub/v1/generations/{generation_id}: HTTP 503 → unavailable");
  const dead = owner.getByTestId("dead-jobs").getByRole("listitem");
  await expect(dead).toHaveCount(1, { timeout: 15_000 });
  await expect(dead).toContainText("generation.submit");
  await expect(dead).toContainText("HTTP 503 → unavailable");
  await expect(dead).toContainText("after 25 attempts");
  await expect(queueRow(owner, "generation.submit").locator("[data-count=dead] dd")).toHaveText("1");
  await expect(queueRow(owner, "media.purge").locator("[data-count=scheduled] dd")).toHaveText("1");
  await expect(queueRow(owner, "media.purge").locator("[data-count=due] dd")).toHaveText("0");

  // Someone else: their own Jobs page is empty, the owner's is a 404, and so is its API.
  const stranger = await (await browser.newContext()).newPage();
  const theirs = await signUp(stranger, { name: "Sam Stranger", email: uniqueEmail("sam") });
  await stranger.goto(`/w/${theirs}/settings/jobs`);
  await expect(stranger.getByRole("heading", { name: "No background jobs" })).toBeVisible();
  await expectNotFoundPage(stranger, `/w/${slug}/settings/jobs`);
  expect((await stranger.request.get(`/api/w/${slug}/jobs`)).status()).toBe(404);
});
