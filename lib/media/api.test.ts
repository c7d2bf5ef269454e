import fc from "fast-check";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { makeUser } from "@/test/factories";
import { hostileRequests, junk } from "@/test/hostile-values";

// The session is the only thing faked: the route handlers, the workspace, its rows and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null, calls: 0 }));
vi.mock("@/lib/auth/auth", () => ({
  auth: async () => {
    session.calls++;
    return session.userId ? { userId: session.userId } : null;
  },
}));

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes = {
  assets: (await import("@/app/api/w/[workspace]/assets/route")).GET as Handler,
  assetLibrary: (await import("@/app/api/w/[workspace]/assets/library/route")).GET as Handler,
  assetFile: (await import("@/app/api/w/[workspace]/assets/[assetId]/[variant]/route")).GET as Handler,
  audit: (await import("@/app/api/w/[workspace]/audit/route")).GET as Handler,
  boards: (await import("@/app/api/w/[workspace]/boards/route")).GET as Handler,
  gallery: (await import("@/app/api/w/[workspace]/gallery/route")).GET as Handler,
  facets: (await import("@/app/api/w/[workspace]/gallery/facets/route")).GET as Handler,
  generations: (await import("@/app/api/w/[workspace]/generations/route")).GET as Handler,
  media: (await import("@/app/api/w/[workspace]/media/route")).GET as Handler,
  mediaDetail: (await import("@/app/api/w/[workspace]/media/[mediaId]/detail/route")).GET as Handler,
  mediaFile: (await import("@/app/api/w/[workspace]/media/[mediaId]/[variant]/route")).GET as Handler,
  signedFile: (await import("@/app/api/files/[token]/route")).GET as Handler,
  batch: (await import("@/app/api/w/[workspace]/batches/[batchId]/route")).GET as Handler,
};

let slug: string;

beforeAll(async () => {
  const owner = await makeUser("Route Tester");
  slug = owner.personal.slug;
  session.userId = owner.id;
});

beforeEach(() => {
  session.calls = 0;
});

