import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestSandbox, makePng, uploadAsset, type TestSandbox } from "./test-support";

const CANNY = "ap-1us0FK21Ach6eiWxo22is8";
const DEPTH = "ap-WrXnJBXy23XpPh6IlH5tRX";
const POSE = "ap-a1b2c3d4e5f6g7h8i9j0kq";

let sb: TestSandbox;
let imageUrl: string;
beforeEach(async () => {
  sb = await createTestSandbox();
  const asset = await uploadAsset(sb, "image", await makePng(2000, 1000));
  imageUrl = (await (await sb.call("GET", `/rendernet/pub/v2/assets/${asset}`)).json()).data.url;
});
afterEach(() => sb.cleanup());

const post = (path: string, body: unknown, bearer?: string | null) => sb.call("POST", `/qolaba${path}`, { body, bearer });
const poll = async (id: string, bearer?: string) => {
  const response = await post("/getImage", { id }, bearer);
  return { status: response.status, body: await response.json() };
};

describe("qolaba", () => {
  it("answers a bad token with 500 HTTP Exception", async () => {
    const response = await post("/getImage", { id: "x" }, null);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: "HTTP Exception", error_data: "Invalid or missing token", status: "FAILED" });
  });

  it("queues with celery and reads PENDING then SUCCESS with distinct, derived images scaled to 1536", async () => {
    const response = await post("/getImagetoImage", { app_id: CANNY, image: imageUrl, prompt: "neon city", batch: 2, celery: true });
    expect(response.status).toBe(200);
    const queued = await response.json();
    expect(queued).toMatchObject({ status: "PENDING", app_id: CANNY });
    expect(queued.task_id).toBeTruthy();
    expect((await poll(queued.task_id)).body.status).toBe("PENDING");
    expect((await poll(queued.task_id, "token-b")).body.status).toBe("PENDING");
    sb.restart();
    sb.advance(5000);
    const done = await poll(queued.task_id);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("SUCCESS");
    expect(done.body.output.Has_NSFW_Content).toEqual([false, false]);
    const [a, b] = await Promise.all(done.body.output.result.map(async (url: string) => Buffer.from(await (await sb.handler(new Request(url))).arrayBuffer())));
    expect(a.equals(b)).toBe(false);
    expect((await sharp(a).metadata()).width).toBe(1536);
    expect((await sharp(a).metadata()).height).toBe(768);
    expect((await poll(queued.task_id, "token-b")).body.status).toBe("PENDING");
  });

  it("answers synchronously without celery, for depth, pose and text-to-image", async () => {
    for (const app of [DEPTH, POSE]) {
      const response = await post("/getImagetoImage", { app_id: app, image: imageUrl, prompt: "a dancer" });
      const body = await response.json();
      expect(body.status).toBe("SUCCESS");
      expect(body.output.result).toHaveLength(1);
    }
    const text = await (await post("/getTextToImage", { app_id: "any-sdxl", prompt: "a cat", width: 700, height: 300 })).json();
    expect(text.status).toBe("SUCCESS");
    const meta = await sharp(Buffer.from(await (await sb.handler(new Request(text.output.result[0]))).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([640, 256]);
  });

  it("drops NSFW images from result but keeps one flag per image", async () => {
    const body = await (await post("/getTextToImage", { app_id: "x", prompt: "[sandbox:nsfw] beach", batch: 3 })).json();
    expect(body.output.Has_NSFW_Content).toEqual([true, false, false]);
    expect(body.output.result).toHaveLength(2);
  });

  it("marks the N-th image NSFW with [sandbox:nsfw:N], dropping only that one from result", async () => {
    const body = await (await post("/getTextToImage", { app_id: "x", prompt: "beach [sandbox:nsfw:2]", batch: 3 })).json();
    expect(body.output.Has_NSFW_Content).toEqual([false, true, false]);
    expect(body.output.result).toHaveLength(2);
    const both = await (await post("/getTextToImage", { app_id: "x", prompt: "[sandbox:nsfw:1] [sandbox:nsfw:3] beach", batch: 3 })).json();
    expect(both.output.Has_NSFW_Content).toEqual([true, false, true]);
    expect(both.output.result).toHaveLength(1);
  });

  it("answers 422 validation errors with field, message, type", async () => {
    const cases: [string, unknown, string][] = [
      ["/getImagetoImage", { app_id: "ap-unknown", image: imageUrl }, "app_id"],
      ["/getImagetoImage", { app_id: CANNY }, "image"],
      ["/getImagetoImage", { app_id: CANNY, image: "ftp://x/y.png" }, "image"],
      ["/getImagetoImage", { app_id: CANNY, image: imageUrl, batch: 9 }, "batch"],
      ["/getImagetoImage", { app_id: CANNY, image: imageUrl, strength: 0 }, "strength"],
      ["/getTextToImage", { app_id: "x", prompt: "p", width: 2000 }, "width"],
      ["/getTextToImage", { app_id: "x" }, "prompt"],
      ["/getImage", {}, "id"],
    ];
    for (const [path, body, field] of cases) {
      const response = await post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      const json = await response.json();
      expect(json).toMatchObject({ error: "Validation error", status: "FAILED" });
      expect(json.error_data.errors[0]).toMatchObject({ field });
      expect(json.error_data.errors[0].type).toBeTruthy();
    }
  });

  it("fails the task (500, FAILED) when the image cannot be fetched, and reads PENDING for unknown or expired tasks", async () => {
    const queued = await (await post("/getImagetoImage", { app_id: CANNY, image: `http://sandbox.test/rendernet/files/nope.png`, celery: true })).json();
    expect(queued.status).toBe("PENDING");
    sb.advance(5000);
    const failed = await poll(queued.task_id);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: "FAILED", error: "Internal Error" });
    expect(failed.body.error_data).toContain("HTTP 404");
    expect((await poll("no-such-task")).body).toMatchObject({ status: "PENDING", task_id: "no-such-task" });
    sb.advance(5 * 60 * 60 * 1000);
    expect((await poll(queued.task_id)).body.status).toBe("PENDING");
  });
});

describe("qolaba mounted in a reachable server", () => {
  it("reads images it hosts but refuses to fetch other hosts (no SSRF through the sandbox)", async () => {
    const mounted = await createTestSandbox({ fetchExternalImages: false });
    try {
      const own = await uploadAsset(mounted, "image", await makePng(640, 640));
      const ownUrl = (await (await mounted.call("GET", `/rendernet/pub/v2/assets/${own}`)).json()).data.url as string;
      const call = (image: string) => mounted.call("POST", "/qolaba/getImagetoImage", { body: { app_id: CANNY, image, prompt: "x" }, bearer: "t" });
      expect((await (await call(ownUrl)).json()).status).toBe("SUCCESS");
      const external = await call("http://127.0.0.1:9/private.png");
      expect(external.status).toBe(500);
      expect(await external.json()).toMatchObject({ status: "FAILED" });
    } finally {
      await mounted.cleanup();
    }
  });
});
