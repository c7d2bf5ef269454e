import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { sandboxBaseUrl, sandboxFetch } from "@/lib/connections/sandbox";
import { createQolabaClient, type QolabaClient, type QolabaClientOptions } from "@/lib/providers/qolaba/client";
import { createRenderNetClient, type RenderNetClient, type RenderNetClientOptions } from "@/lib/providers/rendernet/client";
import { UserError } from "@/lib/result";

/**
 * The provider accounts a workspace talks to. Until the workspace settings for provider keys exist, every workspace
 * uses the mounted sandbox with its own account there: the key is HMAC-SHA256(AUTH_SECRET, workspace id), stable
 * across restarts and instances and unguessable without the secret. With the sandbox off and no keys, generating
 * is refused with a UserError. `connectionId` names the account (ProviderAsset rows and lineage are per connection,
 * so a new key uploads inputs afresh).
 */
export interface WorkspaceConnection {
  connectionId: string;
  sandbox: boolean;
  rendernet: RenderNetClient;
  qolaba: QolabaClient;
  /** The fetch to use for the provider's file URLs (outputs, hosted assets). */
  fetch: typeof fetch;
}

export function sandboxApiKey(workspaceId: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`atelier-sandbox-account:${workspaceId}`).digest("hex");
}

type TestOverrides = {
  fetch?: typeof fetch;
  rendernet?: Partial<Omit<RenderNetClientOptions, "apiKey" | "baseUrl" | "fetch">>;
  qolaba?: Partial<Omit<QolabaClientOptions, "token" | "baseUrl" | "fetch">>;
};
const globalForConnections = globalThis as unknown as { atelierConnectionOverrides?: TestOverrides };

/** Tests only: wrap the fetch (fault injection, crash simulation) or shorten timeouts of every new connection. */
export function setConnectionOverridesForTests(overrides: TestOverrides | undefined): void {
  globalForConnections.atelierConnectionOverrides = overrides;
}

export const NO_PROVIDER_MESSAGE = "No provider is connected to this workspace yet";

export function getWorkspaceConnection(workspaceId: string): WorkspaceConnection {
  if (!env().sandboxEnabled) throw new UserError(NO_PROVIDER_MESSAGE, "conflict");
  const overrides = globalForConnections.atelierConnectionOverrides ?? {};
  const fetchImpl = overrides.fetch ?? sandboxFetch;
  const key = sandboxApiKey(workspaceId);
  let qolaba: QolabaClient | undefined;
  return {
    connectionId: `sandbox:${workspaceId}`,
    sandbox: true,
    rendernet: createRenderNetClient({ ...overrides.rendernet, apiKey: key, baseUrl: sandboxBaseUrl("rendernet"), fetch: fetchImpl }),
    // Built on first use: Qolaba's client insists on https (or loopback), which a plain-http PUBLIC_URL is not.
    get qolaba() {
      qolaba ??= createQolabaClient({ ...overrides.qolaba, token: key, baseUrl: sandboxBaseUrl("qolaba"), fetch: fetchImpl });
      return qolaba;
    },
    fetch: fetchImpl,
  };
}
