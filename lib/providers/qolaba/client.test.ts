import { beforeEach, describe, expect, it } from "vitest";
import { resetCircuitBreakers } from "@/lib/providers/http/testing";
import { ProviderError } from "@/lib/providers/http/errors";
import { createFakeClock, createFakeFetch, hang, jsonResponse, networkError, type FakeHandler } from "@/lib/providers/http/fake-fetch";
import { createQolabaClient } from "@/lib/providers/qolaba/client";

const token = "qlb_tok_5d4c3b2a19f8e7d6c5b4a392";
const baseUrl = "https://qolaba.example";

beforeEach(() => resetCircuitBreakers());

function setup(handlers: FakeHandler[], extra: Partial<Parameters<typeof createQolabaClient>[0]> = {}) {
  const fake = createFakeFetch(handlers);
  const clock = createFakeClock();
  const client = createQolabaClient({ token, baseUrl, fetch: fake.fetch, now: clock.now, sleep: clock.sleep, random: () => 0.5, ...extra });
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

const noLeak = (error: ProviderError) => {
  expect(error.message).not.toContain(token);
  expect(error.userMessage).not.toContain(token);
  expect(JSON.stringify(error)).not.toContain(token);
};

const pending = { time_required: "", error: null, error_data: null, input: null, output: "", app_id: "ap-1us0FK21Ach6eiWxo22is8", task_id: "task_1", status: "PENDING" };

describe("imageToImage", () => {
  it("maps the kind to its app id and sends celery: true by default", async () => {
    const { fake, client } = setup([() => jsonResponse(200, pending)]);
    const submission = await client.imageToImage({
      kind: "pose",
      image: "https://cdn.example/ref.png",
      prompt: "a dancer",
      negativePrompt: "blur",
      guidanceScale: 7.5,
      batch: 4,
      strength: 1,
      steps: 30,
      gpu: "a100",
    });
    expect(submission.taskId).toBe("task_1");
    expect(submission.task.status).toBe("pending");
    const [call] = fake.calls;
    expect(call?.url).toBe(`${baseUrl}/getImagetoImage`);
    expect(call?.headers.authorization).toBe(`Bearer ${token}`);
    expect(call?.json).toEqual({
      app_id: "ap-a1b2c3d4e5f6g7h8i9j0kq",
      image: "https://cdn.example/ref.png",
      prompt: "a dancer",
      negative_prompt: "blur",
      guidance_scale: 7.5,
      batch: 4,
      strength: 1,
      num_inference_steps: 30,
      inference_type: "a100",
      celery: true,
    });
  });

  it.each([
    ["canny", "ap-1us0FK21Ach6eiWxo22is8"],
    ["depth", "ap-WrXnJBXy23XpPh6IlH5tRX"],
  ] as const)("%s → %s", async (kind, appId) => {
    const { fake, client } = setup([() => jsonResponse(200, pending)]);
    await client.imageToImage({ kind, image: "https://cdn.example/a.png" });
    expect(fake.calls[0]?.json).toEqual({ app_id: appId, image: "https://cdn.example/a.png", celery: true });
  });

  it.each([
    [{ strength: 0 }, "strength"],
    [{ strength: 1.2 }, "strength"],
    [{ guidanceScale: 31 }, "guidanceScale"],
    [{ batch: 9 }, "batch"],
    [{ steps: 0 }, "steps"],
    [{ gpu: "t4" }, "gpu"],
    [{ image: "not a url" }, "image"],
    [{ kind: "blur" }, "kind"],
  ])("refuses %o before sending", async (patch, field) => {
    const { fake, client } = setup([]);
    const input = { kind: "canny", image: "https://cdn.example/a.png", ...patch } as Parameters<typeof client.imageToImage>[0];
    const error = await caught(client.imageToImage(input));
    expect(error.cause).toBe("invalid_input");
    expect(error.field).toBe(field);
    expect(fake.calls).toHaveLength(0);
  });

  it("maps a 422 to invalid_input naming the field", async () => {
    const { client } = setup([
      () =>
        jsonResponse(422, {
          ...pending,
          task_id: null,
          status: "FAILED",
          error: "Validation error",
          error_data: { errors: [{ field: "guidance_scale", message: "must be at most 30", type: "value_error" }] },
        }),
    ]);
    const error = await caught(client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png", guidanceScale: 25 }));
    expect(error).toMatchObject({ cause: "invalid_input", field: "guidance_scale", status: 422 });
    expect(error.userMessage).toBe("Qolaba rejected the request: it did not accept guidance_scale (HTTP 422). Check the settings and try again.");
    expect(error.message).toContain("must be at most 30");
  });

  it("names a 422's field only when Atelier sent it, and never repeats the provider's words to people", async () => {
    const { client } = setup([
      () =>
        jsonResponse(422, {
          status: "FAILED",
          error_data: { errors: [{ field: "<script>alert(1)</script>", message: "internal banner: secret-service v1.2" }] },
        }),
    ]);
    const error = await caught(client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png" }));
    expect(error.userMessage).toBe("Qolaba rejected the request (HTTP 422). Check the settings and try again.");
    expect(error.userMessage).not.toContain("secret-service");
  });

  it("treats a redirect as an error it does not follow, without repeating where it pointed", async () => {
    const { fake, client } = setup([
      () => new Response("see http://10.0.0.1/admin", { status: 302, headers: { Location: "http://10.0.0.1/admin" } }),
    ]);
    const error = await caught(client.getTask("t"));
    expect(error).toMatchObject({ cause: "blocked", status: 302, refusal: "redirect" });
    expect(error.userMessage).toMatch(/redirect \(HTTP 302\), which Atelier does not follow/);
    expect(`${error.message} ${error.userMessage}`).not.toContain("10.0.0.1");
    expect(fake.calls).toHaveLength(1); // not retried
  });

  it("is sent once: a lost answer is unknown_outcome (cannot be reconciled)", async () => {
    const { fake, client } = setup([() => Promise.reject(networkError("ECONNRESET"))]);
    const error = await caught(client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png" }));
    expect(error.cause).toBe("unknown_outcome");
    expect(error.sentAt).toBeTypeOf("number");
    expect(fake.calls).toHaveLength(1);
    noLeak(error);
    const timedOut = setup([hang], { timeouts: { jsonMs: 20 } });
    expect((await caught(timedOut.client.imageToImage({ kind: "depth", image: "https://cdn.example/a.png" }))).cause).toBe(
      "unknown_outcome",
    );
  });

  it("a 500 with a FAILED body on create is a failed task; a token complaint is invalid_key", async () => {
    const failed = setup([() => jsonResponse(500, { ...pending, task_id: null, status: "FAILED", error: "Internal Error", error_data: "CUDA out of memory" })]);
    const submission = await failed.client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png", queued: false });
    expect(submission.task).toMatchObject({ status: "failed", errorMessage: "CUDA out of memory" });
    expect(failed.fake.calls[0]?.json).toMatchObject({ celery: false });
    const auth = setup([() => jsonResponse(500, { status: "FAILED", error: "HTTP Exception", error_data: `Invalid token ${token}` })]);
    const error = await caught(auth.client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png" }));
    expect(error.cause).toBe("invalid_key");
    noLeak(error);
  });

  it("401 is invalid_key and 500 without a task body is unknown_outcome, neither leaking the token", async () => {
    for (const [status, cause] of [
      [401, "invalid_key"],
      [500, "unknown_outcome"],
    ] as const) {
      const { client } = setup([() => jsonResponse(status, { detail: `bad ${token}` })]);
      const error = await caught(client.imageToImage({ kind: "canny", image: "https://cdn.example/a.png" }));
      expect(error.cause).toBe(cause);
      noLeak(error);
    }
  });
});

describe("a queued create: what may have queued a task, and what certainly did not", () => {
  const input = { kind: "canny", image: "https://cdn.example/a.png" } as const;

  it("every 5xx, FAILED body or not, is unknown_outcome with sentAt, sent once", async () => {
    const failedBody = { ...pending, task_id: null, status: "FAILED", error: "HTTP Exception", error_data: "upstream error (HTTP 500)" };
    for (const [status, body] of [
      [500, failedBody],
      [502, failedBody],
      [503, failedBody],
      [504, {}],
      [500, "<html>Internal Server Error</html>"],
    ] as const) {
      const { fake, clock, client } = setup([() => jsonResponse(status, body, { "retry-after": "1" })]);
      const error = await caught(client.imageToImage(input));
      expect(error).toMatchObject({ cause: "unknown_outcome", status, sentAt: clock.time });
      expect(fake.calls).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it("429 is rate_limited with its Retry-After, not retried by the client", async () => {
    const { fake, client } = setup([() => jsonResponse(429, { status: "FAILED", error: "Too Many Requests" }, { "retry-after": "3" })]);
    const error = await caught(client.imageToImage(input));
    expect(error).toMatchObject({ cause: "rate_limited", retryAfterMs: 3000 });
    expect(fake.calls).toHaveLength(1);
  });

  it("a 2xx without a task id or unreadable is unknown_outcome; a readable one with an undocumented status is pending", async () => {
    for (const body of [{ ...pending, task_id: null }, "not json", { status: 7 }]) {
      const { client } = setup([() => jsonResponse(200, body)]);
      expect((await caught(client.imageToImage(input))).cause).toBe("unknown_outcome");
    }
    const { client } = setup([() => jsonResponse(202, { ...pending, status: "STARTED", worker: "gpu-7", output: null })]);
    const submission = await client.imageToImage(input);
    expect(submission).toMatchObject({ taskId: "task_1", task: { status: "pending" } });
  });

  it("the client's signal reaches the create and the status read", async () => {
    const controller = new AbortController();
    const { fake, client } = setup([hang, hang], { signal: controller.signal });
    const create = client.imageToImage(input);
    const read = client.getTask("task_1");
    // Both requests in flight before the abort.
    await expect.poll(() => fake.calls.length).toBe(2);
    controller.abort(new Error("worker stopping"));
    expect((await caught(create)).cause).toBe("unknown_outcome");
    await expect(read).rejects.toThrow("worker stopping");
  });
});

describe("textToImage", () => {
  it("sends the app id and the mapped fields", async () => {
    const { fake, client } = setup([() => jsonResponse(200, { ...pending, task_id: "t2" })]);
    const submission = await client.textToImage({ appId: "ap-sdxl", prompt: "a fox", width: 1024, height: 768, batch: 2 });
    expect(submission.taskId).toBe("t2");
    expect(fake.calls[0]?.url).toBe(`${baseUrl}/getTextToImage`);
    expect(fake.calls[0]?.json).toEqual({ app_id: "ap-sdxl", prompt: "a fox", width: 1024, height: 768, batch: 2, celery: true });
  });

  it("refuses sizes out of range", async () => {
    const { client } = setup([]);
    expect((await caught(client.textToImage({ appId: "a", prompt: "p", width: 2048 }))).field).toBe("width");
  });
});

describe("getTask", () => {
  it("reads PENDING, polling with POST /getImage {id}", async () => {
    const { fake, client } = setup([() => jsonResponse(200, pending)]);
    expect(await client.getTask("task_1")).toEqual({ status: "pending", urls: [], slots: [], nsfwDropped: 0 });
    expect(fake.calls[0]).toMatchObject({ url: `${baseUrl}/getImage`, method: "POST", json: { id: "task_1" } });
  });

  it("reads SUCCESS with NSFW images dropped (from the flags)", async () => {
    const { client } = setup([
      () =>
        jsonResponse(200, {
          ...pending,
          status: "SUCCESS",
          input: { batch: 4 },
          output: { result: ["https://q/1.png", "https://q/2.png"], Has_NSFW_Content: [false, true, false, true] },
        }),
    ]);
    expect(await client.getTask("task_1")).toEqual({
      status: "success",
      urls: ["https://q/1.png", "https://q/2.png"],
      slots: [{ kind: "image", url: "https://q/1.png" }, { kind: "withheld" }, { kind: "image", url: "https://q/2.png" }, { kind: "withheld" }],
      nsfwDropped: 2,
      requested: 4,
    });
  });

  it("matches images to slots by the flags, never by position among the survivors: 1 of 3 withheld in the middle", async () => {
    const { client } = setup([
      () => jsonResponse(200, { status: "SUCCESS", input: { batch: 3 }, output: { result: ["https://q/a.png", "https://q/c.png"], Has_NSFW_Content: [false, true, false] } }),
    ]);
    const task = await client.getTask("t");
    expect(task.slots).toEqual([{ kind: "image", url: "https://q/a.png" }, { kind: "withheld" }, { kind: "image", url: "https://q/c.png" }]);
    expect(task.nsfwDropped).toBe(1);
  });

  it("reads a result kept position by position (placeholders where withheld), and an unflagged slot without a URL as missing", async () => {
    const { client } = setup([
      () => jsonResponse(200, { status: "SUCCESS", output: { result: ["https://q/a.png", null, ""], Has_NSFW_Content: ["false", "true", false], extra: 1 } }),
      () => jsonResponse(200, { status: "SUCCESS", output: { result: ["https://q/a.png"], Has_NSFW_Content: [false, true, false] } }),
    ]);
    expect((await client.getTask("t")).slots).toEqual([{ kind: "image", url: "https://q/a.png" }, { kind: "withheld" }, { kind: "missing" }]);
    expect((await client.getTask("t")).slots).toEqual([{ kind: "image", url: "https://q/a.png" }, { kind: "withheld" }, { kind: "missing" }]);
  });

  it("counts dropped images from batch − results when there are no flags", async () => {
    const { client } = setup([() => jsonResponse(200, { status: "SUCCESS", input: { batch: "3" }, output: { result: ["https://q/1.png"] } })]);
    expect(await client.getTask("t")).toMatchObject({
      status: "success",
      nsfwDropped: 2,
      requested: 3,
      slots: [{ kind: "image", url: "https://q/1.png" }, { kind: "withheld" }, { kind: "withheld" }],
    });
  });

  it("a SUCCESS with every image dropped as NSFW is content_refused", async () => {
    const { client } = setup([() => jsonResponse(200, { status: "SUCCESS", output: { result: [], Has_NSFW_Content: [true, true] } })]);
    expect((await caught(client.getTask("t"))).cause).toBe("content_refused");
  });

  it("a 500 with a FAILED body is a failed task, read safely and not retried", async () => {
    const { fake, client } = setup([
      () => jsonResponse(500, { status: "FAILED", error: "Internal Error", error_data: { weird: ["structure"] }, output: null }),
    ]);
    expect(await client.getTask("t")).toEqual({ status: "failed", urls: [], slots: [], nsfwDropped: 0, errorMessage: "Internal Error" });
    expect(fake.calls).toHaveLength(1);
  });

  it("is retried like a read on 503 and network errors", async () => {
    const { fake, client } = setup([
      () => jsonResponse(503, {}),
      () => Promise.reject(networkError("ECONNRESET")),
      () => jsonResponse(200, pending),
    ]);
    expect((await client.getTask("t")).status).toBe("pending");
    expect(fake.calls).toHaveLength(3);
  });
});

describe("configuration", () => {
  it("needs https, unless the server itself configured the address (the sandbox, a development stand-in)", () => {
    expect(() => createQolabaClient({ token, baseUrl: "http://qolaba.example" })).toThrow(/https/);
    expect(() => createQolabaClient({ token, baseUrl: "http://127.0.0.1:4011" })).toThrow(/https/);
    expect(() => createQolabaClient({ token, baseUrl: "http://localhost:4011" })).toThrow(/https/);
    expect(() => createQolabaClient({ token, baseUrl: "http://127.0.0.1:4011", allowHttp: true })).not.toThrow();
    expect(() => createQolabaClient({ token, baseUrl: "https://user:pass@qolaba.example" })).toThrow(/credentials/);
    expect(() => createQolabaClient({ token, baseUrl: "https://qolaba.example/?x=1" })).toThrow(/query/);
    expect(() => createQolabaClient({ token, baseUrl: "https://qolaba.example/#top" })).toThrow(/fragment/);
    expect(() => createQolabaClient({ token, baseUrl: "ftp://qolaba.example", allowHttp: true })).toThrow(/https/);
    expect(() => createQolabaClient({ token: "", baseUrl })).toThrow(ProviderError);
  });
});
