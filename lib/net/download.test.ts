import type http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DownloadHttpError, downloadChecked, type DownloadOptions } from "@/lib/net/download";
import { findOutboundRefusal, type OutboundRefusedError } from "@/lib/net/errors";
import { parseHostPatterns } from "@/lib/net/host-patterns";
import { createOutboundFetch, type OutboundFetch } from "@/lib/net/outbound-fetch";
import { guardedConnect, startCanary, startServer, tableResolver, type GuardedConnect, type TestServer } from "@/lib/net/test-support";

// Loopback only: 127.0.0.1 is the allow-listed "provider file host"; the canary listens on 127.0.0.2, which the
// allow list does not name. Names are answered by an injected resolver.

let files: TestServer;
let canary: TestServer;
let guard: GuardedConnect;
const clients: OutboundFetch[] = [];
let streamed: { closedEarly: boolean; bytesWritten: number } | null = null;
let streamDone: Promise<void> = Promise.resolve();

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://x");
  const hop = (location: string) => {
    res.writeHead(302, { Location: location });
    res.end();
  };
  switch (url.pathname) {
    case "/file.png":
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": PNG.length });
      return res.end(PNG);
    case "/to-canary":
      return hop(`${canary.url}/secret`);
    case "/to-canary-by-name":
      return hop(`http://canary.files.test:${canary.port}/secret`);
    case "/to-other-host":
      return hop(`http://elsewhere.test:${files.port}/file.png`);
    case "/to-file":
      return hop(`http://files.test:${files.port}/file.png`);
    case "/loop":
      return hop("/loop");
    case "/declared-huge":
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": String(10 * 1024 * 1024) });
      return res.end(PNG); // lies; the declared size alone is refused
    case "/endless": {
      // No Content-Length: chunks until the client goes away (bounded: at most 8 MB, 2 s).
      res.writeHead(200, { "Content-Type": "image/png" });
      const state = { closedEarly: false, bytesWritten: 0 };
      streamed = state;
      streamDone = new Promise<void>((resolve) => {
        const chunk = Buffer.alloc(16 * 1024, 1);
        const started = Date.now();
        const timer = setInterval(() => {
          if (res.destroyed || res.writableEnded) return;
          if (state.bytesWritten >= 8 * 1024 * 1024 || Date.now() - started > 2_000) {
            clearInterval(timer);
            res.end();
            return;
          }
          res.write(chunk);
          state.bytesWritten += chunk.length;
        }, 2);
        res.on("close", () => {
          clearInterval(timer);
          state.closedEarly = !res.writableFinished;
          resolve();
        });
      });
      return;
    }
    case "/slow":
      return void setTimeout(() => res.end("late"), 1_500);
    case "/missing":
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("internal banner: secret-service v1.2");
    default:
      res.writeHead(404);
      return res.end();
  }
}

beforeAll(async () => {
  files = await startServer(handler, "127.0.0.1");
  canary = await startCanary("127.0.0.2");
});
afterAll(async () => {
  await files.close();
  await canary.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  expect(guard.violations).toEqual([]);
  expect(canary.hits).toEqual([]);
});

function setup(hosts = "files.test", extra: Partial<DownloadOptions> = {}): DownloadOptions {
  guard = guardedConnect();
  const resolve = tableResolver({ "files.test": ["127.0.0.1"], "elsewhere.test": ["127.0.0.1"], "canary.files.test": ["127.0.0.2"] });
  const outbound = createOutboundFetch({ allow: "127.0.0.1/32", resolve, connect: guard.connect });
  clients.push(outbound);
  return { fetch: outbound, allowedHosts: parseHostPatterns(hosts), maxBytes: 64 * 1024, timeoutMs: 5_000, ...extra };
}

async function refused(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => expect.unreachable("the download was not refused"),
    (e: unknown) => e,
  );
  const found = findOutboundRefusal(error);
  if (!found) throw error;
  return found;
}

