import "server-only";
import { OutboundRefusedError } from "@/lib/net/errors";
import { hostMatches, type HostPattern } from "@/lib/net/host-patterns";

/**
 * Downloading a provider's result file. What it promises, on top of the checked fetch it is given (address policy,
 * https, no automatic redirects: lib/net/outbound-fetch.ts):
 * - The URL's host must be one of `allowedHosts` (the provider's own hosts, ATELIER_DOWNLOAD_HOSTS) or its origin
 *   one of `allowedOrigins` (the in-app sandbox, served in process), checked before anything is sent.
 * - A redirect is followed only up to `maxRedirects` hops, each one checked again like the first URL (host list
 *   here, addresses and scheme in the fetch); anything else is refused (`redirect`).
 * - The size cap is enforced from Content-Length when there is one and counted while streaming in any case; past
 *   it the request is aborted (the connection is closed, not drained) and `too_large` is thrown.
 * - A timeout covers the whole download (all hops and the body); the caller's abort signal is honoured, also by a
 *   fetch that does not watch its signal itself (the in-process sandbox): each step races it.
 * Refusals are OutboundRefusedError; an HTTP error answer is DownloadHttpError (its status only).
 */

export interface DownloadOptions {
  /** The checked fetch (or one that hands the sandbox's URLs to it in process and the rest to the checked one). */
  fetch: typeof fetch;
  allowedHosts: readonly HostPattern[];
  /** Exact origins (scheme://host:port) allowed besides the host patterns. */
  allowedOrigins?: readonly string[];
  maxBytes: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default 3. 0 refuses any redirect. */
  maxRedirects?: number;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType: string | null;
  /** The URL the bytes finally came from. */
  url: string;
}

export class DownloadHttpError extends Error {
  constructor(readonly status: number) {
    super(`download failed: HTTP ${status}`);
    this.name = "DownloadHttpError";
  }
}

function checkTarget(url: URL, options: DownloadOptions): void {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OutboundRefusedError("bad_scheme", url.hostname);
  if (options.allowedOrigins?.includes(url.origin)) return;
  if (!hostMatches(url.hostname, options.allowedHosts)) throw new OutboundRefusedError("host_not_allowed", url.hostname);
}

/** The promise, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
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

async function readCapped(response: Response, maxBytes: number, abort: () => void, host: string, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await untilAborted(reader.read(), signal);
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort();
      await reader.cancel().catch(() => undefined);
      throw new OutboundRefusedError("too_large", host);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function downloadChecked(rawUrl: string, options: DownloadOptions): Promise<Downloaded> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new OutboundRefusedError("bad_scheme", "");
  }
  const maxRedirects = options.maxRedirects ?? 3;
  const controller = new AbortController();
  const signals = [controller.signal, AbortSignal.timeout(options.timeoutMs ?? 120_000)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const abort = () => controller.abort(new OutboundRefusedError("too_large", url.hostname));

  for (let hop = 0; ; hop++) {
    checkTarget(url, options);
    const response = await untilAborted(options.fetch(url.toString(), { redirect: "manual", signal }), signal);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get("location");
      if (!location || hop >= maxRedirects) throw new OutboundRefusedError("redirect", url.hostname);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new OutboundRefusedError("redirect", url.hostname);
      }
      url = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadHttpError(response.status);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      abort();
      throw new OutboundRefusedError("too_large", url.hostname);
    }
    const bytes = await readCapped(response, options.maxBytes, abort, url.hostname, signal);
    return { bytes, contentType: response.headers.get("content-type"), url: url.toString() };
  }
}
