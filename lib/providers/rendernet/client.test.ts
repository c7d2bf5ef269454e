import { beforeEach, describe, expect, it } from "vitest";
import { resetCircuitBreakers } from "@/lib/providers/http/testing";
import { ProviderError } from "@/lib/providers/http/errors";
import {
  createFakeClock,
  createFakeFetch,
  hang,
  jsonResponse,
  networkError,
  textResponse,
  type FakeHandler,
} from "@/lib/providers/http/fake-fetch";
import { createRenderNetClient } from "@/lib/providers/rendernet/client";

const apiKey = "rn_sk_live_7c1f0e9d8b2a4c6e8f0a1b2c";
const base = "https://api.rendernet.ai";
const item = { model: "JuggernautXL", prompt: { positive: "a lighthouse", negative: "" }, batch_size: 2 };

beforeEach(() => resetCircuitBreakers());

function setup(handlers: FakeHandler[], extra: Partial<Parameters<typeof createRenderNetClient>[0]> = {}) {
  const fake = createFakeFetch(handlers);
  const clock = createFakeClock();
  const client = createRenderNetClient({
    apiKey,
    fetch: fake.fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...extra,
  });
  return { fake, clock, client };
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error("expected a ProviderError");
}

function expectNoLeak(error: ProviderError, ...secrets: string[]) {
  for (const secret of [apiKey, ...secrets]) {
    expect(error.message).not.toContain(secret);
    expect(error.userMessage).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  }
}

const created = (status = 201) =>
  jsonResponse(status, {
    data: {
      credits_remaining: 18,
      generation_id: "gen_01",
      media: [
        { id: "m1", status: "initiated", type: "image", model: "JuggernautXL" },
        { id: "m2", status: "initiated", type: "image", model: "JuggernautXL" },
      ],
      result: "initiated",
    },
    err: {},
  });

