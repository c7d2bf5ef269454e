import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandboxServer } from "./server";
import { createTestSandbox, type TestSandbox } from "./test-support";

let sb: TestSandbox;
beforeEach(async () => {
  sb = await createTestSandbox();
});
afterEach(() => sb.cleanup());

const body = [{ model: "JuggernautXL", prompt: { positive: "p", negative: "" } }];
const setFaults = (rules: object[], key = "key-a") => sb.call("POST", "/__sandbox/faults", { key, body: { rules } });
const createGen = (key = "key-a", signal?: AbortSignal) =>
  sb.handler(new Request("http://sandbox.test/rendernet/pub/v1/generations", { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify(body), signal }));

describe("test hooks", () => {
  it("are 404 when testHooks is off", async () => {
    const off = await createTestSandbox({ testHooks: false });
    expect((await off.call("GET", "/__sandbox/calls")).status).toBe(404);
    await off.cleanup();
  });

  it("rate_limit answers 429 with Retry-After, once, for that key only", async () => {
    await setFaults([{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "rate_limit", retryAfter: 7 }]);
    const other = await createGen("key-b");
    expect(other.status).toBe(201);
    const limited = await createGen();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await limited.json()).err.message).toBeTruthy();
    expect((await createGen()).status).toBe(201);
  });

  it("server_error answers the status `times` times; DELETE clears", async () => {
    await setFaults([{ path: "/rendernet/pub/v1/generations", fault: "server_error", status: 503, times: 2 }]);
    expect((await createGen()).status).toBe(503);
    await sb.call("DELETE", "/__sandbox/faults");
    expect((await createGen()).status).toBe(201);
  });

  it("malformed answers 200 with a non-JSON body; latency delays then answers", async () => {
    await setFaults([
      { path: "/rendernet/pub/v1/models", fault: "malformed" },
      { path: "/rendernet/pub/v1/voices", fault: "latency", latencyMs: 150 },
    ]);
    const malformed = await sb.call("GET", "/rendernet/pub/v1/models");
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    const started = Date.now();
    const slow = await sb.call("GET", "/rendernet/pub/v1/voices");
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("hang never answers until the request is aborted", async () => {
    await setFaults([{ path: "/rendernet/pub/v1/generations", fault: "hang" }]);
    const controller = new AbortController();
    const pending = createGen("key-a", controller.signal);
    // A fixed wait on purpose: no answer may come within it, which no poll can show.
    const race = await Promise.race([pending.then(() => "answered", () => "threw"), new Promise((resolve) => setTimeout(() => resolve("waiting"), 100))]);
    expect(race).toBe("waiting");
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it("lost_response makes and charges the generation, then throws; the call log shows it", async () => {
    await setFaults([{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "lost_response" }]);
    await expect(createGen()).rejects.toThrow(/lost_response/);
    const list = await (await sb.call("GET", "/rendernet/pub/v1/generations")).json();
    expect(list.data).toHaveLength(1);
    const estimate = await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body })).json();
    expect(estimate.data.balance).toBe(498);
    const calls = await (await sb.call("GET", "/__sandbox/calls?path=/rendernet/pub/v1/generations")).json();
    expect(calls.data).toHaveLength(2);
    expect(calls.data[0]).toMatchObject({ method: "POST", fault: "lost_response", generation_ids: [list.data[0].generation_id] });
  });

  it("server_error without `performed` makes nothing; with it, the create is carried out and charged, then answered 5xx", async () => {
    await setFaults([
      { method: "POST", path: "/rendernet/pub/v1/generations", fault: "server_error", status: 500 },
      { method: "POST", path: "/rendernet/pub/v1/generations", fault: "server_error", status: 504, performed: true },
    ]);
    expect((await createGen()).status).toBe(500);
    expect((await (await sb.call("GET", "/rendernet/pub/v1/generations")).json()).data).toHaveLength(0);
    const gateway = await createGen();
    expect(gateway.status).toBe(504);
    expect((await gateway.json()).err.code).toBe("server_error");
    const list = await (await sb.call("GET", "/rendernet/pub/v1/generations")).json();
    expect(list.data).toHaveLength(1);
    expect((await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body })).json()).data.balance).toBe(498);
    const calls = (await (await sb.call("GET", "/__sandbox/calls?path=/rendernet/pub/v1/generations")).json()).data.filter((c: { method: string }) => c.method === "POST");
    expect(calls.map((c: { fault?: string; generation_ids?: string[] }) => [c.fault, c.generation_ids?.length ?? 0])).toEqual([
      ["server_error", 0],
      ["server_error", 1],
    ]);
  });

  it("malformed and hang can follow a performed create", async () => {
    await setFaults([
      { method: "POST", path: "/rendernet/pub/v1/generations", fault: "malformed", performed: true },
      { method: "POST", path: "/rendernet/pub/v1/generations", fault: "hang", performed: true },
    ]);
    const garbled = await createGen();
    expect(garbled.status).toBe(200);
    await expect(garbled.json()).rejects.toThrow();
    const controller = new AbortController();
    const pending = createGen("key-a", controller.signal);
    // The hung create was carried out before the sandbox stopped answering.
    await expect.poll(async () => (await (await sb.call("GET", "/rendernet/pub/v1/generations")).json()).data).toHaveLength(2);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it("cut_off carries the create out, sends its status and half its body, then fails the stream", async () => {
    await setFaults([{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "cut_off" }]);
    const response = await createGen();
    expect(response.status).toBe(201);
    expect(response.headers.get("content-length")).toBeNull();
    await expect(response.text()).rejects.toThrow(/cut_off/);
    expect((await (await sb.call("GET", "/rendernet/pub/v1/generations")).json()).data).toHaveLength(1);
  });

  it("a performed Qolaba create queues the task (the call log names it) and answers the fault", async () => {
    await sb.call("POST", "/__sandbox/faults", {
      key: null,
      headers: { authorization: "Bearer token-a" },
      body: { rules: [{ method: "POST", path: "/qolaba/getTextToImage", fault: "server_error", status: 503, performed: true }] },
    });
    const failed = await sb.call("POST", "/qolaba/getTextToImage", { body: { app_id: "any", prompt: "a fox", celery: true } });
    expect(failed.status).toBe(503);
    expect((await failed.json()).status).toBe("FAILED");
    const calls = await (await sb.call("GET", "/__sandbox/calls?path=/qolaba/getTextToImage", { key: null, headers: { authorization: "Bearer token-a" } })).json();
    expect(calls.data).toEqual([expect.objectContaining({ fault: "server_error", task_id: expect.any(String) })]);
  });

  it("refuses rules that make no sense: `performed` on a 429, a rate limit on a file URL", async () => {
    const performed429 = await setFaults([{ path: "/rendernet/pub/v1/generations", fault: "rate_limit", performed: true }]);
    expect(performed429.status).toBe(400);
    const fileLimit = await setFaults([{ path: "/rendernet/files/*", fault: "rate_limit" }]);
    expect(fileLimit.status).toBe(400);
    expect((await setFaults([{ path: "/rendernet/pub/v1/generations", fault: "server_error", status: 501 }])).status).toBe(400);
    expect((await setFaults(Array.from({ length: 101 }, () => ({ path: "/rendernet/files/*", fault: "latency" })))).status).toBe(400);
  });

  it("faults keyless URLs (files, presigned uploads) for whoever fetches them next; DELETE clears them", async () => {
    await sb.call("POST", "/__sandbox/schedule", { body: { pendingAfterMs: 0, finalAfterMs: 0 } });
    const made = await (await createGen()).json();
    const read = await (await sb.call("GET", `/rendernet/pub/v1/generations/${made.data.generation_id}`)).json();
    const fileUrl = read.data.media[0].url as string;
    await setFaults([
      { method: "GET", path: "/rendernet/files/*", fault: "latency", latencyMs: 150 },
      { method: "GET", path: "/rendernet/files/*", fault: "server_error", status: 503 },
    ]);
    const started = Date.now();
    expect((await sb.handler(new Request(fileUrl))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await sb.handler(new Request(fileUrl))).status).toBe(503);
    expect((await sb.handler(new Request(fileUrl))).status).toBe(200);

    const ticket = await (await sb.call("POST", "/rendernet/pub/v2/assets/upload?type=image", { body: { size: { width: 10, height: 10 } } })).json();
    await setFaults([{ method: "PUT", path: "/rendernet/uploads/*", fault: "server_error", status: 502, times: 5 }]);
    expect((await sb.call("GET", "/__sandbox/faults")).status).toBe(200);
    expect((await (await sb.call("GET", "/__sandbox/faults")).json()).data.rules).toHaveLength(1);
    const put = () => sb.handler(new Request(ticket.data.upload_url, { method: "PUT", body: new Uint8Array([1, 2, 3]) }));
    expect((await put()).status).toBe(502);
    await sb.call("DELETE", "/__sandbox/faults");
    expect((await put()).status).toBe(200);
  });

  it("faults Qolaba paths via the Bearer token and sets a key's schedule", async () => {
    await sb.call("POST", "/__sandbox/faults", { key: null, headers: { authorization: "Bearer token-a" }, body: { rules: [{ path: "/qolaba/getImage", fault: "server_error", status: 502 }] } });
    const failed = await sb.call("POST", "/qolaba/getImage", { body: { id: "x" } });
    expect(failed.status).toBe(502);
    expect((await failed.json()).status).toBe("FAILED");
    await sb.call("POST", "/__sandbox/schedule", { body: { pendingAfterMs: 0, finalAfterMs: 0 } });
    const made = await (await createGen()).json();
    const read = await (await sb.call("GET", `/rendernet/pub/v1/generations/${made.data.generation_id}`)).json();
    expect(read.data.media[0].status).toBe("success");
  });
});

