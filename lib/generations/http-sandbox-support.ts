/**
 * Test support: the generation pipeline against the sandbox over real HTTP on loopback, so faults are what a client
 * really meets (a reset socket, a body cut off mid-way, a server that answers after the client gave up). The
 * standalone sandbox listens on 127.0.0.1:PORT under /sandbox, exactly where the app's in-process one would be, and
 * every connection's fetch is the checked outbound client (allowed to reach 127.0.0.1 only, as in development).
 * Import it FIRST in a test file: it sets the environment before lib/env.ts is read.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const port = await new Promise<number>((resolve, reject) => {
  const server = net.createServer();
  server.once("error", reject);
  server.listen(0, "127.0.0.1", () => {
    const { port: free } = server.address() as net.AddressInfo;
    server.close(() => resolve(free));
  });
});

process.env.PORT = String(port);
process.env.SANDBOX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-http-sandbox-"));
process.env.MEDIA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-http-media-"));
process.env.SANDBOX_TEST_HOOKS = "true";
process.env.ATELIER_SANDBOX = "on";
process.env.ATELIER_OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32";
delete process.env.PUBLIC_URL;

const { startSandboxServer } = await import("@/sandbox/server");
const { sandboxApiKey, sandboxOrigin } = await import("@/lib/connections/sandbox");
const { setConnectionOverridesForTests } = await import("@/lib/connections/testing");
const { outboundFetch } = await import("@/lib/net/outbound");

const server = await startSandboxServer({
  port,
  host: "127.0.0.1",
  dataDir: process.env.SANDBOX_DATA_DIR,
  basePath: "/sandbox",
  testHooks: true,
  schedule: { pendingAfterMs: 100, finalAfterMs: 400, videoFinalAfterMs: 800, assetReadyAfterMs: 20 },
});

type Overrides = Parameters<typeof setConnectionOverridesForTests>[0];

/** Every connection talks to the sandbox over HTTP through the checked client (plus a test's own overrides). */
export function overHttp(extra: Omit<NonNullable<Overrides>, "fetch"> = {}): void {
  setConnectionOverridesForTests({ ...extra, fetch: outboundFetch() });
}

async function hook(workspaceId: string, method: string, hookPath: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandboxOrigin()}/sandbox/__sandbox/${hookPath}`, {
    method,
    headers: { "X-API-KEY": sandboxApiKey(workspaceId), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox hook ${hookPath}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: unknown }).data;
}

export type SandboxCall = { method: string; path: string; time: number; fault?: string; generation_ids?: string[]; task_id?: string };

export const httpSandbox = {
  url: server.url,
  calls: (workspaceId: string, callPath: string) => hook(workspaceId, "GET", `calls?path=${encodeURIComponent(callPath)}`) as Promise<SandboxCall[]>,
  faults: (workspaceId: string, rules: Record<string, unknown>[]) => hook(workspaceId, "POST", "faults", { rules }),
  pendingFaults: async (workspaceId: string) => ((await hook(workspaceId, "GET", "faults")) as { rules: unknown[] }).rules,
  credits: (workspaceId: string, balance: number) => hook(workspaceId, "POST", "credits", { balance }),
  async close(): Promise<void> {
    await server.close();
    for (const dir of [process.env.SANDBOX_DATA_DIR, process.env.MEDIA_DIR]) if (dir) await rm(dir, { recursive: true, force: true });
  },
};

/** Paths as the sandbox's fault rules and call log name them (below its base path). */
export const RENDERNET_CREATE = "/rendernet/pub/v1/generations";
export const QOLABA_CREATE = "/qolaba/getImagetoImage";

/** The creates (POSTs) the workspace's sandbox account saw on this path, oldest first. */
export async function createsSeen(workspaceId: string, createPath: string): Promise<SandboxCall[]> {
  return (await httpSandbox.calls(workspaceId, createPath)).filter((call) => call.method === "POST");
}