describe("createGenerations", () => {
  it("sends the validated array once, with the key header and JSON content type", async () => {
    const { fake, client } = setup([() => created()]);
    const result = await client.createGenerations([item]);
    expect(result.generations).toEqual([
      expect.objectContaining({ generationId: "gen_01", result: "initiated", media: [expect.objectContaining({ id: "m1", status: "pending" }), expect.anything()] }),
    ]);
    expect(result.creditsRemaining).toBe(18);
    expect(result.incomplete).toBe(false);
    const [call] = fake.calls;
    expect(call?.url).toBe(`${base}/pub/v1/generations`);
    expect(call?.method).toBe("POST");
    expect(call?.headers["x-api-key"]).toBe(apiKey);
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.json).toEqual([{ model: "JuggernautXL", prompt: { positive: "a lighthouse", negative: "" }, batch_size: 2 }]);
  });

  it("accepts 202 and an array of generations", async () => {
    const { client } = setup([
      () =>
        jsonResponse(202, {
          data: [
            { generation_id: "g1", media: [], credits_remaining: 19 },
            { generation_id: "g2", media: [], credits_remaining: 17 },
          ],
          err: {},
        }),
    ]);
    const result = await client.createGenerations([item, item]);
    expect(result.generations.map((g) => g.generationId)).toEqual(["g1", "g2"]);
    expect(result.creditsRemaining).toBe(17);
  });

  it("flags fewer generations than items as incomplete", async () => {
    const { client } = setup([() => created()]);
    expect((await client.createGenerations([item, item])).incomplete).toBe(true);
  });

  it("refuses an invalid item without sending anything", async () => {
    const { fake, client } = setup([]);
    const error = await caught(client.createGenerations([{ ...item, cfg_scale: 20 }]));
    expect(error.cause).toBe("invalid_input");
    expect(error.field).toBe("items[0].cfg_scale");
    expect(fake.calls).toHaveLength(0);
  });

  it("is never retried, and every 5xx may hide a create that was carried out: unknown_outcome with sentAt", async () => {
    for (const status of [500, 502, 503, 504]) {
      const { fake, clock, client } = setup([() => jsonResponse(status, { err: { message: "busy" } }, { "retry-after": "1" })]);
      const sentAt = clock.time;
      const error = await caught(client.createGenerations([item]));
      expect(error).toMatchObject({ cause: "unknown_outcome", status, sentAt });
      expect(fake.calls).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
      expectNoLeak(error);
    }
  });

  it("a 2xx that names no generation is unknown_outcome; one of a readable but unexpected shape is accepted", async () => {
    for (const body of [{ data: {} }, { data: [] }, { data: null, err: {} }, {}]) {
      const { client } = setup([() => jsonResponse(201, body)]);
      expect((await caught(client.createGenerations([item]))).cause).toBe("unknown_outcome");
    }
    const { client } = setup([
      () =>
        jsonResponse(202, {
          data: { generation_id: "gen_9", result: "queued_for_review", eta: 12, media: [{ id: "m9", status: "accepted", extra: { a: 1 } }] },
          err: {},
          meta: { region: "eu" },
        }),
    ]);
    const outcome = await client.createGenerations([item]);
    expect(outcome.generations[0]).toMatchObject({ generationId: "gen_9", result: "queued_for_review", media: [{ id: "m9", status: "pending", rawStatus: "accepted" }] });
  });

  it("throws unknown_outcome with sentAt when the answer is lost", async () => {
    const { fake, clock, client } = setup([() => Promise.reject(networkError("ECONNRESET"))]);
    const sentAt = clock.time;
    const error = await caught(client.createGenerations([item]));
    expect(error.cause).toBe("unknown_outcome");
    expect(error.sentAt).toBe(sentAt);
    expect(fake.calls).toHaveLength(1);
    expectNoLeak(error);
  });

  it("throws unknown_outcome on a timeout, a gateway 504 and an unreadable 2xx", async () => {
    const timedOut = setup([hang], { timeouts: { jsonMs: 20 } });
    expect((await caught(timedOut.client.createGenerations([item]))).cause).toBe("unknown_outcome");
    const gateway = setup([() => textResponse(504, "Gateway Timeout")]);
    expect((await caught(gateway.client.createGenerations([item]))).cause).toBe("unknown_outcome");
    const garbled = setup([() => textResponse(201, "<html>ok</html>")]);
    expect((await caught(garbled.client.createGenerations([item]))).cause).toBe("unknown_outcome");
  });

  it("maps error statuses without leaking the key or the body", async () => {
    const body = { data: null, err: { message: `invalid key ${apiKey}`, code: "AUTH", internal: "stack at x.js:1" } };
    const cases: [number, string][] = [
      [401, "invalid_key"],
      [403, "invalid_key"],
      [400, "invalid_input"],
      [422, "invalid_input"],
      [402, "out_of_credits"],
      [404, "not_found"],
      [429, "rate_limited"],
    ];
    for (const [status, cause] of cases) {
      const { client } = setup([() => jsonResponse(status, body)]);
      const error = await caught(client.createGenerations([item]));
      expect(error.cause).toBe(cause);
      expect(error.status).toBe(status);
      expectNoLeak(error, "stack at x.js");
    }
  });

  it("recognises a credits message on a 400", async () => {
    const { client } = setup([() => jsonResponse(400, { err: { message: "Not enough credits" } })]);
    expect((await caught(client.createGenerations([item]))).cause).toBe("out_of_credits");
  });
});

