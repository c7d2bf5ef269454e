import "server-only";

/** Test support: a scripted `fetch`, a fake clock and sleep. No network. */

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  json: unknown;
}

export type FakeHandler = (request: RecordedRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers });
}

/** A network error as undici reports it: TypeError("fetch failed") with a coded cause. */
export function networkError(code: string): TypeError {
  const cause = Object.assign(new Error(code), { code });
  return new TypeError("fetch failed", { cause });
}

/** A handler that never answers, but honours the abort signal (like fetch). */
export const hang: FakeHandler = (_request, signal) =>
  new Promise<Response>((_resolve, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

export function createFakeFetch(handlers: FakeHandler[] | ((request: RecordedRequest) => Response | Promise<Response>)) {
  const calls: RecordedRequest[] = [];
  const queue = Array.isArray(handlers) ? [...handlers] : null;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const rawBody = init?.body;
    const body = typeof rawBody === "string" || rawBody instanceof Uint8Array ? rawBody : undefined;
    let json: unknown;
    if (typeof body === "string") {
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
    }
    const request: RecordedRequest = { url: String(input), method: init?.method ?? "GET", headers, body, json };
    calls.push(request);
    if (queue) {
      const next = queue.shift();
      if (!next) throw new Error(`unexpected request ${request.method} ${request.url}`);
      return next(request, init?.signal ?? undefined);
    }
    return (handlers as (request: RecordedRequest) => Response | Promise<Response>)(request);
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

/** A fake clock whose sleep advances time instantly and records the waits. */
export function createFakeClock(start = Date.UTC(2025, 0, 1)) {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}
