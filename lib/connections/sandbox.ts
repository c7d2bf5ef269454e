import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { createSandboxHandler } from "@/sandbox/handler";
import { FAST_SCHEDULE } from "@/sandbox/types";
import { env } from "@/lib/env";
import { outboundFetch } from "@/lib/net/outbound";

/**
 * The built-in sandbox provider, mounted inside the app at /sandbox (app/sandbox/[...path]/route.ts) so a fresh
 * install needs one process. Server-side calls to it skip the network: `sandboxFetch` hands requests addressed to
 * the sandbox straight to its fetch handler (a thrown "lost response" fault surfaces as a network error, exactly as
 * over HTTP). URLs the sandbox hands out are absolute, on PUBLIC_URL or the local server, so a browser can open them.
 * Every other URL goes to the checked outbound client (lib/net): `sandboxFetch` is never a way around it.
 */
export const SANDBOX_BASE_PATH = "/sandbox";

type Handler = ReturnType<typeof createSandboxHandler>;
const globalForSandbox = globalThis as unknown as { atelierSandbox?: Handler };

export function sandboxHandler(): Handler {
  globalForSandbox.atelierSandbox ??= createSandboxHandler({
    dataDir: env().SANDBOX_DATA_DIR ?? path.join(process.cwd(), ".data", "sandbox"),
    basePath: SANDBOX_BASE_PATH,
    testHooks: env().SANDBOX_TEST_HOOKS,
    // Mounted in a reachable server: never let the simulated Qolaba fetch arbitrary URLs from here (no SSRF).
    fetchExternalImages: false,
    ...(env().SANDBOX_SCHEDULE === "fast" ? { schedule: FAST_SCHEDULE } : {}),
  });
  return globalForSandbox.atelierSandbox;
}

export function sandboxOrigin(): string {
  return (env().PUBLIC_URL ?? `http://127.0.0.1:${env().PORT}`).replace(/\/$/, "");
}

export function sandboxBaseUrl(api: "rendernet" | "qolaba"): string {
  return `${sandboxOrigin()}${SANDBOX_BASE_PATH}/${api}`;
}

export const sandboxFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (!request.url.startsWith(`${sandboxOrigin()}${SANDBOX_BASE_PATH}/`)) return outboundFetch()(input, init);
  try {
    return await sandboxHandler()(request);
  } catch (error) {
    throw new TypeError("fetch failed", { cause: error });
  }
};

/**
 * A workspace's sandbox account key: `sbx_<workspace id>_<HMAC-SHA256(AUTH_SECRET, workspace id)>`. Stable across
 * restarts and instances, unguessable without the secret, and checkable without a database: the sandbox route only
 * answers keys this server issued when it runs in production (app/sandbox/[...path]/route.ts).
 */
export function sandboxApiKey(workspaceId: string): string {
  return `sbx_${workspaceId}_${sandboxKeyMac(workspaceId).toString("base64url")}`;
}

function sandboxKeyMac(workspaceId: string): Buffer {
  return createHmac("sha256", env().AUTH_SECRET).update(`atelier-sandbox-account:${workspaceId}`).digest();
}

export function isIssuedSandboxKey(key: string): boolean {
  const match = /^sbx_([a-z0-9]{1,40})_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!match) return false;
  const given = Buffer.from(match[2]!, "base64url");
  const expected = sandboxKeyMac(match[1]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
