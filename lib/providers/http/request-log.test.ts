import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFakeClock, createFakeFetch, hang, jsonResponse, networkError } from "@/lib/providers/http/fake-fetch";
import { rawStatusLabel, sendRequest, type HttpRequest } from "@/lib/providers/http/request";

/**
 * The debug line of every provider HTTP attempt (lib/providers/http/request.ts). lib/env.ts reads LOG_LEVEL on first
 * use, after this file's top level has run (each test file has its own modules).
 */
process.env.LOG_LEVEL = "debug";

const secret = "rn_sk_live_0a9b8c7d6e5f4a3b2c1d0e9f";
const presigned = "https://uploads.example/bucket/ast_1?X-Amz-Signature=deadbeefcafe0123";

let lines: Record<string, unknown>[];
let raw: string[];
beforeEach(() => {
  lines = [];
  raw = [];
  const capture = (text: unknown) => {
    raw.push(String(text));
    lines.push(JSON.parse(String(text)) as Record<string, unknown>);
  };
  vi.spyOn(console, "log").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const base: HttpRequest = {
  provider: "rendernet",
  method: "GET",
  url: `https://api.example/pub/v1/generations/gen_1?token=${secret}`,
  headers: { "X-API-KEY": secret },
  idempotent: true,
  timeoutMs: 1_000,
  operation: "GET /pub/v1/generations/{generation_id}",
  context: { generationId: "cm_run_1" },
};

function setup(handlers: Parameters<typeof createFakeFetch>[0]) {
  const fake = createFakeFetch(handlers);
  const clock = createFakeClock();
  return { fake, deps: { fetch: fake.fetch, sleep: clock.sleep, now: clock.now, random: () => 0.5 } };
}

describe("provider call log (LOG_LEVEL=debug)", () => {
  it("one line per attempt: context, provider, operation, attempt, status, duration, and why it is retried", async () => {
    const { deps } = setup([() => jsonResponse(429, { secret }, { "retry-after": "2" }), () => jsonResponse(503, {}), () => jsonResponse(200, { data: secret })]);
    await sendRequest(base, deps);
    expect(lines).toEqual([
      expect.objectContaining({ level: "debug", msg: "provider call", generationId: "cm_run_1", provider: "rendernet", operation: base.operation, attempt: 1, status: 429, durationMs: expect.any(Number), retry: "rate_limited", retryInMs: 2000 }),
      expect.objectContaining({ attempt: 2, status: 503, retry: "http_503", retryInMs: 300 }),
      expect.objectContaining({ attempt: 3, status: 200 }),
    ]);
    expect(lines[2]).not.toHaveProperty("retry");
    for (const text of raw) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain("api.example");
    }
  });

  it("names the failure kind of an attempt without an answer, for reads and creates", async () => {
    const read = setup([() => Promise.reject(networkError("ECONNRESET")), () => jsonResponse(200, {})]);
    await sendRequest(base, read.deps);
    expect(lines[0]).toMatchObject({ attempt: 1, failure: "network:lost", retry: "network" });
    expect(lines[0]).not.toHaveProperty("status");

    lines = [];
    const create = setup([() => Promise.reject(networkError("ECONNREFUSED"))]);
    await sendRequest({ ...base, method: "POST", body: JSON.stringify({ secret }), idempotent: false, operation: "POST /pub/v1/generations" }, create.deps).catch(() => null);
    expect(lines).toEqual([expect.objectContaining({ operation: "POST /pub/v1/generations", attempt: 1, failure: "not_sent:connect" })]);

    lines = [];
    const controller = new AbortController();
    const aborted = setup([hang]);
    const pending = sendRequest({ ...base, signal: controller.signal }, aborted.deps);
    controller.abort(new Error("lease lost"));
    await expect(pending).rejects.toThrow("lease lost");
    expect(lines).toEqual([expect.objectContaining({ attempt: 1, failure: "aborted", generationId: "cm_run_1" })]);
  });

  it("never logs a presigned URL, headers or bodies", async () => {
    const { deps } = setup([() => jsonResponse(200, {})]);
    await sendRequest({ ...base, method: "PUT", url: presigned, body: new TextEncoder().encode(secret), operation: "PUT presigned upload URL" }, deps);
    expect(raw.join("\n")).not.toMatch(/X-Amz-Signature|deadbeef|uploads\.example|rn_sk_live/);
    expect(lines[0]).toMatchObject({ operation: "PUT presigned upload URL", status: 200 });
  });

  it("keeps a provider's raw status word short and plain", () => {
    expect(rawStatusLabel("initiated")).toBe("initiated");
    expect(rawStatusLabel(`{"key":"${secret}"}`)).toHaveLength(40);
    expect(rawStatusLabel('<b>"x"</b>')).toBe("?b??x???b?");
    expect(rawStatusLabel(3)).toBe("<number>");
    expect(rawStatusLabel(undefined)).toBeUndefined();
  });
});
