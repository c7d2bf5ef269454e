import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "./http";
import { createTestSandbox, ORIGIN, type TestSandbox } from "./test-support";

// The sandbox reads request bodies with caps, counted while they arrive: a chunked body with no end is read up to
// its cap and no further, and the one-time upload URL is checked before its body is read at all.

let sb: TestSandbox;
beforeEach(async () => {
  sb = await createTestSandbox();
});
afterEach(() => sb.cleanup());

const MB = 1024 * 1024;

/** A body pulled chunk by chunk (64 KB of `byte`), endless unless `total` is given; `pulled()` counts what was read. */
function endless(byte: number, total = Infinity) {
  let position = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (position >= total) return controller.close();
        const chunk = new Uint8Array(Math.min(64 * 1024, total - position)).fill(byte);
        position += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => position };
}

const send = (method: string, path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
  sb.handler(new Request(`${ORIGIN}${path}`, { method, headers, body, duplex: "half" } as RequestInit));

describe("request bodies are capped while they arrive", () => {
  it("a JSON body: 413 once it passes 1 MB, without reading on", async () => {
    const body = endless(0x20); // spaces: valid JSON whitespace for as long as it goes on
    const response = await send("POST", "/rendernet/pub/v1/generations", body.stream, { "x-api-key": "key-a", "content-type": "application/json" });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({ data: null, err: { message: "request body too large (1 MB max)", code: "too_large" } });
    expect(body.pulled()).toBeGreaterThan(MAX_JSON_BODY_BYTES);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES + 64 * 1024);
  });

  it("Qolaba's tasks too, in Qolaba's error shape", async () => {
    const body = endless(0x20);
    const response = await send("POST", "/qolaba/getTextToImage", body.stream, { authorization: "Bearer token-a", "content-type": "application/json" });
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES + 64 * 1024);
  });

  it("the upload URL: an unknown token is refused before a byte is read; a known one is read up to 200 MB", async () => {
    const unknown = endless(0);
    const refused = await send("PUT", "/rendernet/uploads/no-such-token", unknown.stream, {});
    expect(refused.status).toBe(403);
    expect(refused.headers.get("connection")).toBe("close");
    expect(unknown.pulled()).toBe(0);

    const created = await sb.call("POST", "/rendernet/pub/v2/assets/upload?type=video", { body: { size: { width: 100, height: 100 } } });
    const { data } = (await created.json()) as { data: { upload_url: string } };
    const huge = endless(0);
    const tooLarge = await sb.handler(new Request(data.upload_url, { method: "PUT", body: huge.stream, duplex: "half" } as RequestInit));
    expect(tooLarge.status).toBe(413);
    expect(huge.pulled()).toBeGreaterThan(200 * MB);
    expect(huge.pulled()).toBeLessThanOrEqual(200 * MB + 64 * 1024);
  });
});