describe("downloadChecked", () => {
  it("downloads from an allowed host", async () => {
    const result = await downloadChecked(`http://files.test:${files.port}/file.png`, setup());
    expect(Buffer.from(result.bytes).equals(PNG)).toBe(true);
    expect(result.contentType).toBe("image/png");
  });

  it("refuses a host outside the provider's hosts without connecting", async () => {
    const options = setup("files.test");
    const before = files.hits.length;
    expect((await refused(downloadChecked(`http://elsewhere.test:${files.port}/file.png`, options))).kind).toBe("host_not_allowed");
    expect((await refused(downloadChecked(`${canary.url}/secret`, options))).kind).toBe("host_not_allowed");
    expect((await refused(downloadChecked(`http://127.0.0.1:${files.port}/file.png`, options))).kind).toBe("host_not_allowed");
    expect(files.hits.length).toBe(before);
    expect(guard.attempts).toEqual([]);
  });

  it("re-checks every redirect hop: host list, then address", async () => {
    // To a host that is not the provider's: refused before connecting to it.
    expect((await refused(downloadChecked(`http://files.test:${files.port}/to-other-host`, setup("files.test")))).kind).toBe("host_not_allowed");
    expect((await refused(downloadChecked(`http://files.test:${files.port}/to-canary`, setup("files.test")))).kind).toBe("host_not_allowed");
    // To an allowed host name whose address is not allowed: refused by the address check.
    const open = setup("files.test, *.files.test");
    expect((await refused(downloadChecked(`http://files.test:${files.port}/to-canary-by-name`, open))).kind).toBe("private_address");
    // Within the allowed hosts: followed.
    const followed = await downloadChecked(`http://files.test:${files.port}/to-file`, setup());
    expect(Buffer.from(followed.bytes).equals(PNG)).toBe(true);
  });

  it("follows no redirect when told so, and stops a loop", async () => {
    expect((await refused(downloadChecked(`http://files.test:${files.port}/to-file`, setup("files.test", { maxRedirects: 0 })))).kind).toBe("redirect");
    const before = files.hits.length;
    expect((await refused(downloadChecked(`http://files.test:${files.port}/loop`, setup()))).kind).toBe("redirect");
    expect(files.hits.length - before).toBe(4); // the first request and 3 hops
  });

  it("refuses a declared size over the cap before reading the body", async () => {
    expect((await refused(downloadChecked(`http://files.test:${files.port}/declared-huge`, setup()))).kind).toBe("too_large");
  });

  it("counts the size while streaming without Content-Length, and closes the connection past the cap", async () => {
    const error = await refused(downloadChecked(`http://files.test:${files.port}/endless`, setup("files.test", { maxBytes: 64 * 1024 })));
    expect(error.kind).toBe("too_large");
    await streamDone;
    expect(streamed?.closedEarly).toBe(true);
    expect(streamed?.bytesWritten).toBeLessThan(8 * 1024 * 1024);
  });

  it("times out, honours the caller's abort, and reports an HTTP error by its status only", async () => {
    await expect(downloadChecked(`http://files.test:${files.port}/slow`, setup("files.test", { timeoutMs: 200 }))).rejects.toMatchObject({ name: "TimeoutError" });
    const controller = new AbortController();
    const pending = downloadChecked(`http://files.test:${files.port}/slow`, setup("files.test", { signal: controller.signal }));
    controller.abort(new Error("stopped by the caller"));
    await expect(pending).rejects.toThrow("stopped by the caller");
    const missing = await downloadChecked(`http://files.test:${files.port}/missing`, setup()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DownloadHttpError);
    expect((missing as Error).message).toBe("download failed: HTTP 404");
  });

  it("allows an in-process origin exactly, and nothing else on its host", async () => {
    const handed: string[] = [];
    const inProcess: typeof fetch = async (input) => {
      handed.push(String(input));
      return new Response(PNG, { headers: { "Content-Type": "image/png" } });
    };
    const options: DownloadOptions = { fetch: inProcess, allowedHosts: [], allowedOrigins: ["http://studio.test:3000"], maxBytes: 1024 };
    guard = guardedConnect();
    expect((await downloadChecked("http://studio.test:3000/sandbox/files/a.png", options)).bytes.byteLength).toBe(PNG.length);
    expect((await refused(downloadChecked("http://studio.test:3001/sandbox/files/a.png", options))).kind).toBe("host_not_allowed");
    expect((await refused(downloadChecked("file:///etc/passwd", options))).kind).toBe("bad_scheme");
    expect(handed).toEqual(["http://studio.test:3000/sandbox/files/a.png"]);
  });

  it("honours the caller's abort even when the fetch ignores its signal (an in-process handler): answer or body", async () => {
    const options = (signal: AbortSignal, fetchImpl: typeof fetch): DownloadOptions => ({
      fetch: fetchImpl,
      allowedHosts: [],
      allowedOrigins: ["http://studio.test:3000"],
      maxBytes: 1024,
      signal,
    });
    const slowAnswer: typeof fetch = () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(PNG)), 10_000));
    const endlessBody: typeof fetch = async () =>
      new Response(new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(PNG.subarray(0, 4)) }), { headers: { "Content-Type": "image/png" } });
    for (const answer of [slowAnswer, endlessBody]) {
      const controller = new AbortController();
      let fetched = 0;
      const fetchImpl: typeof fetch = (...args) => ((fetched += 1), answer(...args));
      const started = Date.now();
      const pending = downloadChecked("http://studio.test:3000/sandbox/files/a.png", options(controller.signal, fetchImpl));
      // The abort comes once the request is in the fetch's hands, where only the download's own watch can end it.
      await expect.poll(() => fetched).toBe(1);
      controller.abort(new Error("lease lost"));
      await expect(pending).rejects.toThrow("lease lost");
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });
});
