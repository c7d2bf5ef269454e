import "server-only";
import { handleWhenResult, retry } from "cockatiel";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/metrics/registry.mjs";
import { OUTBOUND_REFUSED_CODE, findOutboundRefusal, networkFailureKind } from "@/lib/net/errors";
import { outboundFetch } from "@/lib/net/outbound";
import type { CircuitBreaker } from "@/lib/providers/http/circuit-breaker";
import { ProviderError, causeForStatus, isProviderError, type ProviderName } from "@/lib/providers/http/errors";

/**
 * The one way the provider clients talk HTTP. Retry policy, as promised to the callers (the attempts run under
 * cockatiel's `retry` policy; `sendRequest` says which parts are its and which stay ours):
 *
 * - Every attempt has a timeout (callers pass 15 s for JSON calls, 60 s for uploads/downloads); it covers the
 *   response body too.
 * - `idempotent: true` (GET, a status read, a PUT to a presigned URL) is retried on network errors, timeouts, 429 and
 *   5xx: at most 4 attempts, capped exponential backoff with full jitter (base 300 ms, cap 8 s), within a total
 *   budget (default 30 s). A `Retry-After` (seconds or HTTP date) replaces the backoff; when it exceeds 30 s or the
 *   remaining budget we give up at once and hand back the 429/503, whose error then carries `retryAfterMs`.
 * - `idempotent: false` (a create) is sent exactly once. If it fails once its body may have reached the provider
 *   (a network error after connecting, a timeout, a caller abort), it throws `unknown_outcome` with `sentAt`, so
 *   the caller reconciles instead of resending. Only failures that certainly happened before anything was sent
 *   (DNS failure, connection refused/unreachable, an open breaker) are reported as `unavailable`.
 * - Non-2xx answers are returned, not thrown: the provider client owns the mapping of its bodies to errors. That
 *   includes 3xx: the default fetch is the checked outbound client (lib/net), which never follows a redirect, and
 *   the clients treat any status outside 2xx as an error.
 * - A request the outbound check refuses (a private address, plain http to a public host ...) throws `blocked` at
 *   once: nothing was sent, and neither a retry nor the circuit breaker would change the answer.
 * - An answer body larger than `maxResponseBytes` (default 8 MB; JSON answers are far smaller) is not read to the
 *   end: the attempt fails like a lost connection.
 * - The caller's `signal` (a job's: aborted when its lease is lost or the worker stops) ends the attempt in flight
 *   and any wait between attempts at once. A read throws the abort's reason; a create aborted in flight throws
 *   `unknown_outcome` (it may have been received). A signal already aborted sends nothing and throws its reason.
 * - Observable: at LOG_LEVEL=debug, one line per attempt ("provider call"): the caller's `context` (ids such as
 *   generationId), provider, operation (method and path template: never a query, a presigned URL or an id-bearing
 *   path), attempt, status or failure kind, duration, and the retry cause and wait when another attempt follows.
 *   Never headers, keys or bodies.
 * - Counted: every call (all its attempts together) adds one to `atelier_provider_calls_total` (lib/metrics) with its
 *   provider, outcome (`ok` a 2xx answer, `http_error` another answer, `failed` no answer) and cause (`none`; for an
 *   answer, the cause its status (and the start of its body) implies, `causeForStatus`; for a failure, the ProviderError's cause, `aborted` when the caller's signal ended it, else `other`).
 */

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** Total time allowed for all attempts and waits of one call. */
  budgetMs: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 300,
  maxDelayMs: 8_000,
  maxAttempts: 4,
  budgetMs: 30_000,
  maxRetryAfterMs: 30_000,
};

export const defaultTimeouts = { jsonMs: 15_000, transferMs: 60_000 };

export const defaultMaxResponseBytes = 8 * 1024 * 1024;

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface HttpRequest {
  provider: ProviderName;
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  idempotent: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  breaker?: CircuitBreaker;
  retry?: Partial<RetryPolicy>;
  /** Which answers are worth retrying (and, except 429, count against the breaker). Default: 429 and 5xx. */
  isRetryable?: (response: HttpResponse) => boolean;
  /** For messages and logs, e.g. "GET /pub/v1/generations/{generation_id}". Never include secrets. */
  operation: string;
  maxResponseBytes?: number;
  /** Correlation fields for the debug log (e.g. `{ generationId }`): ids of ours only, never secrets. */
  context?: LogContext;
}

export type LogContext = Readonly<Record<string, string | number | undefined>>;

/** What every provider client method takes besides its input: the caller's abort signal and log correlation. */
export interface RequestOptions {
  signal?: AbortSignal;
  context?: LogContext;
}

/** One signal that aborts when any of these does (undefined when none is given). */
export function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/**
 * A provider's status word as it was written, made safe for a log line: at most 40 characters of letters, digits
 * and a little punctuation (anything else becomes "?"), so a provider cannot put a body or a key in our logs.
 */
