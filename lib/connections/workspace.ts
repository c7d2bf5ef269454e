import "server-only";
import { listProviderConnectionRows, type ProviderConnectionRow } from "@/lib/data/connections";
import { env } from "@/lib/env";
import { openProviderKey, SecretUnavailableError } from "@/lib/crypto/secrets";
import { sandboxApiKey, sandboxBaseUrl, sandboxFetch, sandboxOrigin } from "@/lib/connections/sandbox";
import { parseHostPatterns, type HostPattern } from "@/lib/net/host-patterns";
import { outboundFetch } from "@/lib/net/outbound";
import type { LogContext } from "@/lib/providers/http/request";
import { createQolabaClient, validateQolabaBaseUrl, type QolabaClient, type QolabaClientOptions } from "@/lib/providers/qolaba/client";
import { createRenderNetClient, type RenderNetClient, type RenderNetClientOptions } from "@/lib/providers/rendernet/client";
import { UserError } from "@/lib/result";
import { qolabaBaseUrlProblem } from "@/lib/validation/connections";

/**
 * The provider accounts a workspace talks to, from its ProviderConnection rows (Settings → Providers): per provider,
 * a key (opened from its AES-GCM seal only here, only to build the client) or the sandbox. No row = the sandbox when
 * it is enabled, else "not connected". The sandbox account's key (lib/connections/sandbox.ts) is derived from the
 * workspace id and AUTH_SECRET: stable across restarts and instances, unguessable without the secret. `connectionId` names the RenderNet account
 * (ProviderAsset rows and reuse of provider media are per connection; a new key version uploads afresh). A provider
 * that cannot be used (not connected, a key this server cannot open, a stored base URL the current rule refuses)
 * throws a UserError on first use, so nothing is sent.
 *
 * Every request leaves through the checked outbound client (lib/net/outbound.ts), or is handed in process to the
 * sandbox. Result files are downloaded only from the provider's own hosts (`downloads`): RenderNet's API host and
 * RENDERNET_DOWNLOAD_HOSTS below, Qolaba's base URL host, plus ATELIER_DOWNLOAD_HOSTS for both, plus the in-app
 * sandbox's origin when it is on.
 *
 * A job passes its `signal` and log `context` (lib/generations/worker.ts): every call of the clients and every
 * download made through this connection is then aborted with the job (lease lost, worker stopping) and its debug
 * lines carry the job's ids.
 */
export interface WorkspaceConnection {
  connectionId: string;
  /** The RenderNet side runs against the sandbox. */
  sandbox: boolean;
  modes: { rendernet: ProviderMode; qolaba: ProviderMode };
  /** Why a provider can't be used right now (a sentence for people), or null: checked before anything is sent. */
  unavailable: { rendernet: string | null; qolaba: string | null };
  rendernet: RenderNetClient;
  qolaba: QolabaClient;
  /** The fetch to use for the provider's file URLs (outputs, hosted assets). */
  fetch: typeof fetch;
  /** Where each provider's result files may be downloaded from, and with which fetch (lib/net/download.ts). */
  downloads: { rendernet: DownloadSource; qolaba: DownloadSource };
}

export interface DownloadSource {
  fetch: typeof fetch;
  hosts: HostPattern[];
  /** Origins served in process (the sandbox), allowed whatever the host patterns say. */
  origins: string[];
  /** The connection's abort signal (a job's), for the download. */
  signal?: AbortSignal;
}

/** What a job binds a connection to: its abort signal and the ids its provider calls are logged with. */
export interface ConnectionScope {
  signal?: AbortSignal;
  context?: LogContext;
}

/**
 * Where RenderNet serves results, as far as its contract shows: its own domain and the S3 bucket its media URLs
 * point at (the spec's example: https://redernet-image-data.s3.amazonaws.com/prod/user_generated/..., spelled so
 * by RenderNet). Not all of amazonaws.com: any S3 customer could serve files there. More hosts:
 * ATELIER_DOWNLOAD_HOSTS.
 */
