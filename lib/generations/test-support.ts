/**
 * Test support for the generation pipeline: an in-process sandbox with a fast schedule mounted where the app mounts
 * it, private data and media folders, a worker, and helpers to read the sandbox's call log. Import it FIRST in a
 * test file: it sets the environment before lib/env.ts is read.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

process.env.SANDBOX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-gen-sandbox-"));
process.env.MEDIA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-gen-media-"));
process.env.SANDBOX_TEST_HOOKS = "true";
process.env.ATELIER_SANDBOX = "on";
delete process.env.PUBLIC_URL;

const { createSandboxHandler } = await import("@/sandbox/handler");
const { sandboxApiKey } = await import("@/lib/connections/sandbox");
const { sandboxFetch, sandboxOrigin } = await import("@/lib/connections/sandbox");

// The app's sandbox singleton, made fast (lib/connections/sandbox.ts keeps an existing handler).
(globalThis as unknown as { atelierSandbox?: unknown }).atelierSandbox = createSandboxHandler({
  dataDir: process.env.SANDBOX_DATA_DIR,
  basePath: "/sandbox",
  testHooks: true,
  schedule: { pendingAfterMs: 100, finalAfterMs: 400, videoFinalAfterMs: 800, assetReadyAfterMs: 20 },
});

async function hook(workspaceId: string, method: string, hookPath: string, body?: unknown): Promise<unknown> {
  const response = await sandboxFetch(`${sandboxOrigin()}/sandbox/__sandbox/${hookPath}`, {
    method,
    headers: { "X-API-KEY": sandboxApiKey(workspaceId), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox hook ${hookPath}: HTTP ${response.status}`);
  return ((await response.json()) as { data: unknown }).data;
}

export type SandboxCall = { method: string; path: string; time?: number; fault?: string; generation_ids?: string[]; task_id?: string };

export const sandboxHooks = {
  calls: (workspaceId: string, callPath?: string) =>
    hook(workspaceId, "GET", `calls${callPath ? `?path=${encodeURIComponent(callPath)}` : ""}`) as Promise<SandboxCall[]>,
  faults: (workspaceId: string, rules: Record<string, unknown>[]) => hook(workspaceId, "POST", "faults", { rules }),
  credits: (workspaceId: string, balance: number) => hook(workspaceId, "POST", "credits", { balance }),
  /** The schedule of both of the workspace's sandbox accounts (RenderNet and Qolaba). */
  schedule: (workspaceId: string, schedule: { pendingAfterMs?: number; finalAfterMs?: number; videoFinalAfterMs?: number }) =>
    hook(workspaceId, "POST", "schedule", schedule),
};

/** Removes this file's sandbox and media folders (call in afterAll). */
export async function removeTestFolders(): Promise<void> {
  const { rm } = await import("node:fs/promises");
  for (const dir of [process.env.SANDBOX_DATA_DIR, process.env.MEDIA_DIR]) if (dir) await rm(dir, { recursive: true, force: true });
}

export const CREATE_PATH = "/rendernet/pub/v1/generations";

/** The create calls (POST /pub/v1/generations) the workspace's sandbox account received. */
export async function createCalls(workspaceId: string): Promise<SandboxCall[]> {
  return (await sandboxHooks.calls(workspaceId, CREATE_PATH)).filter((call) => call.method === "POST");
}
