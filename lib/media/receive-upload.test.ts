import { mkdtempSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage/storage";
import { makeMp4, makePng } from "@/sandbox/test-support";
import { addMember, makeTeam, makeUser } from "@/test/factories";

// Uploads are spooled to os.tmpdir(), which follows TMPDIR: a folder of this file's own, so the test can prove that
// every path (stored, refused, abandoned) leaves nothing behind. Media goes to a folder of its own too.
const spoolDir = mkdtempSync(path.join(tmpdir(), "atelier-spool-test-"));
const mediaDir = mkdtempSync(path.join(tmpdir(), "atelier-upload-media-"));
const originalTmp = process.env.TMPDIR;
process.env.TMPDIR = spoolDir;
process.env.MEDIA_DIR = mediaDir;

// The session is the only thing faked: the route handler, busboy, the files, the rows and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));

const { POST } = await import("@/app/api/w/[workspace]/assets/route");

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const BOUNDARY = "----atelier-test-boundary";

let slug: string;
let workspaceId: string;
const people = { member: "", viewer: "", stranger: "" };

beforeAll(async () => {
  const owner = await makeUser("Ulla Uploader");
  const team = await makeTeam(owner.id);
  slug = team.slug;
  workspaceId = team.id;
  const member = await makeUser("Mo Member");
  const viewer = await makeUser("Vi Viewer");
  const stranger = await makeUser("Stan Stranger");
  await addMember(team.id, member.id, "MEMBER");
  await addMember(team.id, viewer.id, "VIEWER");
  Object.assign(people, { member: member.id, viewer: viewer.id, stranger: stranger.id });
});

beforeEach(() => {
  session.userId = people.member;
});

afterAll(async () => {
  process.env.TMPDIR = originalTmp;
  await rm(spoolDir, { recursive: true, force: true });
  await rm(mediaDir, { recursive: true, force: true });
});

/**
 * A multipart body that is pulled, never pushed: each read of the request's body takes one chunk, and `pulled()`
 * says how many bytes the server has read so far. `fill` zero bytes follow the file's first bytes (Infinity: a
 * body with no end); `failAfter` makes the client vanish after that many bytes.
 */
function multipart(file: { head: Uint8Array; fill?: number; name?: string; type?: string; field?: string; close?: boolean; failAfter?: number }) {
  const encoder = new TextEncoder();
  const opening = encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.name ?? "upload.bin"}"\r\nContent-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`,
  );
  const closing = encoder.encode(`\r\n--${BOUNDARY}--\r\n`);
  const total = file.fill === Infinity ? Infinity : opening.length + file.head.length + (file.fill ?? 0) + (file.close === false ? 0 : closing.length);
  const prefix = new Uint8Array([...opening, ...file.head]);
  let position = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (file.failAfter !== undefined && position >= file.failAfter) {
          controller.error(new Error("client went away"));
          return;
        }
        if (position >= total) {
          controller.close();
          return;
        }
        let chunk: Uint8Array;
        if (position < prefix.length) chunk = prefix.subarray(position, position + CHUNK);
        else if (position < prefix.length + (file.fill ?? 0)) chunk = new Uint8Array(Math.min(CHUNK, prefix.length + (file.fill ?? 0) - position));
        else chunk = closing.subarray(position - prefix.length - (file.fill ?? 0));
        position += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => position, length: total };
}