describe("reads", () => {
  it("estimate reads data and tolerates the `error` key", async () => {
    const { fake, client } = setup([
      () => jsonResponse(500, { error: { message: "hiccup" } }),
      () => jsonResponse(200, { data: { estimated: "4", balance: 20 }, error: {} }),
    ]);
    expect(await client.estimate([item])).toEqual({ estimated: 4, balance: 20 });
    expect(fake.calls[1]?.url).toBe(`${base}/pub/v1/generations/estimate`);
  });

  it("estimate maps its `error` body", async () => {
    const { client } = setup([() => jsonResponse(400, { data: null, error: { message: "bad batch" } })]);
    const error = await caught(client.estimate([item]));
    expect(error.cause).toBe("invalid_input");
    // The provider's words stay in the developer message (logs); people get Atelier's sentence.
    expect(error.message).toContain("bad batch");
    expect(error.userMessage).toBe("RenderNet rejected the request (HTTP 400). Check the settings and try again.");
  });

  it("GET is retried honouring Retry-After", async () => {
    const { fake, clock, client } = setup([
      () => jsonResponse(429, { err: { message: "slow down" } }, { "retry-after": "3" }),
      () => jsonResponse(200, { data: { generation_id: "g1", media: [{ id: "m1", status: "success", url: "https://x/1.png" }] }, err: {} }),
    ]);
    const generation = await client.getGeneration("g1");
    expect(generation.media[0]).toMatchObject({ status: "success", url: "https://x/1.png" });
    expect(clock.sleeps).toEqual([3_000]);
    expect(fake.calls.map((c) => c.url)).toEqual([`${base}/pub/v1/generations/g1`, `${base}/pub/v1/generations/g1`]);
  });

  it("rate_limited with retryAfterMs when Retry-After is too long", async () => {
    const { client } = setup([() => jsonResponse(429, {}, { "retry-after": "90" })]);
    const error = await caught(client.getMedia("m1"));
    expect(error.cause).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(90_000);
  });

  it("listGenerations sends only spec parameters, page_size at most 50", async () => {
    const { fake, client } = setup([() => jsonResponse(200, { data: [], pagination: { page: 2, page_size: 50, total: 0 } })]);
    await client.listGenerations({ status: "success", mediaId: "m1", generationId: "g 1", page: 2, pageSize: 500 });
    const url = new URL(fake.calls[0]?.url ?? "");
    expect(url.pathname).toBe("/pub/v1/generations");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "success",
      media_id: "m1",
      generation_id: "g 1",
      page: "2",
      page_size: "50",
    });
  });

  it("catalogue lists page through until total, with ?type=flux", async () => {
    const page = (names: string[], n: number) => () =>
      jsonResponse(200, { data: names.map((name) => ({ name, base_model: "flux" })), pagination: { page: n, page_size: 50, total: 52 } });
    const { fake, client } = setup([page(Array.from({ length: 50 }, (_, i) => `s${i}`), 1), page(["a", "b"], 2)]);
    const styles = await client.listStyles({ flux: true });
    expect(styles).toHaveLength(52);
    expect(fake.calls.map((c) => new URL(c.url).search)).toEqual(["?type=flux&page=1&page_size=50", "?type=flux&page=2&page_size=50"]);
  });

  it("a list without pagination is one request; delete and characters", async () => {
    const { fake, client } = setup([
      () => jsonResponse(200, { data: [{ name: "Rachel" }], err: {} }),
      () => jsonResponse(200, { data: { id: "g1" }, err: {} }),
      () => jsonResponse(201, { data: { id: "chr_1", name: "Alex", character_type: "realistic" }, err: {} }),
      () => jsonResponse(200, { data: { id: "chr_1", name: "Alex" }, err: {} }),
    ]);
    expect(await client.listVoices()).toEqual([expect.objectContaining({ name: "Rachel" })]);
    expect(await client.deleteGeneration("g1")).toEqual({ id: "g1" });
    expect(fake.calls[1]?.method).toBe("DELETE");
    await client.createCharacter({ assetId: "ast_1", characterType: "realistic", name: "Alex", prompt: "a hiker" });
    expect(fake.calls[2]?.json).toEqual({ asset_id: "ast_1", character_type: "realistic", name: "Alex", prompt: "a hiker" });
    await client.editCharacter("chr_1", { assetId: "ast_2", characterType: "stylized", prompt: "p" });
    expect(fake.calls[3]).toMatchObject({ method: "PUT", url: `${base}/pub/v1/characters/chr_1` });
    expect(fake.calls[3]?.json).toEqual({ asset_id: "ast_2", character_type: "stylized", prompt: "p" });
  });

  it("an unreadable 2xx on a read is unavailable", async () => {
    const { client } = setup(Array.from({ length: 1 }, () => () => jsonResponse(200, { data: { nope: true } })));
    expect((await caught(client.getMedia("m1"))).cause).toBe("unavailable");
  });

  it("the breaker opens after 5 failing reads and fails fast", async () => {
    const { fake, client } = setup(Array.from({ length: 10 }, () => () => jsonResponse(500, {})), {
      timeouts: { budgetMs: 0 },
    });
    for (let i = 0; i < 5; i++) await caught(client.getMedia("m1"));
    const calls = fake.calls.length;
    expect((await caught(client.getMedia("m1"))).cause).toBe("unavailable");
    expect(fake.calls.length).toBe(calls);
  });
});