export const RENDERNET_DOWNLOAD_HOSTS: readonly string[] = ["*.rendernet.ai", "rendernet.ai", "redernet-image-data.s3.amazonaws.com"];

/**
 * What tests and benchmarks may change in every new connection: wrap the fetch (fault injection, crash simulation)
 * or shorten the clients' timeouts. Set only through lib/connections/testing.ts; production code never sets it.
 */
export type ConnectionOverrides = {
  fetch?: typeof fetch;
  rendernet?: Partial<Omit<RenderNetClientOptions, "apiKey" | "baseUrl" | "fetch">>;
  qolaba?: Partial<Omit<QolabaClientOptions, "token" | "baseUrl" | "fetch">>;
};

// The seam: one global that lib/connections/testing.ts writes and every new connection reads (globalThis, so each
// copy of this module, in a test's graph or the dev server's, sees the same value). Unset in production.
const overridesSlot = globalThis as unknown as { atelierConnectionOverrides?: ConnectionOverrides };

export const NO_PROVIDER_MESSAGE = "No provider is connected to this workspace yet";

export type ProviderMode = "sandbox" | "key" | "none";

type ConnectionRow = ProviderConnectionRow;

function modeOf(row: ConnectionRow | undefined): ProviderMode {
  if (row?.mode === "KEY") return "key";
  return env().sandboxEnabled ? "sandbox" : "none";
}

/** A client that refuses every call with `error` (a provider that is not usable), typed as the real one. */
function refusing<T extends object>(error: () => Error): T {
  return new Proxy({} as T, {
    get: (_target, property) => (property === "then" ? undefined : () => Promise.reject(error())),
  });
}

export async function getWorkspaceConnection(workspaceId: string, scope: ConnectionScope = {}): Promise<WorkspaceConnection> {
  return connectionFromRows(workspaceId, await listProviderConnectionRows(workspaceId), scope);
}

