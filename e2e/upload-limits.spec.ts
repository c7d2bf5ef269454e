import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext } from "@playwright/test";
import { expect, PASSWORD, signUp, test, uniqueEmail } from "./support";

/*
 * Upload bodies are bounded by what the server reads, not by what the client declares: chunked uploads (no
 * Content-Length) far over the cap are read up to the cap and refused, a refused caller's body is not read at all,
 * and the server's memory does not grow with what is sent. Measured on the real production server: its RSS is
 * read from /proc (scripts/e2e-server.mjs writes its pid to .data/e2e/next.pid). This file is the "memory" project
 * (playwright.config.ts): it runs after every other journey, one test at a time, so nothing else moves the RSS.
 * Alone: `npx playwright test e2e/upload-limits.spec.ts --no-deps`.
 */

test.describe.configure({ mode: "serial" });

const port = Number(process.env.E2E_PORT ?? 3100);
const MB = 1024 * 1024;

function serverRssMb(): number {
  const pid = readFileSync(path.join(process.cwd(), ".data", "e2e", "next.pid"), "utf8").trim();
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

type Outcome = { status: number | null; body: string; sentAtAnswer: number; sent: number; ms: number };

/**
 * POSTs a multipart upload sent chunked, generated on the fly (one 256 KB buffer of zeros, reused): the first bytes
 * of an MP4 whose media box claims `total` bytes, then zeros, so only the cap can stop it. Stops sending when the
 * answer arrives or the server closes the connection; resolves with the answer and how much was sent by then.
 */
function chunkedUpload(slug: string, cookie: string, total: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const boundary = `----atelier-${Math.random().toString(16).slice(2)}`;
    const started = Date.now();
    const request = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: `/api/w/${slug}/assets`,
      headers: { cookie, origin: `http://127.0.0.1:${port}`, "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" },
    });
    const mdat = Buffer.alloc(16);
    mdat.writeUInt32BE(1, 0);
    mdat.write("mdat", 4, "latin1");
    mdat.writeBigUInt64BE(BigInt(total), 8);
    const head = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
      Buffer.from([0, 0, 0, 24]),
      Buffer.from("ftypisom"),
      Buffer.from([0, 0, 2, 0]),
      Buffer.from("isomiso2"),
      mdat,
    ]);
    const zeros = Buffer.alloc(256 * 1024);
    const outcome: Outcome = { status: null, body: "", sentAtAnswer: 0, sent: 0, ms: 0 };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      outcome.ms = Date.now() - started;
      request.destroy();
      resolve(outcome);
    };
    request.on("response", (response) => {
      outcome.status = response.statusCode ?? null;
      outcome.sentAtAnswer = outcome.sent;
      response.on("data", (chunk: Buffer) => (outcome.body += chunk.toString()));
      response.on("end", settle);
      response.on("error", settle);
    });
    // The server closes the connection after answering early: the client's writes then fail; the answer is kept.
    request.on("error", () => setTimeout(settle, 500));
    request.on("close", () => setTimeout(settle, 500));
    const pump = () => {
      while (!settled && outcome.status === null && outcome.sent < total) {
        const chunk = outcome.sent === 0 ? head : zeros;
        outcome.sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (outcome.sent >= total) request.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

test("a viewer's 200 MB chunked upload is refused at once, and the server reads almost none of it", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, { name: "Olga Owner", email: uniqueEmail("olga") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Vault ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/vault-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await viewer.getByRole("link", { name: "Create an account to join" }).click();
  await expect(viewer.getByRole("heading", { name: /^Join / })).toBeVisible();
  // A viewer lands on the team's gallery (support's signUp waits for /generate, where those who may generate land).
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByLabel("Email").fill(uniqueEmail("vera"));
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: /Create account/ }).click();
  await viewer.waitForURL(`**/w/${team}/gallery?joined=1`);

  const outcome = await chunkedUpload(team, await cookieHeader(viewerContext), 200 * MB);
  expect(outcome.status).toBe(403);
  expect(JSON.parse(outcome.body)).toEqual({ error: expect.stringContaining("(viewer) doesn't allow this") });
  // What the client got onto the wire before the answer and before the connection was closed: the kernel's socket
  // buffers, a few MB at most, of 200 MB. The server itself read none of it (lib/media/receive-upload.test.ts).
  expect(outcome.sent).toBeLessThan(16 * MB);
  expect(outcome.ms).toBeLessThan(5_000);
  await viewerContext.close();
  await owner.close();
});

test("20 concurrent 300 MB chunked uploads are refused at the cap while the server's memory stays flat", async ({ page }) => {
  test.setTimeout(180_000); // about 20 s on a quiet 2-core machine: the server reads 20 × 200 MB
  const slug = await signUp(page, { name: "Max Upload", email: uniqueEmail("max") });
  const cookie = await cookieHeader(page.context());

  // Warm up the route and the parser, so the baseline includes their code.
  const warm = await chunkedUpload(slug, cookie, 30 * MB);
  expect(warm.status).toBe(422); // zeros where the movie should be: read whole (under the cap), unreadable
  const baseline = serverRssMb();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, serverRssMb())), 50);
  const started = Date.now();
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => chunkedUpload(slug, cookie, 300 * MB)));
  clearInterval(sampler);
  peak = Math.max(peak, serverRssMb());
  const seconds = (Date.now() - started) / 1000;
  console.log(`20 × 300 MB chunked: RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${(peak - baseline).toFixed(0)}), ${seconds.toFixed(1)} s`);

  for (const outcome of outcomes) {
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toEqual({ error: "Videos can be at most 200 MB." });
    // The answer came once the cap was passed, long before the client had sent its 300 MB.
    expect(outcome.sentAtAnswer).toBeGreaterThan(200 * MB);
    expect(outcome.sentAtAnswer).toBeLessThan(250 * MB);
  }
  expect(peak - baseline).toBeLessThan(100);
});