describe("uploadAsset", () => {
  const bytes = new Uint8Array([1, 2, 3, 4]);
  const uploadUrl = "https://s3.amazonaws.com/bucket/ast_1?X-Amz-Signature=abcdef0123456789";
  const ticket = () =>
    jsonResponse(201, { data: { id: "ast_1", type: "video", status: "pending", upload_url: uploadUrl }, err: {} });
  const asset = (status: string) => () => jsonResponse(200, { data: { id: "ast_1", type: "video", status }, err: {} });

  it("creates the ticket, PUTs raw bytes without the key, polls until active", async () => {
    const { fake, clock, client } = setup([ticket, () => textResponse(200, ""), asset("pending"), asset("processing"), asset("active")]);
    const result = await client.uploadAsset({ type: "video", bytes, contentType: "video/mp4", size: { width: 1080, height: 1920 } });
    expect(result).toMatchObject({ id: "ast_1", status: "active" });
    const [create, put, ...polls] = fake.calls;
    expect(create?.url).toBe(`${base}/pub/v2/assets/upload?type=video`);
    expect(create?.json).toEqual({ size: { width: 1080, height: 1920 } });
    expect(create?.headers["x-api-key"]).toBe(apiKey);
    expect(put?.url).toBe(uploadUrl);
    expect(put?.method).toBe("PUT");
    expect(put?.headers["content-type"]).toBe("video/mp4");
    expect(put?.headers["x-api-key"]).toBeUndefined();
    expect(put?.headers.authorization).toBeUndefined();
    expect(put?.body).toBe(bytes);
    expect(polls.map((c) => c.url)).toEqual(Array(3).fill(`${base}/pub/v2/assets/ast_1`));
    expect(clock.sleeps).toEqual([500, 750]);
  });

  it("fails on a failed asset", async () => {
    const { client } = setup([ticket, () => textResponse(200, ""), asset("failed")]);
    const error = await caught(client.uploadAsset({ type: "video", bytes, contentType: "video/webm", size: { width: 1, height: 1 } }));
    expect(error.cause).toBe("invalid_input");
  });

  it("times out at the deadline", async () => {
    const { client } = setup([ticket, () => textResponse(200, ""), ...Array.from({ length: 50 }, () => asset("pending"))], {
      assetPoll: { deadlineMs: 3_000 },
    });
    const error = await caught(client.uploadAsset({ type: "video", bytes, contentType: "video/mp4", size: { width: 1, height: 1 } }));
    expect(error.cause).toBe("timeout");
  });

  it("retries the PUT and never leaks the presigned URL", async () => {
    const { fake, client } = setup([ticket, () => textResponse(503, "SlowDown"), () => textResponse(403, "<Error>SignatureDoesNotMatch</Error>")]);
    const error = await caught(client.uploadAsset({ type: "video", bytes, contentType: "video/mp4", size: { width: 1, height: 1 } }));
    expect(fake.calls).toHaveLength(3);
    expect(error.cause).toBe("invalid_input");
    expectNoLeak(error, "X-Amz-Signature", "abcdef0123456789", "SignatureDoesNotMatch");
  });

  it("a lost upload ticket answer is unavailable (asking again is safe), never sent twice by the client", async () => {
    for (const handler of [() => textResponse(500, "oops"), () => Promise.reject(networkError("ECONNRESET"))] as FakeHandler[]) {
      const { fake, client } = setup([handler]);
      const error = await caught(client.uploadAsset({ type: "video", bytes, contentType: "video/mp4", size: { width: 1, height: 1 } }));
      expect(error.cause).toBe("unavailable");
      expect(fake.calls).toHaveLength(1);
    }
  });

  it("passes the caller's signal to every step: an abort while waiting for the asset ends the upload at once", async () => {
    const controller = new AbortController();
    const fake = createFakeFetch([ticket, () => textResponse(200, ""), asset("pending"), asset("pending")]);
    const client = createRenderNetClient({ apiKey, fetch: fake.fetch, assetPoll: { initialDelayMs: 60_000 } });
    const started = Date.now();
    const upload = client.uploadAsset({ type: "video", bytes, contentType: "video/mp4", size: { width: 1, height: 1 }, signal: controller.signal });
    // The ticket, the upload and the first asset read are done: the client is now waiting to read the asset again.
    await expect.poll(() => fake.calls.length).toBe(3);
    controller.abort(new Error("lease lost"));
    await expect(upload).rejects.toThrow("lease lost");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.calls).toHaveLength(3);
  });

  it("refuses a content type the asset type does not take", async () => {
    const { fake, client } = setup([]);
    const error = await caught(client.uploadAsset({ type: "audio", bytes, contentType: "audio/wav", size: { width: 0, height: 0 } }));
    expect(error.field).toBe("contentType");
    expect(fake.calls).toHaveLength(0);
  });
});

