/**
 * The provider sandbox: a fetch handler serving a faithful simulator of RenderNet (<base>/rendernet) and Qolaba
 * (<base>/qolaba), written from the contract in shared/upstream only. State lives in JSON per key under dataDir and
 * every status is derived from timestamps, so the process can be killed at any moment.
 */
import type { Caller, PublicFaults, RouteContext } from "./context";
import { errorEnvelope, HttpError, json, publicBase, sleep } from "./http";
import { mergeSchedule } from "./lifecycle";
import { MediaFiles } from "./media-files";
import { QOLABA_ROUTES, qolabaAuthFailure, qolabaFailure } from "./qolaba-routes";
import { handleUpload, matchRoute, RENDERNET_ROUTES } from "./rendernet-routes";
import { AccountStore, hashKey, randomId } from "./store";
import { faultMatches, handleTestHook, takePublicFault } from "./test-hooks";
import type { FaultRule, Provider, SandboxOptions } from "./types";

export type { SandboxOptions, Schedule } from "./types";

export type SandboxHandler = (request: Request) => Promise<Response>;

function rendernetKey(request: Request): string | undefined {
  return request.headers.get("x-api-key")?.trim() || undefined;
}

function qolabaKey(request: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1]?.trim() || undefined;
}

function errorFor(provider: Provider, error: HttpError, estimate: boolean): Response {
  if (provider === "qolaba") return qolabaFailure(error.status, error.status === 429 ? "Too Many Requests" : "HTTP Exception", error.message, error.headers);
  if (estimate) return json({ data: null, error: { message: error.message, code: error.code } }, error.status, error.headers);
  return errorEnvelope(error.status, error.message, error.code, error.headers);
}