export function rawStatusLabel(value: unknown): string | undefined {
  if (typeof value !== "string") return value === undefined || value === null ? undefined : `<${typeof value}>`;
  return value.slice(0, 40).replace(/[^\w .:-]/g, "?");
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
  /** Unix ms when the final attempt was sent. */
  sentAt: number;
  attempts: number;
  retryAfterMs?: number;
}

export const defaultHttpDeps: HttpDeps = {
  fetch: (input, init) => outboundFetch()(input, init),
  sleep: abortableSleep,
  random: Math.random,
  now: Date.now,
};

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Full-jitter backoff for the attempt that just failed (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from now (seconds or HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const notSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  // The outbound check refuses before connecting (here: a host name that did not resolve).
  OUTBOUND_REFUSED_CODE,
]);

function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 4 || typeof error !== "object" || error === null) return [];
  const codes: string[] = [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === "string") codes.push(record.code);
  codes.push(...errorCodes(record.cause, depth + 1));
  if (Array.isArray(record.errors)) for (const inner of record.errors) codes.push(...errorCodes(inner, depth + 1));
  return codes;
}

/** True when the failure certainly happened before any byte of the request left (DNS, refused connection). */
export function failedBeforeSending(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => notSentCodes.has(code));
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

class ResponseTooLargeError extends Error {
  constructor() {
    super("the answer is larger than Atelier reads");
    this.name = "ResponseTooLargeError";
  }
}

/** The body as text, refusing (and cancelling) past `maxBytes`, counted while streaming. */
async function readText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const defaultIsRetryable = (response: HttpResponse) => response.status === 429 || response.status >= 500;

/** What one attempt ends with when it does not throw: the answer to hand back, or another attempt after a wait. */
type AttemptOutcome = { answer: HttpResponse } | { retryInMs: number };

type AttemptFailure = { kind: "timeout" | "network" | "not_sent" | "aborted"; error: unknown };

/** One debug line per attempt (see the header): what was asked, what came back, and what happens next. */
function logAttempt(
  request: HttpRequest,
  fields: { attempt: number; startedAt: number; now: number; status?: number; failure?: string; retry?: string; retryInMs?: number },
): void {
  logger.debug("provider call", {
    ...request.context,
    provider: request.provider,
    operation: request.operation,
    attempt: fields.attempt,
    ...(fields.status !== undefined ? { status: fields.status } : {}),
    ...(fields.failure !== undefined ? { failure: fields.failure } : {}),
    durationMs: Math.max(0, fields.now - fields.startedAt),
    ...(fields.retry !== undefined ? { retry: fields.retry, retryInMs: fields.retryInMs } : {}),
  });
}

export async function sendRequest(request: HttpRequest, deps: HttpDeps = defaultHttpDeps): Promise<HttpResponse> {
  const { providerCalls } = metrics();
  try {
    const answer = await sendAttempts(request, deps);
    const ok = answer.status >= 200 && answer.status < 300;
    providerCalls.inc({ provider: request.provider, outcome: ok ? "ok" : "http_error", cause: ok ? "none" : causeForStatus(answer.status, answer.text.slice(0, 500)) });
    return answer;
  } catch (error) {
    providerCalls.inc({ provider: request.provider, outcome: "failed", cause: isProviderError(error) ? error.cause : request.signal?.aborted ? "aborted" : "other" });
    throw error;
  }
}