async function post(body: ReturnType<typeof multipart>, headers: Record<string, string> = {}) {
  const request = new Request(`http://atelier.test/api/w/${slug}/assets`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, origin: "http://atelier.test", ...headers },
    body: body.stream,
    duplex: "half",
  } as RequestInit);
  const response = await POST(request, { params: Promise.resolve({ workspace: slug }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, connection: response.headers.get("connection") };
}

const spooled = () => readdir(spoolDir);
const assetCount = () => db.asset.count({ where: { workspaceId } });

/** The first bytes of an MP4 whose media data claims `size` bytes: a valid start, so only the cap can stop it. */
function mp4Start(size: number): Uint8Array {
  const ftyp = Buffer.from([0, 0, 0, 24, ...Buffer.from("ftypisom"), 0, 0, 2, 0, ...Buffer.from("isomiso2")]);
  const mdat = Buffer.alloc(16);
  mdat.writeUInt32BE(1, 0); // size 1: a 64-bit size follows
  mdat.write("mdat", 4, "latin1");
  mdat.writeBigUInt64BE(BigInt(size), 8);
  return new Uint8Array(Buffer.concat([ftyp, mdat, Buffer.alloc(64)]));
}

describe("uploads are received as a stream, checked and capped while they arrive", () => {
  it("stores an image and a video sent chunked, keeps the connection, and leaves no temporary file", async () => {
    const png = await makePng(40, 30);
    const image = await post(multipart({ head: png, name: "photo.png", type: "image/png" }));
    expect(image).toMatchObject({ status: 201, body: { name: "photo.png", kind: "IMAGE", width: 40, height: 30 }, connection: null });

    const mp4 = await makeMp4(64, 48, 12, 12);
    const video = await post(multipart({ head: mp4, name: "clip.mp4", type: "video/mp4" }));
    expect(video).toMatchObject({ status: 201, body: { name: "clip.mp4", kind: "VIDEO", width: 64, height: 48, durationMs: 1000 }, connection: null });
    // A video is stored as uploaded, byte for byte, from the spooled file.
    const row = await db.asset.findFirstOrThrow({ where: { id: video.body.id as string }, select: { storageKey: true, bytes: true, thumbKey: true } });
    expect(row.bytes).toBe(mp4.length);
    const stored = await storage().get(row.storageKey);
    expect(Buffer.from(await new Response(stored!.stream).arrayBuffer()).equals(mp4)).toBe(true);
    expect(row.thumbKey).not.toBeNull();
    expect(await spooled()).toEqual([]);
  });

  it("stops reading an image at its 25 MB cap when no length was declared", async () => {
    const before = await assetCount();
    const body = multipart({ head: await makePng(10, 10), fill: Infinity, name: "big.png", type: "image/png" });
    expect(await post(body)).toEqual({ status: 413, body: { error: "Images can be at most 25 MB." }, connection: "close" });
    // Read up to the cap and (at most) a few chunks in flight, not a byte more: the body had no end.
    expect(body.pulled()).toBeGreaterThan(25 * MB);
    expect(body.pulled()).toBeLessThan(25 * MB + 4 * CHUNK);
    expect(await spooled()).toEqual([]);
    expect(await assetCount()).toBe(before);
  });

  it("stops reading a video at its 200 MB cap when no length was declared", async () => {
    const body = multipart({ head: mp4Start(300 * MB), fill: Infinity, name: "long.mp4", type: "video/mp4" });
    expect(await post(body)).toEqual({ status: 413, body: { error: "Videos can be at most 200 MB." }, connection: "close" });
    expect(body.pulled()).toBeGreaterThan(200 * MB);
    expect(body.pulled()).toBeLessThan(200 * MB + 4 * CHUNK);
    expect(await spooled()).toEqual([]);
  });

  it("refuses a declared length over the cap without reading a byte", async () => {
    const body = multipart({ head: mp4Start(300 * MB), fill: 300 * MB, name: "long.mp4" });
    expect(await post(body, { "content-length": String(body.length) })).toEqual({ status: 413, body: { error: "Files can be at most 200 MB." }, connection: "close" });
    expect(body.pulled()).toBe(0);
  });

  it("refuses a viewer, a stranger and a signed-out caller before reading a byte", async () => {
    for (const [userId, status] of [
      [people.viewer, 403],
      [people.stranger, 404],
      [null, 404],
    ] as const) {
      session.userId = userId;
      const body = multipart({ head: mp4Start(300 * MB), fill: Infinity, name: "clip.mp4" });
      const answer = await post(body);
      expect(answer).toMatchObject({ status, connection: "close" });
      expect(answer.body).toEqual({ error: expect.any(String) });
      expect(body.pulled()).toBe(0);
    }
    expect(await spooled()).toEqual([]);
  });

  it("refuses content it can't read from the first bytes, without reading on", async () => {
    const html = new TextEncoder().encode("<html><body>not a picture</body></html>".padEnd(400, " "));
    const body = multipart({ head: html, fill: Infinity, name: "cat.png", type: "image/png" });
    const answer = await post(body);
    expect(answer).toMatchObject({ status: 415, connection: "close" });
    expect(answer.body.error).toMatch(/^“cat\.png” is named like a PNG image, but its content is not a file Atelier can read/);
    expect(body.pulled()).toBeLessThanOrEqual(4 * CHUNK);
    // A PNG named .mp4: refused the same way, from its first bytes.
    const lying = multipart({ head: await makePng(10, 10), fill: Infinity, name: "clip.mp4", type: "video/mp4" });
    expect((await post(lying)).status).toBe(415);
    expect(lying.pulled()).toBeLessThanOrEqual(4 * CHUNK);
    expect(await spooled()).toEqual([]);
  });

  it("cleans up after a client that goes away mid-file, and after forms that are not what the route takes", async () => {
    const before = await assetCount();
    const abandoned = multipart({ head: mp4Start(50 * MB), fill: 50 * MB, name: "clip.mp4", failAfter: 3 * MB });
    expect(await post(abandoned)).toMatchObject({ status: 400, body: { error: "The upload was interrupted before the file arrived." } });

    const truncated = multipart({ head: await makePng(10, 10), name: "cut.png", close: false });
    expect(await post(truncated)).toMatchObject({ status: 400, body: { error: 'Send the file as multipart/form-data in a field named "file".' } });

    const otherField = multipart({ head: await makePng(10, 10), field: "picture", fill: Infinity });
    expect(await post(otherField)).toMatchObject({ status: 400, connection: "close" });
    expect(otherField.pulled()).toBeLessThanOrEqual(4 * CHUNK);

    const notMultipart = multipart({ head: await makePng(10, 10) });
    expect(await post(notMultipart, { "content-type": "application/octet-stream" })).toMatchObject({ status: 400, connection: "close" });
    expect(notMultipart.pulled()).toBe(0);

    expect(await spooled()).toEqual([]);
    expect(await assetCount()).toBe(before);
  });
});
