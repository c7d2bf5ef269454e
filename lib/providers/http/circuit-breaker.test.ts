import { beforeEach, describe, expect, it } from "vitest";
import { CircuitBreaker, breakerKey, getCircuitBreaker } from "@/lib/providers/http/circuit-breaker";
import { resetCircuitBreakers } from "@/lib/providers/http/testing";
import { ProviderError } from "@/lib/providers/http/errors";
import { createFakeClock, createFakeFetch, jsonResponse, networkError } from "@/lib/providers/http/fake-fetch";
import { sendRequest, type HttpRequest } from "@/lib/providers/http/request";

beforeEach(() => resetCircuitBreakers());

function setup(handler: Parameters<typeof createFakeFetch>[0]) {
  const fake = createFakeFetch(handler);
  const clock = createFakeClock();
  const breaker = new CircuitBreaker("rendernet", { now: clock.now });
  const deps = { fetch: fake.fetch, sleep: clock.sleep, now: clock.now, random: () => 0 };
  const request: HttpRequest = {
    provider: "rendernet",
    method: "GET",
    url: "https://api.example/x",
    idempotent: true,
    timeoutMs: 1_000,
    operation: "GET /x",
    breaker,
    retry: { maxAttempts: 1 },
  };
  return { fake, clock, breaker, deps, request };
}

describe("circuit breaker", () => {
  it("opens after 5 consecutive 5xx and then fails fast without sending", async () => {
    const { fake, breaker, deps, request } = setup(() => jsonResponse(500, {}));
    for (let i = 0; i < 5; i++) expect((await sendRequest(request, deps)).status).toBe(500);
    expect(breaker.state).toBe("open");
    const error = await sendRequest(request, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).cause).toBe("unavailable");
    expect(fake.calls).toHaveLength(5);
  });

  it("counts network errors and timeouts too", async () => {
    const { breaker, deps, request } = setup(() => Promise.reject(networkError("ECONNRESET")));
    for (let i = 0; i < 5; i++) await sendRequest(request, deps).catch(() => undefined);
    expect(breaker.state).toBe("open");
  });

  it("does not open on 429 or other 4xx", async () => {
    const { breaker, deps, request } = setup(() => jsonResponse(429, {}));
    for (let i = 0; i < 10; i++) await sendRequest(request, deps);
    expect(breaker.state).toBe("closed");
    const second = setup(() => jsonResponse(400, {}));
    for (let i = 0; i < 10; i++) await sendRequest(second.request, second.deps);
    expect(second.breaker.state).toBe("closed");
  });

  it("resets the count on an answer that is not a failure", async () => {
    let n = 0;
    const { breaker, deps, request } = setup(() => jsonResponse(++n % 4 === 0 ? 200 : 503, {}));
    for (let i = 0; i < 12; i++) await sendRequest(request, deps);
    expect(breaker.state).toBe("closed");
  });

  it("half-opens after the cooldown, lets one trial through, and closes on success", async () => {
    let status = 500;
    const { fake, clock, breaker, deps, request } = setup(() => jsonResponse(status, {}));
    for (let i = 0; i < 5; i++) await sendRequest(request, deps);
    clock.time += 29_999;
    expect(breaker.state).toBe("open");
    clock.time += 1;
    expect(breaker.state).toBe("half_open");
    breaker.beforeRequest(); // the trial slot is taken
    expect(() => breaker.beforeRequest()).toThrow(ProviderError);
    breaker.releaseTrial();
    status = 200;
    expect((await sendRequest(request, deps)).status).toBe(200);
    expect(breaker.state).toBe("closed");
    expect(fake.calls).toHaveLength(6);
  });

  it("re-opens for another cooldown when the trial fails", async () => {
    const { clock, breaker, deps, request } = setup(() => jsonResponse(502, {}));
    for (let i = 0; i < 5; i++) await sendRequest(request, deps);
    clock.time += 30_000;
    await sendRequest(request, deps);
    expect(breaker.state).toBe("open");
    clock.time += 30_000;
    expect(breaker.state).toBe("half_open");
  });

  it("keeps one breaker per provider, base URL and key, keyed by a hash of the key", () => {
    const a = getCircuitBreaker("rendernet", "https://api.rendernet.ai/", "key-one-123456");
    expect(getCircuitBreaker("rendernet", "https://api.rendernet.ai", "key-one-123456")).toBe(a);
    expect(getCircuitBreaker("rendernet", "https://api.rendernet.ai", "key-two-123456")).not.toBe(a);
    expect(getCircuitBreaker("qolaba", "https://api.rendernet.ai", "key-one-123456")).not.toBe(a);
    expect(breakerKey("rendernet", "https://api.rendernet.ai", "key-one-123456")).not.toContain("key-one");
  });
});
