import { createHmac } from "node:crypto";
import pg from "pg";
import { ownServer } from "./own-server";
import { expect, PASSWORD, test, uniqueEmail } from "./support";

/**
 * Durable tracking: a generation survives `kill -9` of the server. A separate instance of the production build (its
 * own database and sandbox data) is started, a run is submitted, the server is SIGKILLed while the provider is still
 * generating, then started again: the run completes and exactly one create reached the provider.
 */

const AUTH_SECRET = "restart-test-secret-0123456789abcdef0123456789";

test("a generation completes after the server is killed mid-run, with exactly one create", async ({ page, consoleErrors }) => {
  test.setTimeout(150_000);
  const { database, origin, start } = await ownServer({
    name: "restart",
    authSecret: AUTH_SECRET,
  });

  let server = await start();
  try {
    await page.goto(`${origin}/sign-up`);
    await page.getByLabel("Your name").fill("Kira Restart");
    await page.getByLabel("Email").fill(uniqueEmail("kira"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: /Create account/ }).click();
    await page.waitForURL(/\/w\/[^/]+\/generate/);
    const slug = new URL(page.url()).pathname.split("/")[2]!;

    await page.goto(`${origin}/w/${slug}/generate/image`);
    // Typed straight after a full page load: the fields wait for hydration, so nothing typed is lost.
    await page.getByLabel(/^Prompt/).first().fill("a lantern floating down a river at night");
    await expect(page.getByText(/credits/).first()).toBeVisible();
    await page.getByRole("button", { name: /^Generate/ }).click();
    // The provider has the run and is still generating (the sandbox's normal schedule takes ~4 s).
    await expect(page.getByText("Generating").first()).toBeVisible({ timeout: 15_000 });

    // This throwaway server is killed twice (here and at the end): requests in flight then, and the page's polls while
    // it is down, fail at the network level (refused, empty or cut-off answers), all from this origin only.
    consoleErrors.allow(new RegExp(`net::ERR_[A-Z_]+ ${origin.replace(/\./g, "\\.")}/`));
    server.kill("SIGKILL");
    await new Promise((resolve) => server.once("exit", resolve));

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ id: string; status: string; workspaceId: string }>(
      `SELECT g.id, g.status, g."workspaceId" FROM "Generation" g JOIN "Workspace" w ON w.id = g."workspaceId" WHERE w.slug = $1`,
      [slug],
    );
    expect(rows).toHaveLength(1);
    expect(["RUNNING", "SUBMITTING", "RECONCILING"]).toContain(rows[0]!.status);

    server = await start();
    await page.reload();
    await expect(page.getByText("Done").first()).toBeVisible({ timeout: 60_000 });
    const final = await client.query<{ status: string; ready: number }>(
      `SELECT g.status, (SELECT count(*) FROM "Media" m WHERE m."generationId" = g.id AND m.status = 'READY')::int AS ready FROM "Generation" g WHERE g.id = $1`,
      [rows[0]!.id],
    );
    await client.end();
    expect(final.rows[0]).toEqual({ status: "SUCCEEDED", ready: 1 });

    // The sandbox's own log of the calls it received for this workspace's account.
    const workspaceId = rows[0]!.workspaceId;
    const key = `sbx_${workspaceId}_${createHmac("sha256", AUTH_SECRET).update(`atelier-sandbox-account:${workspaceId}`).digest("base64url")}`;
    const calls = (await (await fetch(`${origin}/sandbox/__sandbox/calls?path=/rendernet/pub/v1/generations`, { headers: { "X-API-KEY": key } })).json()) as {
      data: { method: string; path: string }[];
    };
    expect(calls.data.filter((c) => c.method === "POST" && c.path === "/rendernet/pub/v1/generations")).toHaveLength(1);
  } finally {
    server.kill("SIGKILL");
    await database.close();
  }
});