describe("server", () => {
  it("serves over HTTP, streams bodies, and destroys the socket on a lost or cut-off response", async () => {
    const server = await startSandboxServer({ port: 0, dataDir: sb.dataDir, testHooks: true });
    try {
      const models = await fetch(`${server.url}/rendernet/pub/v1/models`, { headers: { "x-api-key": "k" } });
      expect(models.status).toBe(200);
      const thumb = (await models.json()).data[0].thumbnail as string;
      expect(thumb.startsWith(server.url)).toBe(true);
      const forwarded = await fetch(`${server.url}/rendernet/pub/v1/models`, { headers: { "x-api-key": "k", "x-forwarded-host": "studio.example", "x-forwarded-proto": "https" } });
      expect((await forwarded.json()).data[0].thumbnail).toMatch(/^https:\/\/studio\.example\/rendernet\/files\//);
      expect((await fetch(thumb)).headers.get("content-type")).toBe("image/png");
      const qolaba = await fetch(`${server.url}/qolaba/getImage`, { method: "POST", headers: { authorization: "Bearer t", "content-type": "application/json" }, body: JSON.stringify({ id: "x" }) });
      expect((await qolaba.json()).status).toBe("PENDING");

      await fetch(`${server.url}/__sandbox/faults`, {
        method: "POST",
        headers: { "x-api-key": "k", "content-type": "application/json" },
        body: JSON.stringify({ rules: [{ path: "/rendernet/pub/v1/generations", fault: "lost_response" }] }),
      });
      const outcome = await new Promise<string>((resolve) => {
        const req = httpRequest(`${server.url}/rendernet/pub/v1/generations`, { method: "POST", headers: { "x-api-key": "k", "content-type": "application/json" } }, (res) => resolve(`status ${res.statusCode}`));
        req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
        req.end(JSON.stringify(body));
      });
      expect(outcome).toBe("ECONNRESET");

      await fetch(`${server.url}/__sandbox/faults`, {
        method: "POST",
        headers: { "x-api-key": "k", "content-type": "application/json" },
        body: JSON.stringify({ rules: [{ path: "/rendernet/pub/v1/generations", fault: "cut_off" }] }),
      });
      const cut = await fetch(`${server.url}/rendernet/pub/v1/generations`, { method: "POST", headers: { "x-api-key": "k", "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(cut.status).toBe(201);
      await expect(cut.text()).rejects.toThrow();
      const list = await (await fetch(`${server.url}/rendernet/pub/v1/generations`, { headers: { "x-api-key": "k" } })).json();
      expect(list.data).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
