import { describe, expect, it } from "vitest";
import { OutboundRefusedError } from "@/lib/net/errors";
import { CircuitBreaker } from "@/lib/providers/http/circuit-breaker";
import { ProviderError } from "@/lib/providers/http/errors";
import {
  createFakeClock,
  createFakeFetch,
  hang,
  jsonResponse,
  networkError,
  textResponse,
} from "@/lib/providers/http/fake-fetch";
import {
  backoffDelay,
  defaultRetryPolicy,
  failedBeforeSending,
  parseRetryAfter,
  sendRequest,
  type HttpRequest,
} from "@/lib/providers/http/request";

function setup(handlers: Parameters<typeof createFakeFetch>[0], random = () => 0.5) {
  const fake = createFakeFetch(handlers);
  const clock = createFakeClock();
  const deps = { fetch: fake.fetch, sleep: clock.sleep, now: clock.now, random };
  return { fake, clock, deps };
}

const get: HttpRequest = {
  provider: "rendernet",
  method: "GET",
  url: "https://api.example/x",
  idempotent: true,
  timeoutMs: 1_000,
  operation: "GET /x",
};
const create: HttpRequest = { ...get, method: "POST", body: "[]", idempotent: false, operation: "POST /x" };

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error("expected a ProviderError");
}

describe("sendRequest: idempotent requests", () => {
  it("retries 5xx and network errors, then returns the answer", async () => {
    const { fake, clock, deps } = setup([
      () => jsonResponse(503, {}),
      () => Promise.reject(networkError("ECONNRESET")),
      () => jsonResponse(200, { data: 1 }),
    ]);
    const response = await sendRequest(get, deps);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: 1 });
    expect(response.attempts).toBe(3);
    expect(fake.calls).toHaveLength(3);
    // full jitter with random 0.5: half of 300, then half of 600
    expect(clock.sleeps).toEqual([150, 300]);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    const { clock, deps } = setup([
      () => jsonResponse(429, {}, { "retry-after": "2" }),
      () => jsonResponse(429, {}, { "retry-after": new Date(Date.UTC(2025, 0, 1) + 2_000 + 5_000).toUTCString() }),
      () => jsonResponse(200, {}),
    ]);
    const response = await sendRequest(get, deps);
    expect(response.status).toBe(200);
    expect(clock.sleeps).toEqual([2_000, 5_000]);
  });

  it("gives up at once when Retry-After exceeds the cap, handing back the 429 with retryAfterMs", async () => {
    const { fake, clock, deps } = setup([() => jsonResponse(429, {}, { "retry-after": "120" })]);
    const response = await sendRequest(get, deps);
    expect(response.status).toBe(429);
    expect(response.retryAfterMs).toBe(120_000);
    expect(fake.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("gives up when Retry-After is beyond the remaining budget", async () => {
    const { fake, deps } = setup([() => jsonResponse(429, {}, { "retry-after": "20" })]);
    const response = await sendRequest({ ...get, retry: { budgetMs: 10_000 } }, deps);
    expect(response.status).toBe(429);
    expect(fake.calls).toHaveLength(1);
  });

  it("makes at most 4 attempts with bounded backoff", async () => {
    const { fake, clock, deps } = setup(
      Array.from({ length: 6 }, () => () => jsonResponse(500, {})),
      () => 0.999,
    );
    const response = await sendRequest(get, deps);
    expect(response.status).toBe(500);
    expect(fake.calls).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(300 * 2 ** i));
  });

  it("caps the backoff at 8 s with full jitter", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      expect(backoffDelay(attempt, defaultRetryPolicy, () => 0.9999)).toBeLessThanOrEqual(8_000);
      expect(backoffDelay(attempt, defaultRetryPolicy, () => 0)).toBe(0);
    }
    expect(backoffDelay(10, defaultRetryPolicy, () => 0.9999)).toBeGreaterThan(7_990);
  });

  it("does not retry a 4xx", async () => {
    const { fake, deps } = setup([() => jsonResponse(404, {})]);
    expect((await sendRequest(get, deps)).status).toBe(404);
    expect(fake.calls).toHaveLength(1);
  });

  it("times out each attempt and reports timeout when every attempt timed out", async () => {
    const { fake, deps } = setup([hang, hang]);
    const error = await caught(sendRequest({ ...get, timeoutMs: 20, retry: { maxAttempts: 2 } }, deps));
    expect(error.cause).toBe("timeout");
    expect(fake.calls).toHaveLength(2);
  });

  it("times out a body that never ends", async () => {
    const stalled = () =>
      new Response(new ReadableStream({ start() {} }), { status: 200, headers: { "content-type": "application/json" } });
    const { deps } = setup([stalled]);
    const error = await caught(sendRequest({ ...get, timeoutMs: 20, retry: { maxAttempts: 1 } }, deps));
    expect(error.cause).toBe("timeout");
  });

  it("reports unavailable after repeated network errors", async () => {
    const { deps } = setup(Array.from({ length: 4 }, () => () => Promise.reject(networkError("ECONNRESET"))));
    expect((await caught(sendRequest(get, deps))).cause).toBe("unavailable");
  });
});