/** Calls a handler the way Next does: the query string URL-encoded, the path parameters already decoded. */
async function call(handler: Handler, params: Record<string, string>, query: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const url = new URL("http://atelier.test/api");
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  const response = await handler(new Request(url), { params: Promise.resolve(params) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a stored file, not JSON
  }
  return { status: response.status, body };
}

describe("the workspace API answers hostile addresses with a 4xx and a sentence, never a 500", () => {
  it("refuses NUL and other control characters in path parameters and query strings before any lookup", async () => {
    for (const [handler, params, query] of [
      [routes.gallery, { workspace: slug }, { model: "a\u0000b" }],
      [routes.gallery, { workspace: slug }, { ["q\u0000"]: "x" }],
      [routes.mediaDetail, { workspace: slug, mediaId: "\u0000" }, {}],
      [routes.assetFile, { workspace: slug, assetId: "abc\u0001", variant: "original" }, {}],
      [routes.boards, { workspace: "acme\u0000" }, {}],
    ] as const) {
      expect(await call(handler, params, query)).toEqual({
        status: 400,
        body: { error: "The address contains characters that can't be stored (control characters such as NUL)." },
      });
    }
    expect(session.calls).toBe(0); // not even the session was read
  });

  it("answers a slug that can't be one, and an id that can't be one, as not found", async () => {
    for (const workspace of ["%00", "Acme", "a".repeat(65), "../etc", "acme studio"]) {
      expect(await call(routes.boards, { workspace })).toEqual({ status: 404, body: { error: "Not found." } });
    }
    expect(session.calls).toBe(0);
    const lookups = vi.spyOn(db.media, "findFirst");
    try {
      expect(await call(routes.mediaDetail, { workspace: slug, mediaId: "a".repeat(65) })).toEqual({ status: 404, body: { error: "That item was not found." } });
      expect(await call(routes.mediaFile, { workspace: slug, mediaId: "../../etc/passwd", variant: "original" })).toEqual({ status: 404, body: { error: "Not found." } });
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
  });

  it("reads cursors it can't use as the start, refuses dates out of range and limits that aren't numbers", async () => {
    const year33658 = Buffer.from("999999999999999.abc").toString("base64url");
    const bigintOverflow = Buffer.from("1700000000000.9999999999999999999").toString("base64url");
    expect((await call(routes.gallery, { workspace: slug }, { cursor: year33658 })).status).toBe(200);
    expect((await call(routes.assetLibrary, { workspace: slug }, { cursor: year33658 })).status).toBe(200);
    expect((await call(routes.audit, { workspace: slug }, { cursor: bigintOverflow })).status).toBe(200);
    expect(await call(routes.audit, { workspace: slug }, { from: "0000-01-01" })).toEqual({ status: 422, body: { error: "The start date must be between 2000-01-01 and 9999-12-31." } });
    expect((await call(routes.audit, { workspace: slug }, { to: "9999-12-31" })).status).toBe(200);
    expect((await call(routes.gallery, { workspace: slug }, { from: "0000-01-01", to: "9999-12-31" })).status).toBe(200);
    for (const limit of ["1e400", "-5", "abc", "1.5"]) {
      expect(await call(routes.generations, { workspace: slug }, { limit })).toEqual({ status: 400, body: { error: "“limit” must be a whole number from 1 to 100." } });
      expect((await call(routes.assets, { workspace: slug }, { limit })).status).toBe(400);
      expect((await call(routes.media, { workspace: slug }, { limit })).status).toBe(400);
    }
    expect((await call(routes.generations, { workspace: slug }, { limit: "100000" })).status).toBe(200); // clamped
  });

  it("holds for any value in any parameter (property test over every route handler)", async () => {
    const cases: [string, Handler, string[], string[]][] = [
      ["assets", routes.assets, [], ["kind", "limit"]],
      ["asset library", routes.assetLibrary, [], ["type", "cursor"]],
      ["asset file", routes.assetFile, ["assetId", "variant"], []],
      ["audit", routes.audit, [], ["action", "member", "from", "to", "cursor"]],
      ["boards", routes.boards, [], []],
      ["gallery", routes.gallery, [], ["q", "tool", "kind", "model", "status", "member", "board", "favorites", "from", "to", "sort", "view", "cursor"]],
      ["facets", routes.facets, [], []],
      ["generations", routes.generations, [], ["limit", "active"]],
      ["media", routes.media, [], ["kind", "limit"]],
      ["media detail", routes.mediaDetail, ["mediaId"], []],
      ["media file", routes.mediaFile, ["mediaId", "variant"], ["download"]],
      ["signed file", routes.signedFile, ["token"], []],
      ["batch", routes.batch, ["batchId"], []],
    ];
    let requests = 0;
    for (const [index, [name, handler, pathNames, queryNames]] of cases.entries()) {
      const samples = hostileRequests(pathNames, queryNames, { runsPerParameter: 12, allHostileRuns: 12, seed: 4_242 + index * 100 });
      // The workspace is one the caller belongs to, so the values reach the queries; a few times a hostile one.
      const workspaces = name === "signed file" ? [null] : [slug, ...fc.sample(junk, { seed: index, numRuns: 4 })];
      for (const [i, params] of samples.entries()) {
        const workspace = workspaces[i % 5 === 4 ? 1 + (i % (workspaces.length - 1 || 1)) : 0] ?? null;
        const { status, body } = await call(handler, workspace === null ? params.path : { workspace, ...params.path }, params.query);
        const what = `${name} ${JSON.stringify({ workspace, ...params })}`;
        expect(status, what).toBeLessThan(500);
        if (status >= 400) expect(body, what).toEqual({ error: expect.any(String) });
        requests++;
      }
    }
    expect(requests).toBeGreaterThan(400);
  });
});

describe("state-changing requests must come from Atelier's own pages", () => {
  const zip = async () => (await import("@/app/api/w/[workspace]/media/zip/route")).POST as Handler;
  const post = (headers: Record<string, string>) =>
    new Request("http://atelier.test/api/w/x/media/zip", { method: "POST", headers: { host: "atelier.test", "content-type": "application/x-www-form-urlencoded", ...headers }, body: "ids=a" });

  it("answers 403 to another site, and to a request that names no origin, before the session is read", async () => {
    const variants: Record<string, string>[] = [{ origin: "https://evil.test" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, {}];
    for (const headers of variants) {
      const response = await (await zip())(post(headers), { params: Promise.resolve({ workspace: slug }) });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: "This request must come from Atelier's own pages." });
    }
    expect(session.calls).toBe(0);
  });

  it("lets Atelier's own pages through", async () => {
    const response = await (await zip())(post({ origin: "http://atelier.test" }), { params: Promise.resolve({ workspace: slug }) });
    expect(response.status).toBe(404); // none of those ids has a file: the origin check passed
  });
});
