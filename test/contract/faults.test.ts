import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQolabaClient } from "@/lib/providers/qolaba/client";
import { createRenderNetClient } from "@/lib/providers/rendernet/client";
import { resetCircuitBreakers } from "@/lib/providers/http/testing";
import type { ProviderError } from "@/lib/providers/http/errors";
import { makePng } from "@/sandbox/test-support";
import { startTestSandbox } from "./processes";

/**
 * The client against the sandbox's injected faults, over real HTTP: each fault ends in a success or a clear
 * failure, and a create whose answer is lost is found again without a second charge.
 */

// The client uses its default fetch here: the checked outbound client (lib/net), over real HTTP. The sandbox listens
// on loopback, which that client reaches only when told to, as in development (read before lib/env.ts caches).
process.env.ATELIER_OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32";

let sandbox: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  sandbox = await startTestSandbox("faults");
}, 30_000);

afterAll(async () => {
  await sandbox?.close();
});

function account() {
  const apiKey = `faults-${randomUUID()}`;
  const headers = { "X-API-KEY": apiKey, "Content-Type": "application/json" };
  const hook = async (method: string, hookPath: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/__sandbox/${hookPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(response.ok).toBe(true);
    return response.json() as Promise<{ data: { method: string; path: string; generation_ids?: string[] }[] }>;
  };
  const client = createRenderNetClient({
    apiKey,
    baseUrl: `${sandbox.url}/rendernet`,
    timeouts: { jsonMs: 1500, budgetMs: 10_000 },
    random: () => 0.5,
  });
  const qolaba = createQolabaClient({ token: apiKey, baseUrl: `${sandbox.url}/qolaba`, allowHttp: true, timeouts: { jsonMs: 1500, budgetMs: 10_000 } });
  return { apiKey, client, qolaba, hook };
}

/** Answers that may hide a create that was carried out: the sandbox performs the create, then answers like this. */
const afterTheWork = [
  { answer: "500", rule: { fault: "server_error", status: 500, performed: true } },
  { answer: "502", rule: { fault: "server_error", status: 502, performed: true } },
  { answer: "503", rule: { fault: "server_error", status: 503, performed: true } },
  { answer: "504", rule: { fault: "server_error", status: 504, performed: true } },
  { answer: "a reset connection", rule: { fault: "lost_response" } },
  { answer: "a timeout after the body was sent", rule: { fault: "hang", performed: true } },
  { answer: "a malformed 2xx", rule: { fault: "malformed", performed: true } },
  { answer: "a 2xx cut off mid-body", rule: { fault: "cut_off" } },
];

const item = { model: "JuggernautXL", prompt: { positive: "a kite over dunes", negative: "" }, aspect_ratio: "1:1" as const, batch_size: 1 };

describe("faults", () => {
  it("retries a read after 429 with Retry-After and succeeds", async () => {
    resetCircuitBreakers();
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "GET", path: "/rendernet/pub/v1/models", fault: "rate_limit", retryAfter: 1, times: 2 }] });
    const started = Date.now();
    expect((await client.listModels()).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const calls = await hook("GET", "calls?path=/rendernet/pub/v1/models");
    expect(calls.data).toHaveLength(3);
  });

  it("retries a read through 5xx answers", async () => {
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "GET", path: "/rendernet/pub/v1/voices", fault: "server_error", status: 503, times: 2 }] });
    expect((await client.listVoices()).length).toBeGreaterThan(0);
  });

  it("times out a hung read and says so", async () => {
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "GET", path: "/rendernet/pub/v1/loras", fault: "hang", times: 10 }] });
    const error = (await client.listLoras().catch((e: unknown) => e)) as ProviderError;
    expect(error.cause).toBe("timeout");
    expect(error.userMessage).not.toContain("faults-");
  }, 20_000);

  it("treats a malformed body as the provider's failure, not a crash", async () => {
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "GET", path: "/rendernet/pub/v1/styles", fault: "malformed", times: 10 }] });
    const error = (await client.listStyles().catch((e: unknown) => e)) as ProviderError;
    expect(error.name).toBe("ProviderError");
    expect(["unavailable", "invalid_input"]).toContain(error.cause);
  });

  it("never sends a create twice: a lost answer is reconciled from the feed and charged once", async () => {
    const { client, hook } = account();
    await hook("POST", "credits", { balance: 100 });
    const estimate = await client.estimate([item]);
    await hook("POST", "faults", { rules: [{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "lost_response" }] });
    const error = (await client.createGenerations([item]).catch((e: unknown) => e)) as ProviderError;
    expect(error.cause).toBe("unknown_outcome");
    expect(error.sentAt).toBeGreaterThan(0);

    const found = await client.findLostGenerations({ sentAt: error.sentAt!, items: [item] });
    expect(found).toHaveLength(1);
    const creates = (await hook("GET", "calls?path=/rendernet/pub/v1/generations")).data.filter((c) => c.method === "POST");
    expect(creates).toHaveLength(1);
    expect(creates[0]!.generation_ids).toEqual([found[0]!.generation.generationId]);
    expect((await client.estimate([item])).balance).toBe(100 - estimate.estimated);
  });

  it("fails fast once the provider keeps failing (the circuit opens)", async () => {
    resetCircuitBreakers();
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "GET", path: "/rendernet/pub/v1/models", fault: "server_error", status: 500, times: 100 }] });
    for (let i = 0; i < 3; i++) await client.listModels().catch(() => null);
    const calls = (await hook("GET", "calls?path=/rendernet/pub/v1/models")).data.length;
    const error = (await client.listModels().catch((e: unknown) => e)) as ProviderError;
    expect(error.cause).toBe("unavailable");
    expect((await hook("GET", "calls?path=/rendernet/pub/v1/models")).data.length).toBe(calls);
  }, 30_000);

  it.each(afterTheWork)("a RenderNet create answered with $answer is unknown_outcome, sent once, and found in the feed", async ({ rule }) => {
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "POST", path: "/rendernet/pub/v1/generations", ...rule }] });
    const error = (await client.createGenerations([item]).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ name: "ProviderError", cause: "unknown_outcome", sentAt: expect.any(Number) });
    const creates = (await hook("GET", "calls?path=/rendernet/pub/v1/generations")).data.filter((c) => c.method === "POST");
    expect(creates).toHaveLength(1);
    const found = await client.findLostGenerations({ sentAt: error.sentAt!, items: [item] });
    expect(found.map((match) => match.generation.generationId)).toEqual(creates[0]!.generation_ids);
  }, 20_000);

  it.each(afterTheWork)("a Qolaba create answered with $answer is unknown_outcome, sent once", async ({ rule }) => {
    const { qolaba, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "POST", path: "/qolaba/getTextToImage", ...rule }] });
    const error = (await qolaba.textToImage({ appId: "any-app", prompt: "a fox" }).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ name: "ProviderError", cause: "unknown_outcome" });
    const creates = (await hook("GET", "calls?path=/qolaba/getTextToImage")).data as { method: string; task_id?: string }[];
    expect(creates).toEqual([expect.objectContaining({ method: "POST", task_id: expect.any(String) })]);
  }, 20_000);

  it("an upload whose presigned PUT is slow stops within a second of its signal aborting", async () => {
    const { client, hook } = account();
    await hook("POST", "faults", { rules: [{ method: "PUT", path: "/rendernet/uploads/*", fault: "latency", latencyMs: 20_000 }] });
    const controller = new AbortController();
    const png = new Uint8Array(await makePng(8, 8));
    const upload = client.uploadAsset({ type: "image", bytes: png, contentType: "image/png", size: { width: 8, height: 8 }, signal: controller.signal });
    // The rule is used up once the PUT is waiting on it.
    await expect
      .poll(async () => ((await hook("GET", "faults")) as unknown as { data: { rules: unknown[] } }).data.rules, { timeout: 5000, interval: 20 })
      .toHaveLength(0);
    const aborted = Date.now();
    controller.abort(new Error("lease lost"));
    await expect(upload).rejects.toThrow("lease lost");
    expect(Date.now() - aborted).toBeLessThan(1000);
  });
});