describe("sendRequest: creates (not idempotent)", () => {
  it("is never retried on 5xx or 429", async () => {
    for (const status of [500, 503, 429]) {
      const { fake, clock, deps } = setup([() => jsonResponse(status, {}, { "retry-after": "1" })]);
      expect((await sendRequest(create, deps)).status).toBe(status);
      expect(fake.calls).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it("throws unknown_outcome with the time it was sent when the connection drops", async () => {
    const { fake, clock, deps } = setup([() => Promise.reject(networkError("ECONNRESET"))]);
    const error = await caught(sendRequest(create, deps));
    expect(error.cause).toBe("unknown_outcome");
    expect(error.sentAt).toBe(clock.time);
    expect(fake.calls).toHaveLength(1);
  });

  it("throws unknown_outcome when it times out", async () => {
    const { fake, deps } = setup([hang]);
    const error = await caught(sendRequest({ ...create, timeoutMs: 20 }, deps));
    expect(error.cause).toBe("unknown_outcome");
    expect(error.sentAt).toBeTypeOf("number");
    expect(fake.calls).toHaveLength(1);
  });

  it("throws unknown_outcome when an error without a code happens", async () => {
    const { deps } = setup([() => Promise.reject(new TypeError("fetch failed"))]);
    expect((await caught(sendRequest(create, deps))).cause).toBe("unknown_outcome");
  });

  it("reports unavailable only when the request certainly was not sent", async () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND"]) {
      const { fake, deps } = setup([() => Promise.reject(networkError(code))]);
      const error = await caught(sendRequest(create, deps));
      expect(error.cause).toBe("unavailable");
      expect(fake.calls).toHaveLength(1);
    }
  });

  it("treats a caller abort after sending as unknown_outcome", async () => {
    const { deps } = setup([hang]);
    const controller = new AbortController();
    const promise = sendRequest({ ...create, signal: controller.signal }, deps);
    controller.abort();
    expect((await caught(promise)).cause).toBe("unknown_outcome");
  });
});

describe("helpers", () => {
  it("parses Retry-After", () => {
    const now = Date.UTC(2025, 0, 1);
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000);
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("knows which failures happened before sending", () => {
    expect(failedBeforeSending(networkError("ECONNREFUSED"))).toBe(true);
    expect(failedBeforeSending(networkError("ENOTFOUND"))).toBe(true);
    expect(failedBeforeSending(networkError("ECONNRESET"))).toBe(false);
    expect(failedBeforeSending(new TypeError("fetch failed"))).toBe(false);
  });

  it("keeps a non-JSON body as text", async () => {
    const { deps } = setup([() => textResponse(502, "<html>bad gateway</html>")]);
    const response = await sendRequest({ ...create }, deps);
    expect(response.json).toBeUndefined();
    expect(response.text).toContain("bad gateway");
  });
});

describe("sendRequest: the outbound check and what it reports", () => {
  it("throws blocked at once when the checked client refuses the address: not retried, not counted by the breaker", async () => {
    const refused = () => Promise.reject(new TypeError("fetch failed", { cause: new OutboundRefusedError("private_address", "internal.test") }));
    const { fake, deps } = setup([refused, refused, refused, refused]);
    const breaker = new CircuitBreaker("rendernet", { failureThreshold: 1 });
    const error = await caught(sendRequest({ ...get, breaker }, deps));
    expect(error).toMatchObject({ cause: "blocked", network: "refused", refusal: "private_address" });
    expect(fake.calls).toHaveLength(1);
    expect(breaker.state).toBe("closed");
    const onCreate = await caught(sendRequest(create, setup([refused]).deps));
    expect(onCreate.cause).toBe("blocked"); // certainly not sent: never unknown_outcome
  });

  it("a name that does not resolve is 'not sent' (retried like any outage), told as DNS", async () => {
    const dns = () =>
      Promise.reject(new TypeError("fetch failed", { cause: new OutboundRefusedError("dns_failed", "gone.test", { cause: Object.assign(new Error("x"), { code: "ENOTFOUND" }) }) }));
    const error = await caught(sendRequest(create, setup([dns]).deps));
    expect(error).toMatchObject({ cause: "unavailable", network: "dns" });
    const read = await caught(sendRequest(get, setup([dns, dns, dns, dns]).deps));
    expect(read).toMatchObject({ cause: "unavailable", network: "dns" });
  });

  it("tells connect failures, TLS failures and timeouts apart", async () => {
    expect((await caught(sendRequest(create, setup([() => Promise.reject(networkError("ECONNREFUSED"))]).deps))).network).toBe("connect");
    const tls = () => Promise.reject(networkError("ERR_TLS_CERT_ALTNAME_INVALID"));
    expect((await caught(sendRequest(get, setup([tls, tls, tls, tls]).deps))).network).toBe("tls");
    expect((await caught(sendRequest({ ...create, timeoutMs: 10 }, setup([hang]).deps))).network).toBe("timeout");
  });

  it("does not read an answer past its size cap", async () => {
    const big = () => textResponse(200, "x".repeat(5_000));
    const error = await caught(sendRequest({ ...create, maxResponseBytes: 1_000 }, setup([big]).deps));
    expect(error.cause).toBe("unknown_outcome");
    const response = await sendRequest({ ...get, maxResponseBytes: 10_000 }, setup([big]).deps);
    expect(response.text).toHaveLength(5_000);
  });
});