function connectionFromRows(workspaceId: string, rows: ConnectionRow[], scope: ConnectionScope): WorkspaceConnection {
  const testOverrides = overridesSlot.atelierConnectionOverrides ?? {};
  const bound = { ...(scope.signal ? { signal: scope.signal } : {}), ...(scope.context ? { context: scope.context } : {}) };
  const overrides = { ...testOverrides, rendernet: { ...testOverrides.rendernet, ...bound }, qolaba: { ...testOverrides.qolaba, ...bound } };
  const sandboxOn = env().sandboxEnabled;
  const fetchImpl = overrides.fetch ?? (sandboxOn ? sandboxFetch : outboundFetch());
  const rendernetRow = rows.find((row) => row.provider === "RENDERNET");
  const qolabaRow = rows.find((row) => row.provider === "QOLABA");
  const modes = { rendernet: modeOf(rendernetRow), qolaba: modeOf(qolabaRow) };
  const notConnected = (name: string) => new UserError(`${NO_PROVIDER_MESSAGE}: an admin can connect ${name} in Settings → Providers.`, "conflict");

  const unavailable: WorkspaceConnection["unavailable"] = { rendernet: null, qolaba: null };
  const refuse = <T extends object>(provider: "rendernet" | "qolaba", error: Error): T => {
    unavailable[provider] = error.message;
    return refusing<T>(() => error);
  };

  let rendernet: RenderNetClient;
  let connectionId: string;
  if (modes.rendernet === "key" && rendernetRow) {
    connectionId = `rendernet:${rendernetRow.id}:v${rendernetRow.version}`;
    try {
      const apiKey = openProviderKey(rendernetRow, "RenderNet");
      rendernet = createRenderNetClient({ ...overrides.rendernet, apiKey, baseUrl: env().RENDERNET_BASE_URL, fetch: fetchImpl });
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      rendernet = refuse<RenderNetClient>("rendernet", error);
    }
  } else if (modes.rendernet === "sandbox") {
    // v2: the account's key carries the workspace id (lib/connections/sandbox.ts); the v1 key's copies are not reused.
    connectionId = `sandbox:v2:${workspaceId}`;
    rendernet = createRenderNetClient({ ...overrides.rendernet, apiKey: sandboxApiKey(workspaceId), baseUrl: sandboxBaseUrl("rendernet"), fetch: fetchImpl });
  } else {
    connectionId = `none:${workspaceId}`;
    rendernet = refuse<RenderNetClient>("rendernet", notConnected("RenderNet"));
  }

  // Qolaba's client is built on first use, but whether it can be built is known now.
  let buildQolaba: () => QolabaClient;
  let qolabaHost: string | null = null;
  if (modes.qolaba === "key" && qolabaRow) {
    // A base URL a workspace admin typed follows the settings rule (https, a public host: checked again at every
    // connection); the server's own QOLABA_BASE_URL may be http (a development stand-in, reachable only if allowed).
    const typed = qolabaRow.baseUrl;
    const baseUrl = typed ?? env().QOLABA_BASE_URL;
    let token: string | null = null;
    try {
      token = openProviderKey(qolabaRow, "Qolaba");
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      const refused = refuse<QolabaClient>("qolaba", error);
      buildQolaba = () => refused;
    }
    const problem = typed ? qolabaBaseUrlProblem(typed) : null;
    if (token !== null && !baseUrl) {
      const refused = refuse<QolabaClient>("qolaba", new UserError("Qolaba's base URL is not set: an admin can add it in Settings → Providers.", "conflict"));
      buildQolaba = () => refused;
    } else if (token !== null && problem) {
      const refused = refuse<QolabaClient>("qolaba", new UserError("Qolaba's base URL is not accepted any more: an admin can change it in Settings → Providers.", "conflict"));
      buildQolaba = () => refused;
    } else if (token !== null && baseUrl) {
      const secret = token;
      const checked = validateQolabaBaseUrl(baseUrl, { allowHttp: !typed });
      qolabaHost = new URL(checked).hostname;
      buildQolaba = () => createQolabaClient({ ...overrides.qolaba, token: secret, baseUrl: checked, allowHttp: !typed, fetch: fetchImpl });
    }
  } else if (modes.qolaba === "sandbox") {
    buildQolaba = () =>
      createQolabaClient({ ...overrides.qolaba, token: sandboxApiKey(workspaceId), baseUrl: sandboxBaseUrl("qolaba"), allowHttp: true, fetch: fetchImpl });
  } else {
    const refused = refuse<QolabaClient>("qolaba", notConnected("Qolaba"));
    buildQolaba = () => refused;
  }
  let qolaba: QolabaClient | undefined;

  const extraHosts = parseHostPatterns(env().ATELIER_DOWNLOAD_HOSTS);
  const origins = sandboxOn ? [sandboxOrigin()] : [];
  const rendernetHosts =
    modes.rendernet === "key" ? [...parseHostPatterns(RENDERNET_DOWNLOAD_HOSTS.join(",")), { exact: new URL(env().RENDERNET_BASE_URL).hostname }] : [];
  const signalOnly = scope.signal ? { signal: scope.signal } : {};
  const downloads: WorkspaceConnection["downloads"] = {
    // ATELIER_DOWNLOAD_HOSTS is the admin's own list: it holds in sandbox mode too (a provider stand-in elsewhere).
    rendernet: { fetch: fetchImpl, hosts: [...rendernetHosts, ...extraHosts], origins, ...signalOnly },
    qolaba: { fetch: fetchImpl, hosts: [...(qolabaHost ? [{ exact: qolabaHost }] : []), ...extraHosts], origins, ...signalOnly },
  };

  return {
    connectionId,
    sandbox: modes.rendernet === "sandbox",
    modes,
    unavailable,
    rendernet,
    get qolaba() {
      qolaba ??= buildQolaba();
      return qolaba;
    },
    fetch: fetchImpl,
    downloads,
  };
}
