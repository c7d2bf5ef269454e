import { createHmac } from "node:crypto";
import pg from "pg";
import { ownServer } from "./own-server";
import { expect, PASSWORD, test, uniqueEmail } from "./support";

/**
 * Health, metrics and a graceful stop on the real server (scripts/server.mjs on the production build, its own
 * database and sandbox data). A run's create is held at the provider (a latency fault) and a request is in flight
 * when the server gets SIGTERM: readiness turns 503 at once, the request is answered, the create's answer is recorded
 * (the job finished its step within the grace), the process exits 0 within ATELIER_SHUTDOWN_TIMEOUT, and once a new
 * server starts the run completes with exactly one create at the provider.
 */

const AUTH_SECRET = "graceful-stop-secret-0123456789abcdef0123456789";
const METRICS_TOKEN = "graceful-stop-metrics-token-0123456789";
const TIMEOUT_SECONDS = 10;

test("health, metrics, and SIGTERM mid-run: ready turns red, work in flight finishes, exit 0, one create", async ({ page, consoleErrors }) => {
  test.setTimeout(150_000);
  const { database, origin, start, log } = await ownServer({
    name: "graceful_stop",
    authSecret: AUTH_SECRET,
    env: { SANDBOX_SCHEDULE: "fast", METRICS_TOKEN, ATELIER_SHUTDOWN_TIMEOUT: String(TIMEOUT_SECONDS), ATELIER_SHUTDOWN_DELAY: "2" },
    readyPath: "/api/health/ready",
  });

  let server = await start();
  try {
    // Health: live and ready with every check named, without a session.
    const live = await fetch(`${origin}/api/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${origin}/api/health/ready`);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", storage: "ok", shutdown: "ok" } });

    await page.goto(`${origin}/sign-up`);
    await page.getByLabel("Your name").fill("Noor Stop");
    await page.getByLabel("Email").fill(uniqueEmail("noor"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: /Create account/ }).click();
    await page.waitForURL(/\/w\/[^/]+\/generate/);
    const slug = new URL(page.url()).pathname.split("/")[2]!;

    // Metrics: 401 without the token; with it, latency under route patterns, never the workspace's slug.
    expect((await fetch(`${origin}/api/metrics`)).status).toBe(401);
    const scraped = await (await fetch(`${origin}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(scraped).toMatch(/atelier_http_request_duration_seconds_count\{route="\/api\/health\/ready",method="GET",status="2xx"\} \d+/);
    expect(scraped).toMatch(/atelier_http_request_duration_seconds_count\{route="\/w\/\[workspace\]\/generate",method="GET",status="2xx"\} \d+/);
    expect(scraped).toMatch(/atelier_runs\{state="QUEUED"\} 0/);
    expect(scraped).not.toContain(slug);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows: workspaces } = await client.query<{ id: string }>(`SELECT id FROM "Workspace" WHERE slug = $1`, [slug]);
    const workspaceId = workspaces[0]!.id;
    // The workspace's sandbox account: its create is held 3 s, and so is one GET a client makes through the server.
    const key = `sbx_${workspaceId}_${createHmac("sha256", AUTH_SECRET).update(`atelier-sandbox-account:${workspaceId}`).digest("base64url")}`;
    const faults = await fetch(`${origin}/sandbox/__sandbox/faults`, {
      method: "POST",
      headers: { "X-API-KEY": key, "Content-Type": "application/json" },
      body: JSON.stringify({
        rules: [
          { method: "POST", path: "/rendernet/pub/v1/generations", fault: "latency", latencyMs: 3000, times: 1 },
          { method: "GET", path: "/rendernet/pub/v1/voices", fault: "latency", latencyMs: 3000, times: 1 },
        ],
      }),
    });
    expect(faults.ok).toBe(true);

    await page.goto(`${origin}/w/${slug}/generate/image`);
    await page.getByLabel(/^Prompt/).first().fill("a lighthouse keeper switching off the lamp at dawn");
    await expect(page.getByText(/credits/).first()).toBeVisible();
    await page.getByRole("button", { name: /^Generate/ }).click();
    // The worker commits SUBMITTING before it sends the create, which the sandbox now holds for 3 s.
    const status = async () => (await client.query<{ status: string }>(`SELECT status FROM "Generation" WHERE "workspaceId" = $1`, [workspaceId])).rows[0]?.status;
    await expect.poll(status, { timeout: 15_000, intervals: [50] }).toBe("SUBMITTING");
    const inFlight = fetch(`${origin}/sandbox/rendernet/pub/v1/voices`, { headers: { "X-API-KEY": key } }).then(async (r) => ({ status: r.status, ok: (await r.text()).length > 0 }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    consoleErrors.allow(new RegExp(`net::ERR_[A-Z_]+ ${origin.replace(/\./g, "\\.")}/`));
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    const signalledAt = Date.now();
    server.kill("SIGTERM");
    await expect.poll(() => log().includes("shutdown: not ready; draining"), { timeout: 2000, intervals: [20] }).toBe(true);
    const red = await fetch(`${origin}/api/health/ready`);
    expect(red.status).toBe(503);
    expect(await red.json()).toMatchObject({ status: "not ready", checks: { shutdown: "This instance is shutting down." } });

    expect(await inFlight).toEqual({ status: 200, ok: true });
    expect(await exited, log()).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(TIMEOUT_SECONDS * 1000);
    // The held create was answered and recorded within the grace: the run is at the provider, its job free for anyone.
    expect(await status()).toBe("RUNNING");
    const { rows: jobs } = await client.query<{ lockedBy: string | null }>(`SELECT "lockedBy" FROM "Job" WHERE "groupKey" = $1`, [workspaceId]);
    expect(jobs.every((job) => job.lockedBy === null)).toBe(true);

    server = await start();
    await page.goto(`${origin}/w/${slug}/generate/image`);
    await expect(page.getByText("Done").first()).toBeVisible({ timeout: 60_000 });
    expect(await status()).toBe("SUCCEEDED");
    await client.end();
    const calls = (await (await fetch(`${origin}/sandbox/__sandbox/calls?path=/rendernet/pub/v1/generations`, { headers: { "X-API-KEY": key } })).json()) as {
      data: { method: string; path: string }[];
    };
    expect(calls.data.filter((c) => c.method === "POST" && c.path === "/rendernet/pub/v1/generations")).toHaveLength(1);
  } finally {
    server.kill("SIGKILL");
    await database.close();
  }
});