export function createSandboxHandler(options: SandboxOptions): SandboxHandler {
  const now = options.now ?? Date.now;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const store = new AccountStore(options.dataDir, options.startingCredits ?? 500, now);
  const files = new MediaFiles(options.dataDir);
  const schedule = mergeSchedule(options.schedule);
  const publicFaults: PublicFaults = new Map();

  const handle: SandboxHandler = async (request) => {
    const url = new URL(request.url);
    if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      return errorEnvelope(404, `not found: ${url.pathname}`, "not_found");
    }
    const path = url.pathname.slice(basePath.length) || "/";
    const ctx: RouteContext = { request, url, base: publicBase(request, basePath), store, files, dataDir: options.dataDir, schedule, now, self: handle, fetchExternalImages: options.fetchExternalImages ?? true, publicFaults };
    const method = request.method.toUpperCase();

    try {
      if (path.startsWith("/__sandbox/")) {
        if (!options.testHooks) return errorEnvelope(404, `not found: ${path}`, "not_found");
        return await handleTestHook(ctx, path.slice("/__sandbox/".length));
      }
      const fileMatch = /^\/(rendernet|qolaba)\/files\/([^/]+)$/.exec(path);
      const uploadMatch = /^\/rendernet\/uploads\/([^/]+)$/.exec(path);
      if (options.testHooks && (fileMatch || uploadMatch)) {
        const fault = takePublicFault(publicFaults, method, path);
        if (fault) {
          const early = await answerBeforePerforming(fault, "rendernet", false, request);
          if (early) return early;
        }
      }
      if (fileMatch) {
        if (method !== "GET" && method !== "HEAD") return errorEnvelope(405, `method ${method} not allowed`, "method_not_allowed", { allow: "GET, HEAD" });
        return await files.serve(fileMatch[1] as Provider, fileMatch[2]!, method);
      }
      if (uploadMatch) return await handleUpload(ctx, uploadMatch[1]!);
    } catch (error) {
      if (error instanceof HttpError) return errorEnvelope(error.status, error.message, error.code, error.headers);
      throw error;
    }

    const providerMatch = /^\/(rendernet|qolaba)(\/.*)?$/.exec(path);
    if (!providerMatch) return errorEnvelope(404, `not found: ${path}`, "not_found");
    const provider = providerMatch[1] as Provider;
    const subPath = providerMatch[2] ?? "/";
    const route = matchRoute(provider === "rendernet" ? RENDERNET_ROUTES : QOLABA_ROUTES, method, subPath);
    if ("status" in route) {
      return route.status === 404
        ? errorEnvelope(404, `not found: ${method} ${path}`, "not_found")
        : errorEnvelope(405, `method ${method} not allowed on ${path} (allowed: ${route.allow})`, "method_not_allowed", { allow: route.allow });
    }
    const estimate = provider === "rendernet" && subPath === "/pub/v1/generations/estimate";

    const key = provider === "rendernet" ? rendernetKey(request) : qolabaKey(request);
    if (!key) {
      if (provider === "qolaba") return qolabaAuthFailure();
      const message = "missing or empty X-API-KEY header";
      return estimate ? json({ data: null, error: { message, code: "unauthorized" } }, 401) : errorEnvelope(401, message, "unauthorized");
    }
    const caller: Caller = { keyHash: hashKey(provider, key), callId: randomId("call_", 8) };

    // Log the call and take the first matching fault, in one state update.
    const fault = await store.update(provider, caller.keyHash, (state): FaultRule | undefined => {
      const index = state.faults.findIndex((rule) => faultMatches(rule, method, path));
      const rule = index >= 0 ? state.faults[index] : undefined;
      if (rule) {
        rule.times -= 1;
        if (rule.times <= 0) state.faults.splice(index, 1);
      }
      state.calls.push({ id: caller.callId, method, path, time: now(), ...(rule ? { fault: rule.fault } : {}) });
      return rule ? { ...rule } : undefined;
    });

    // A fault answers before the request is carried out, unless it models an answer lost after it was.
    const performedFirst = fault !== undefined && (fault.performed === true || fault.fault === "lost_response" || fault.fault === "cut_off");
    if (fault && !performedFirst) {
      const early = await answerBeforePerforming(fault, provider, estimate, request);
      if (early) return early;
    }

    let response: Response;
    try {
      response = await route.handler(ctx, caller, route.params);
    } catch (error) {
      if (error instanceof HttpError) response = errorFor(provider, error, estimate);
      else throw error;
    }
    return fault && performedFirst ? answerAfterPerforming(fault, response, provider, estimate, request) : response;
  };

  /** The fault's answer in place of carrying the request out; undefined to go on (latency). */
  async function answerBeforePerforming(fault: FaultRule, provider: Provider, estimate: boolean, request: Request): Promise<Response | undefined> {
    switch (fault.fault) {
      case "rate_limit": {
        const retryAfter = String(fault.retryAfter ?? 1);
        return errorFor(provider, new HttpError(429, "rate limit exceeded, retry later", "rate_limited", { "retry-after": retryAfter }), estimate);
      }
      case "server_error":
        return serverError(fault, provider, estimate);
      case "malformed":
        return malformed();
      case "hang":
        return hang(request);
      case "latency":
        await sleep(fault.latencyMs ?? 1500, request.signal);
        // A caller that gave up while we waited gets nothing done on its behalf.
        if (request.signal.aborted) throw new Error("sandbox fault: latency (request aborted by the client)");
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * The request was carried out (a create made and charged its generations, a Qolaba task was queued); what the
   * caller gets is the fault: an error status, a body it cannot read, no answer at all, or half an answer.
   */
  async function answerAfterPerforming(fault: FaultRule, response: Response, provider: Provider, estimate: boolean, request: Request): Promise<Response> {
    if (fault.fault === "cut_off") return cutOff(response);
    await response.arrayBuffer().catch(() => undefined);
    switch (fault.fault) {
      case "server_error":
        return serverError(fault, provider, estimate);
      case "malformed":
        return malformed();
      case "hang":
        return hang(request);
      default:
        // lost_response: server.ts destroys the socket (ECONNRESET); in process, the fetch rejects.
        throw new Error("sandbox fault: lost_response (the request was performed, the response is lost)");
    }
  }

  return handle;
}

function serverError(fault: FaultRule, provider: Provider, estimate: boolean): Response {
  const status = fault.status ?? 500;
  return errorFor(provider, new HttpError(status, `upstream error (HTTP ${status})`, "server_error"), estimate);
}

function malformed(): Response {
  return new Response("<html><body><h1>502 Bad Gateway</h1>", { status: 200, headers: { "content-type": "application/json" } });
}

/** Never answers; once the caller gives up (its signal aborts) it throws, which server.ts turns into a reset. */
async function hang(request: Request): Promise<never> {
  await new Promise<void>((resolve) => {
    if (request.signal.aborted) return resolve();
    request.signal.addEventListener("abort", () => resolve());
  });
  throw new Error("sandbox fault: hang (request aborted by the client)");
}

/** The real status and headers and the first half of the body, then the stream fails (over HTTP: the socket drops). */
async function cutOff(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const half = bytes.subarray(0, Math.max(1, Math.floor(bytes.byteLength / 2)));
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(half);
      } else {
        controller.error(new Error("sandbox fault: cut_off (the answer was cut off mid-body)"));
      }
    },
  });
  return new Response(body, { status: response.status, headers });
}
