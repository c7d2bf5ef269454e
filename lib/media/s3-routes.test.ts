import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { db } from "@/lib/db";
import { PROVIDER_LINK_SECONDS, providerFetchableUrl, type ResolvedInput } from "@/lib/generations/inputs";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import { signFileToken } from "@/lib/media/signed-url";
import { storage } from "@/lib/storage/storage";
import { makeUser } from "@/test/factories";

// The app's file routes with media in a real object store (the `s3` project: Swift, STORAGE_DRIVER=s3). Only the
// session is faked; the handlers, the rows, PostgreSQL and the bucket are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const mediaRoute = await import("@/app/api/w/[workspace]/media/[mediaId]/[variant]/route");
const assetRoute = await import("@/app/api/w/[workspace]/assets/[assetId]/[variant]/route");
const filesRoute = await import("@/app/api/files/[token]/route");
const mediaFile = mediaRoute.GET as Handler;
const s3 = inject("s3");

const original = randomBytes(300_000);
const thumb = randomBytes(2_000);
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let mediaId: string;
let storageKey: string;

const get = (handler: Handler, path: string, params: Record<string, string>, headers: Record<string, string> = {}, method = "GET") =>
  handler(new Request(`http://atelier.test${path}`, { method, headers }), { params: Promise.resolve(params) });
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

beforeAll(async () => {
  alice = await makeUser("Alice S3");
  bob = await makeUser("Bob S3");
  const workspaceId = alice.personal.id;
  const generation = await db.generation.create({
    data: { workspaceId, tool: "IMAGE", provider: "RENDERNET", idempotencyKey: crypto.randomUUID(), params: {} },
  });
  const media = await db.media.create({
    data: { workspaceId, generationId: generation.id, position: 0, kind: "IMAGE", tool: "IMAGE", status: "READY", prompt: "A lighthouse at dusk", mimeType: "image/png" },
  });
  mediaId = media.id;
  storageKey = `ws/${workspaceId}/gen/${generation.id}/${media.id}.png`;
  const thumbKey = `ws/${workspaceId}/gen/${generation.id}/${media.id}.thumb.webp`;
  await storage().put(storageKey, original, { contentType: "image/png" });
  await storage().put(thumbKey, thumb, { contentType: "image/webp" });
  await db.media.update({ where: { id: media.id }, data: { storageKey, thumbKey, bytes: original.byteLength } });
});

describe("file routes on an object store", () => {
  it("streams originals and thumbnails shown in the page from the app's own origin, ranges included", async () => {
    session.userId = alice.id;
    const params = { workspace: alice.personal.slug, mediaId, variant: "original" };
    const whole = await get(mediaFile, "/", params);
    expect([whole.status, whole.headers.get("content-type"), whole.headers.get("content-length")]).toEqual([200, "image/png", String(original.byteLength)]);
    expect(whole.headers.get("content-disposition")).toMatch(/^inline; filename="\d{4}-\d{2}-\d{2}-a-lighthouse-at-dusk-/);
    expect((await bytesOf(whole)).equals(original)).toBe(true);
    const part = await get(mediaFile, "/", params, { range: "bytes=1000-1999" });
    expect([part.status, part.headers.get("content-range")]).toEqual([206, `bytes 1000-1999/${original.byteLength}`]);
    expect((await bytesOf(part)).equals(original.subarray(1000, 2000))).toBe(true);
    const small = await get(mediaFile, "/", { ...params, variant: "thumb" });
    expect([small.status, small.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect((await bytesOf(small)).equals(thumb)).toBe(true);
  });

  it("redirects a member's download to a presigned link of minutes that names the file, and nobody else's", async () => {
    session.userId = alice.id;
    const params = { workspace: alice.personal.slug, mediaId, variant: "original" };
    const answer = await get(mediaFile, "/?download=1", params);
    expect([answer.status, answer.headers.get("cache-control")]).toEqual([302, "no-store"]);
    const location = new URL(answer.headers.get("location")!);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.searchParams.get("X-Amz-Expires")).toBe("300");
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="\d{4}-\d{2}-\d{2}-a-lighthouse-at-dusk-[a-z0-9]{6}\.png"/);
    expect((await bytesOf(download)).equals(original)).toBe(true);
    // A HEAD is answered here, with the same attachment header.
    const head = await get(mediaFile, "/?download=1", params, {}, "HEAD");
    expect([head.status, head.headers.get("content-disposition")?.startsWith("attachment;")]).toEqual([200, true]);

    // Bob, in his own workspace or in Alice's: not found, and no link.
    session.userId = bob.id;
    for (const workspace of [bob.personal.slug, alice.personal.slug]) {
      const refused = await get(mediaFile, "/?download=1", { ...params, workspace });
      expect([refused.status, refused.headers.get("location")]).toEqual([404, null]);
    }
    session.userId = null;
    const signedOut = await get(mediaFile, "/?download=1", params);
    expect([signedOut.status, signedOut.headers.get("location")]).toEqual([404, null]);
  });

  it("answers 404 for a download whose object is gone from the bucket, as for a missing file", async () => {
    session.userId = alice.id;
    const generation = await db.generation.create({
      data: { workspaceId: alice.personal.id, tool: "IMAGE", provider: "RENDERNET", idempotencyKey: crypto.randomUUID(), params: {} },
    });
    const gone = await db.media.create({
      data: { workspaceId: alice.personal.id, generationId: generation.id, position: 0, kind: "IMAGE", tool: "IMAGE", status: "READY",
        mimeType: "image/png", storageKey: `ws/${alice.personal.id}/gen/${generation.id}/gone.png` },
    });
    const answer = await get(mediaFile, "/?download=1", { workspace: alice.personal.slug, mediaId: gone.id, variant: "original" });
    expect([answer.status, answer.headers.get("location")]).toEqual([404, null]);
  });

  it("streams uploaded assets and signed provider links from the bucket", async () => {
    session.userId = alice.id;
    const key = `ws/${alice.personal.id}/assets/a1.png`;
    await storage().put(key, original, { contentType: "image/png" });
    const asset = await db.asset.create({
      data: { workspaceId: alice.personal.id, kind: "IMAGE", name: "ref.png", storageKey: key, mimeType: "image/png", bytes: original.byteLength, checksum: "x" },
    });
    const answer = await get(assetRoute.GET as Handler, "/", { workspace: alice.personal.slug, assetId: asset.id, variant: "original" });
    expect([answer.status, answer.headers.get("content-disposition")]).toEqual([200, `inline; filename="ref.png"; filename*=UTF-8''ref.png`]);
    expect((await bytesOf(answer)).equals(original)).toBe(true);
    const signed = await get(filesRoute.GET as Handler, "/", { token: signFileToken(key, 60) });
    expect((await bytesOf(signed)).equals(original)).toBe(true);
  });

  it("gives a real provider a presigned link to an input, valid for an hour, that the bucket answers", async () => {
    const input = { storageKey, mimeType: "image/png" } as ResolvedInput;
    const url = new URL((await providerFetchableUrl({ sandbox: false } as WorkspaceConnection, alice.personal.id, input))!);
    expect(url.origin).toBe(s3.endpoint);
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(PROVIDER_LINK_SECONDS));
    const fetched = await fetch(url);
    expect([fetched.status, fetched.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect((await bytesOf(fetched)).equals(original)).toBe(true);
  });
});
