import "server-only";
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