async function sendAttempts(request: HttpRequest, deps: HttpDeps): Promise<HttpResponse> {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...request.retry };
  const isRetryable = request.isRetryable ?? defaultIsRetryable;
  const startedAt = deps.now();
  const deadline = startedAt + policy.budgetMs;
  const maxAttempts = request.idempotent ? Math.max(1, policy.maxAttempts) : 1;
  const { provider, operation } = request;

  // One attempt, numbered from 1. It returns the answer to hand back, or asks for another attempt after a wait; it
  // throws what the caller gets when no other attempt follows (see the header).
  const attemptOnce = async (attempt: number): Promise<AttemptOutcome> => {
    // Already aborted (a job that lost its lease between two calls): nothing is sent, not even a create.
    if (request.signal?.aborted) throw request.signal.reason;
    const sentAt = deps.now();
    try {
      request.breaker?.beforeRequest();
    } catch (error) {
      logAttempt(request, { attempt, startedAt: sentAt, now: deps.now(), failure: "breaker_open" });
      throw error;
    }
    const timeoutSignal = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeoutSignal, request.signal]) : timeoutSignal;

    let response: HttpResponse | undefined;
    let failure: AttemptFailure | undefined;
    try {
      const init: RequestInit = { method: request.method, signal };
      if (request.headers) init.headers = request.headers;
      if (request.body !== undefined) init.body = request.body as BodyInit;
      const res = await raceAbort(deps.fetch(request.url, init), signal);
      const text = await raceAbort(readText(res, request.maxResponseBytes ?? defaultMaxResponseBytes), signal);
      response = {
        status: res.status,
        headers: res.headers,
        text,
        json: parseJson(text),
        sentAt,
        attempts: attempt,
      };
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), deps.now());
      if (retryAfterMs !== undefined) response.retryAfterMs = retryAfterMs;
    } catch (error) {
      const refusal = findOutboundRefusal(error);
      if (refusal && refusal.kind !== "dns_failed") {
        request.breaker?.releaseTrial();
        logAttempt(request, { attempt, startedAt: sentAt, now: deps.now(), failure: `blocked:${refusal.kind}` });
        throw new ProviderError(provider, "blocked", `${operation}: refused by the outbound check (${refusal.kind}); request not sent`, {
          network: "refused",
          refusal: refusal.kind,
        });
      }
      if (request.signal?.aborted && !timeoutSignal.aborted) failure = { kind: "aborted", error };
      else if (timeoutSignal.aborted) failure = { kind: "timeout", error };
      else if (failedBeforeSending(error)) failure = { kind: "not_sent", error };
      else failure = { kind: "network", error };
    }

    if (failure) {
      if (failure.kind === "aborted") request.breaker?.releaseTrial();
      else request.breaker?.recordFailure();

      const network = failure.kind === "timeout" ? "timeout" : networkFailureKind(failure.error);
      const failed = { attempt, startedAt: sentAt, failure: failure.kind === "network" || failure.kind === "not_sent" ? `${failure.kind}:${network}` : failure.kind };
      if (!request.idempotent) {
        logAttempt(request, { ...failed, now: deps.now() });
        if (failure.kind === "not_sent") {
          throw new ProviderError(provider, "unavailable", `${operation}: could not connect (${network}); request not sent`, { network });
        }
        throw new ProviderError(
          provider,
          "unknown_outcome",
          `${operation}: ${failure.kind === "timeout" ? "timed out" : failure.kind === "aborted" ? "aborted" : "connection lost"} after sending; the provider may have accepted it`,
          { sentAt, network },
        );
      }
      if (failure.kind === "aborted") {
        logAttempt(request, { ...failed, now: deps.now() });
        throw failure.error;
      }
      const delay = backoffDelay(attempt, policy, deps.random);
      if (attempt < maxAttempts && deps.now() + delay <= deadline) {
        logAttempt(request, { ...failed, now: deps.now(), retry: failure.kind === "timeout" ? "timeout" : "network", retryInMs: delay });
        return { retryInMs: delay };
      }
      logAttempt(request, { ...failed, now: deps.now() });
      throw failure.kind === "timeout"
        ? new ProviderError(provider, "timeout", `${operation}: timed out after ${attempt} attempt(s)`, { network })
        : new ProviderError(provider, "unavailable", `${operation}: network error (${network}) after ${attempt} attempt(s)`, { network });
    }

    // An answer arrived.
    const answer = response as HttpResponse;
    const retryable = isRetryable(answer);
    if (retryable && answer.status !== 429) request.breaker?.recordFailure();
    else request.breaker?.recordSuccess();

    const answered = { attempt, startedAt: sentAt, status: answer.status };
    let delay: number | undefined;
    if (retryable && request.idempotent && attempt < maxAttempts) {
      if (answer.retryAfterMs !== undefined) delay = answer.retryAfterMs > policy.maxRetryAfterMs ? undefined : answer.retryAfterMs;
      else delay = backoffDelay(attempt, policy, deps.random);
      if (delay !== undefined && deps.now() + delay > deadline) delay = undefined;
    }
    if (delay === undefined) {
      logAttempt(request, { ...answered, now: deps.now() });
      return { answer };
    }
    logAttempt(request, { ...answered, now: deps.now(), retry: answer.status === 429 ? "rate_limited" : `http_${answer.status}`, retryInMs: delay });
    return { retryInMs: delay };
  };

  // The attempts run under cockatiel's retry policy: it retries exactly the outcomes that ask for it, never a thrown
  // error (those are final: a create's failure, an abort, a blocked address, an open breaker), and at most
  // maxAttempts - 1 times (1 attempt for a create). The wait is ours, not the policy's backoff: cockatiel 3.2 waits
  // with a timer that the caller's signal cannot interrupt, and a job that loses its lease must stop waiting at once
  // (deps.sleep takes the signal, and lets tests drive a fake clock). So the policy's backoff is zero and an attempt
  // that follows a retry starts with the wait its predecessor asked for.
  let wait: number | undefined;
  const outcome = await retry(handleWhenResult((result) => "retryInMs" in (result as AttemptOutcome)), {
    maxAttempts: maxAttempts - 1,
  }).execute(async ({ attempt }) => {
    if (wait !== undefined) await deps.sleep(wait, request.signal);
    const result = await attemptOnce(attempt + 1);
    wait = "retryInMs" in result ? result.retryInMs : undefined;
    return result;
  });
  // Not reached: the last allowed attempt never asks for another (attemptOnce counts them too).
  if (!("answer" in outcome)) throw new ProviderError(provider, "unavailable", `${operation}: gave up after ${maxAttempts} attempt(s)`);
  return outcome.answer;
}