describe("findLostGenerations", () => {
  it("adopts the generations created around sentAt that match the items, newest pages until old enough", async () => {
    const sentAt = Date.UTC(2025, 0, 1, 12, 0, 0);
    const s = (ms: number) => Math.floor(ms / 1000);
    const media = (n: number, extra: object = {}) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, status: "pending", type: "image", ...extra }));
    const page1 = {
      data: [
        { generation_id: "later-other-model", created_at: s(sentAt + 5_000), media: media(2, { model: "Flux" }) },
        { generation_id: "match", created_at: s(sentAt + 2_000), media: media(2, { model: "JuggernautXL" }) },
        { generation_id: "wrong-count", created_at: s(sentAt + 1_000), media: media(1, { model: "JuggernautXL" }) },
        { generation_id: "video", created_at: s(sentAt + 1_000), media: [{ id: "v", status: "pending", type: "video" }] },
      ],
      pagination: { page: 1, page_size: 4, total: 9 },
    };
    const page2 = {
      data: [
        { generation_id: "known", created_at: s(sentAt), media: media(2, { model: "JuggernautXL" }) },
        { generation_id: "too-early", created_at: s(sentAt - 90_000), media: media(2, { model: "JuggernautXL" }) },
        { generation_id: "older", created_at: s(sentAt - 130_000), media: media(2, { model: "JuggernautXL" }) },
      ],
      pagination: { page: 2, page_size: 4, total: 9 },
    };
    const { fake, client } = setup([() => jsonResponse(200, page1), () => jsonResponse(200, page2)]);
    const matches = await client.findLostGenerations({
      sentAt,
      items: [item, { video_anyone: { media_id: "ast_1" } }, item],
      excludeGenerationIds: ["known"],
    });
    expect(matches.map((m) => [m.itemIndex, m.generation.generationId])).toEqual([
      [0, "match"],
      [1, "video"],
    ]);
    expect(fake.calls).toHaveLength(2);
    expect(new URL(fake.calls[0]?.url ?? "").search).toBe("?page=1&page_size=50");
  });

  it("finds nothing when nothing was created", async () => {
    const { client } = setup([() => jsonResponse(200, { data: [], pagination: { page: 1, page_size: 50, total: 0 } })]);
    expect(await client.findLostGenerations({ sentAt: Date.now(), items: [item] })).toEqual([]);
  });
});

describe("configuration", () => {
  it("refuses a missing key and uses a configurable base URL", async () => {
    expect(() => createRenderNetClient({ apiKey: "" })).toThrow(ProviderError);
    const { fake, client } = setup([() => jsonResponse(200, { data: [] })], { baseUrl: "http://127.0.0.1:4010/" });
    await client.listModels();
    expect(fake.calls[0]?.url).toBe("http://127.0.0.1:4010/pub/v1/models?page=1&page_size=50");
  });
});

describe("signals and context", () => {
  it("the client's own signal aborts every call, combined with a call's signal", async () => {
    const clientWide = new AbortController();
    const fake = createFakeFetch(() => new Promise<Response>(() => undefined));
    const client = createRenderNetClient({ apiKey, fetch: fake.fetch, signal: clientWide.signal });
    const reads = [client.getGeneration("g1"), client.findLostGenerations({ sentAt: Date.now(), items: [item] }), client.listModels()];
    const perCall = new AbortController();
    const own = client.getMedia("m1", { signal: perCall.signal });
    perCall.abort(new Error("this call only"));
    await expect(own).rejects.toThrow("this call only");
    clientWide.abort(new Error("job stopped"));
    for (const read of reads) await expect(read).rejects.toThrow("job stopped");
    // Once aborted, nothing more is sent, not even a create.
    const sent = fake.calls.length;
    await expect(client.createGenerations([item])).rejects.toThrow("job stopped");
    expect(fake.calls).toHaveLength(sent);
  });

  it("a create aborted in flight may have reached the provider: unknown_outcome, never resent", async () => {
    const controller = new AbortController();
    const { fake, client } = setup([hang], { signal: controller.signal });
    const create = client.createGenerations([item]);
    await expect.poll(() => fake.calls.length).toBe(1);
    controller.abort(new Error("lease lost"));
    expect((await caught(create)).cause).toBe("unknown_outcome");
    expect(fake.calls).toHaveLength(1);
  });
});
