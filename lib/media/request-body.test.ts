import { describe, expect, it, vi } from "vitest";
import { makeUser } from "@/test/factories";
import { closingUnlessRead, readBody, RequestBodyError } from "@/lib/media/request-body";

// The session is faked, and so is Auth.js's own handler (to see what it is given); everything else is real.
const session = vi.hoisted(() => ({ userId: null as string | null, authBodies: [] as string[] }));
vi.mock("@/lib/auth/auth", () => ({
  auth: async () => (session.userId ? { userId: session.userId } : null),
  handlers: {
    GET: async () => new Response("get"),
    POST: async (request: Request) => {
      session.authBodies.push(await request.text());
      return new Response("auth.js answered", { status: 302, headers: { location: "/" } });
    },
  },
}));

const { POST: zip } = await import("@/app/api/w/[workspace]/media/zip/route");
const { POST: authPost } = await import("@/app/api/auth/[...nextauth]/route");

const KB = 1024;

/** A body pulled in `chunk`-byte pieces of `text`, repeated up to `total` bytes (Infinity: no end). */
function pulled(text: string, total: number, chunk = 16 * KB) {
  const bytes = new TextEncoder().encode(text);
  let position = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (position >= total) return controller.close();
        const size = Math.min(chunk, total - position);
        const piece = new Uint8Array(size).map((_, i) => bytes[(position + i) % bytes.length]!);
        position += size;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => position };
}

const request = (url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBody", () => {
  it("reads a body within its cap, and marks it read so the connection stays open", async () => {
    const body = pulled("ids=a,b", 7);
    const req = request("http://x.test/", body.stream);
    expect(new TextDecoder().decode(await readBody(req, 64, "too large"))).toBe("ids=a,b");
    expect(closingUnlessRead(req, new Response("ok")).headers.get("connection")).toBeNull();
  });

  it("stops at the chunk that passes the cap, with or without a declared length", async () => {
    const chunked = pulled("x", Infinity);
    const req = request("http://x.test/", chunked.stream);
    await expect(readBody(req, 64 * KB, "too large")).rejects.toEqual(new RequestBodyError("too large", 413));
    expect(chunked.pulled()).toBe(64 * KB + 16 * KB);
    expect(closingUnlessRead(req, new Response("no")).headers.get("connection")).toBe("close");

    const declared = pulled("x", 10 * 1024 * KB);
    await expect(readBody(request("http://x.test/", declared.stream, { "content-length": String(10 * 1024 * KB) }), 64 * KB, "too large")).rejects.toMatchObject({ status: 413 });
    expect(declared.pulled()).toBe(0);
  });
});

describe("the zip download's form is read after the checks, and at most 64 KB of it", () => {
  it("refuses another site's post, a stranger and a signed-out caller before reading a byte", async () => {
    const owner = await makeUser("Zed Zipper");
    const stranger = await makeUser("Stan Stranger");
    const slug = owner.personal.slug;
    const call = async (userId: string | null, headers: Record<string, string>) => {
      session.userId = userId;
      const body = pulled("ids=abc,", Infinity);
      const response = await zip(request(`http://atelier.test/api/w/${slug}/media/zip`, body.stream, { "content-type": "application/x-www-form-urlencoded", ...headers }), {
        params: Promise.resolve({ workspace: slug }),
      });
      return { status: response.status, connection: response.headers.get("connection"), pulled: body.pulled(), body: await response.json() };
    };
    expect(await call(owner.id, { origin: "https://evil.example", host: "atelier.test" })).toEqual({
      status: 403,
      connection: "close",
      pulled: 0,
      body: { error: "This request must come from Atelier's own pages." },
    });
    expect(await call(stranger.id, { origin: "http://atelier.test", host: "atelier.test" })).toMatchObject({ status: 404, connection: "close", pulled: 0 });
    expect(await call(null, { origin: "http://atelier.test", host: "atelier.test" })).toMatchObject({ status: 404, connection: "close", pulled: 0 });

    // The owner, same origin: an endless form is cut at 64 KB (413); a real one is read whole and answered.
    const endless = await call(owner.id, { origin: "http://atelier.test", host: "atelier.test" });
    expect(endless).toMatchObject({ status: 413, connection: "close", body: { error: "That download request is too large: download at most 500 items at a time." } });
    expect(endless.pulled).toBeLessThanOrEqual(64 * KB + 16 * KB);
    session.userId = owner.id;
    const small = pulled("ids=nothing-here", 16);
    const answer = await zip(request(`http://atelier.test/api/w/${slug}/media/zip`, small.stream, { "content-type": "application/x-www-form-urlencoded", origin: "http://atelier.test", host: "atelier.test" }), {
      params: Promise.resolve({ workspace: slug }),
    });
    expect([answer.status, answer.headers.get("connection"), await answer.json()]).toEqual([404, null, { error: "None of those items has a file to download." }]);
  });
});

describe("Auth.js's POST bodies are capped before Auth.js reads them", () => {
  it("passes a small form through unchanged and refuses an endless one at 64 KB", async () => {
    session.authBodies.length = 0;
    const { NextRequest } = await import("next/server");
    const form = "csrfToken=abc&callbackUrl=%2Fw%2Facme";
    const small = await authPost(new NextRequest("http://atelier.test/api/auth/signout", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(small.status).toBe(302);
    expect(session.authBodies).toEqual([form]);

    const body = pulled("a", Infinity);
    const big = await authPost(new NextRequest("http://atelier.test/api/auth/callback/credentials", { method: "POST", body: body.stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]));
    expect([big.status, big.headers.get("connection"), await big.json()]).toEqual([413, "close", { error: "That request is too large." }]);
    expect(body.pulled()).toBeLessThanOrEqual(64 * KB + 16 * KB);
    expect(session.authBodies).toHaveLength(1);
  });
});
