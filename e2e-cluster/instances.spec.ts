import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { expect, expectReadyImages, pngFile, runCards, signIn, signOut, signUp, submitTool, test, uniqueEmail, PASSWORD } from "../e2e/support";
import { allowProviderThumbnails, cluster, createsAtProvider, newKey, pin, saveRenderNetKey, servedBy } from "./cluster";

/**
 * Two instances behind the proxy share everything a person's work depends on: the session (AUTH_SECRET), server
 * actions (one build, one NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and deployment id), uploaded media (one store) and
 * provider keys (read from the database on every use, never cached per process). Each journey pins its requests to
 * one instance, then to the other, and checks in the proxy's X-Atelier-Upstream header which one answered.
 */

const isAction = (response: import("@playwright/test").Response) => response.request().method() === "POST" && Boolean(response.request().headers()["next-action"]);

test("signed in through one instance, the other serves the pages and the server actions", async ({ page, context }) => {
  await pin(context, "a");
  const email = uniqueEmail("cleo");
  const slug = await signUp(page, { name: "Cleo Cluster", email });
  await signOut(page);

  // A client claiming another address in X-Forwarded-For: nginx overwrites it with the address it saw, which the
  // instances trust (ATELIER_TRUSTED_PROXIES), so the sign-in is recorded from the real one.
  await context.setExtraHTTPHeaders({ "X-Atelier-Instance": "a", "X-Forwarded-For": "198.51.100.7" });
  const signInAnswer = page.waitForResponse((r) => r.request().method() === "POST");
  await signIn(page, email, PASSWORD);
  await page.waitForURL(/\/w\/[^/]+\/generate/);
  expect(servedBy(await signInAnswer)).toBe("a");
  const db = new pg.Client({ connectionString: cluster().databaseUrl });
  await db.connect();
  try {
    // Recorded beside the answer, not before it: wait for the row.
    const addresses = async () =>
      (await db.query<{ ipAddress: string | null }>(`SELECT "ipAddress" FROM "AuditEvent" WHERE action = 'auth.sign_in' AND "actorEmail" = $1 ORDER BY id`, [email])).rows.map(
        (row) => row.ipAddress,
      );
    await expect.poll(async () => (await addresses()).length).toBeGreaterThan(0);
    expect([...new Set(await addresses())]).toEqual(["127.0.0.1"]);
  } finally {
    await db.end();
  }

  // The session cookie instance a set opens pages on instance b.
  await pin(context, "b");
  const settings = await page.goto(`/w/${slug}/settings/providers`);
  expect(settings?.status()).toBe(200);
  expect(servedBy(settings)).toBe("b");
  await expect(page.getByTestId("provider-RENDERNET")).toBeVisible();

  // A server action on instance b, from a page instance b rendered and a session instance a made.
  const key = newKey("cleo");
  const saved = page.waitForResponse(isAction);
  await saveRenderNetKey(page, slug, key);
  const action = await saved;
  expect(action.status()).toBe(200);
  expect(servedBy(action)).toBe("b");

  // And the other way round: a page rendered by b, its action served by a.
  await page.goto(`/w/${slug}/settings/providers`);
  await pin(context, "a");
  const tested = page.waitForResponse(isAction);
  await page.getByTestId("provider-RENDERNET").getByRole("button", { name: "Test connection" }).click();
  expect(servedBy(await tested)).toBe("a");
  await expect(page.getByTestId("provider-RENDERNET").getByTestId("connection-check")).toContainText("Connected");
});

test("a provider key changed through one instance is the key the other uses at once", async ({ page, context, consoleErrors }) => {
  allowProviderThumbnails(consoleErrors);
  await pin(context, "a");
  const slug = await signUp(page, { name: "Kofi Keys", email: uniqueEmail("kofi") });
  const first = newKey("first");
  await saveRenderNetKey(page, slug, first);

  const generate = async (prompt: string) => {
    await page.goto(`/w/${slug}/generate/image`);
    await page.getByLabel(/^Prompt/).first().fill(prompt);
    await expect(page.getByText(/credits/).first()).toBeVisible();
    await submitTool(page, "Generate");
    await expectReadyImages(runCards(page).first(), 1);
  };

  // Instance b runs with the key a saved (b has never seen this workspace before).
  await pin(context, "b");
  await generate("a red kite over a grey sea");
  expect(await createsAtProvider(first)).toBe(1);

  // Replaced through a, used by b straight away: no restart, no cache to expire.
  await pin(context, "a");
  const second = newKey("second");
  await saveRenderNetKey(page, slug, second);
  await pin(context, "b");
  await generate("a blue kite over a green sea");
  expect(await createsAtProvider(second)).toBe(1);
  expect(await createsAtProvider(first)).toBe(1);
});

test("a file uploaded through one instance is served by the other", async ({ page, context }) => {
  await pin(context, "a");
  const slug = await signUp(page, { name: "Uma Uploads", email: uniqueEmail("uma") });
  await page.goto(`/w/${slug}/assets`);
  const file = await pngFile(400, 300);
  const uploaded = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/w/${slug}/assets`);
  await page.getByLabel("Choose files to upload").setInputFiles(file);
  const upload = await uploaded;
  expect(upload.status()).toBe(201);
  expect(servedBy(upload)).toBe("a");
  const asset = (await upload.json()) as { id: string; originalUrl: string; thumbUrl: string | null };

  await pin(context, "b");
  const original = await page.request.get(asset.originalUrl, { headers: { "X-Atelier-Instance": "b" } });
  expect(original.status()).toBe(200);
  expect(servedBy(original)).toBe("b");
  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  expect(sha256(await original.body())).toBe(sha256(readFileSync(file)));

  // The assets page rendered by b shows the thumbnail a made.
  const assets = await page.goto(`/w/${slug}/assets`);
  expect(servedBy(assets)).toBe("b");
  const thumb = page.getByRole("main").locator("img").first();
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
});
