import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
process.env.MEDIA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-http-media-"));

import { afterAll, describe, expect, it, vi } from "vitest";
import { rm } from "node:fs/promises";
import { db } from "@/lib/db";
import { makeUser, viewerFor } from "@/test/factories";
import { parseRange, streamStored } from "@/lib/media/http";
import { assetFileKey, mediaFile } from "@/lib/media/files";
import { storage } from "@/lib/storage/storage";

describe("serving stored files", () => {
  it("parses ranges", () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("invalid");
    expect(parseRange("items=1-2", 100)).toBe("invalid");
  });

  it("streams with the right headers, 206 for a range, 416 for a bad one", async () => {
    const key = "ws/test/gen/g/m.mp4";
    await storage().put(key, new Uint8Array(1000).fill(7), { contentType: "video/mp4" });
    const whole = await streamStored(new Request("http://x/"), key, { immutable: true });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("x-content-type-options")).toBe("nosniff");
    expect(whole.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const part = await streamStored(new Request("http://x/", { headers: { range: "bytes=100-199" } }), key, { immutable: true });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const bad = await streamStored(new Request("http://x/", { headers: { range: "bytes=5000-" } }), key, { immutable: true });
    expect(bad.status).toBe(416);
    // A HEAD answers the headers without opening the file (an unread body would hold a descriptor or a connection).
    const opened = vi.spyOn(storage(), "get");
    const head = await streamStored(new Request("http://x/", { method: "HEAD", headers: { range: "bytes=100-199" } }), key, { immutable: true });
    expect([head.status, head.headers.get("content-length"), head.headers.get("content-range"), head.body]).toEqual([206, "100", "bytes 100-199/1000", null]);
    expect(opened).not.toHaveBeenCalled();
    opened.mockRestore();
  });

  it("finds only the viewer's own workspace's files", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const generation = await db.generation.create({
      data: { workspaceId: alice.personal.id, tool: "IMAGE", provider: "RENDERNET", idempotencyKey: crypto.randomUUID(), params: {} },
    });
    const media = await db.media.create({
      data: { workspaceId: alice.personal.id, generationId: generation.id, position: 0, kind: "IMAGE",
        tool: "IMAGE", status: "READY", storageKey: "ws/a/gen/g/m.png", thumbKey: "ws/a/gen/g/m.thumb.webp" },
    });
    const asset = await db.asset.create({
      data: { workspaceId: alice.personal.id, kind: "IMAGE",
        name: "a.png", storageKey: "ws/a/assets/a.png", mimeType: "image/png", bytes: 1, checksum: "x" },
    });
    const aliceViewer = await viewerFor(alice.id, alice.personal.id);
    const bobViewer = await viewerFor(bob.id, bob.personal.id);
    expect((await mediaFile(aliceViewer, media.id, "thumb"))?.key).toBe("ws/a/gen/g/m.thumb.webp");
    expect(await mediaFile(bobViewer, media.id, "thumb")).toBeNull();
    expect(await assetFileKey(aliceViewer, asset.id, "original")).toEqual({ key: "ws/a/assets/a.png", name: "a.png" });
    expect(await assetFileKey(bobViewer, asset.id, "original")).toBeNull();
    expect(await assetFileKey(aliceViewer, asset.id, "thumb")).toBeNull();
  });
});

afterAll(() => rm(process.env.MEDIA_DIR!, { recursive: true, force: true }));
