import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

process.env.MEDIA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-ingest-media-"));

import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { DownloadSource } from "@/lib/connections/workspace";
import { IngestRejected, ingestMedia } from "@/lib/generations/ingest";
import { storageKeys } from "@/lib/storage/keys";
import { storage } from "@/lib/storage/storage";
import { makePng } from "@/sandbox/test-support";
import { makeUser } from "@/test/factories";

afterAll(() => rmSync(process.env.MEDIA_DIR!, { recursive: true, force: true }));

/** A provider's file host served from memory (an origin served in process, like the sandbox: no network). */
function filesServing(files: Record<string, Uint8Array>): DownloadSource {
  return {
    hosts: [],
    origins: ["http://files.test"],
    fetch: async (input) => {
      const body = files[new URL(String(input)).pathname];
      return body ? new Response(new Uint8Array(body), { status: 200, headers: { "Content-Type": "image/png" } }) : new Response("", { status: 404 });
    },
  };
}

async function pendingImage() {
  const user = await makeUser();
  const generation = await db.generation.create({
    data: { workspaceId: user.personal.id, createdById: user.id, tool: "IMAGE", provider: "RENDERNET", status: "RUNNING", idempotencyKey: crypto.randomUUID(), params: {} },
  });
  const media = await db.media.create({ data: { workspaceId: user.personal.id, generationId: generation.id, position: 0, kind: "IMAGE", tool: "IMAGE" } });
  return { workspaceId: user.personal.id, generationId: generation.id, mediaId: media.id, kind: "IMAGE" as const, posterKey: null };
}

describe("ingesting a provider's output", () => {
  it("stores the original and its thumbnail, then marks the item READY with what it measured", async () => {
    const target = await pendingImage();
    const png = await makePng(640, 480);
    await ingestMedia(filesServing({ "/out.png": png }), target, "http://files.test/out.png");
    const media = await db.media.findUniqueOrThrow({ where: { id: target.mediaId } });
    expect(media).toMatchObject({ status: "READY", width: 640, height: 480, mimeType: "image/png", bytes: png.byteLength });
    expect(media.readyAt).toBeInstanceOf(Date);
    expect(await storage().stat(media.storageKey!)).toMatchObject({ size: png.byteLength });
    expect((await storage().stat(media.thumbKey!))?.size).toBeGreaterThan(0);
  });

  it("refuses an image too large to take, and leaves no copy of it behind", async () => {
    const target = await pendingImage();
    // A real PNG whose header claims 10,000 × 5,000 pixels (50 megapixels; Atelier takes 40).
    const huge = new Uint8Array(await makePng(64, 64));
    new DataView(huge.buffer).setUint32(16, 10_000);
    new DataView(huge.buffer).setUint32(20, 5_000);
    await expect(ingestMedia(filesServing({ "/out.png": huge }), target, "http://files.test/out.png")).rejects.toBeInstanceOf(IngestRejected);
    expect((await db.media.findUniqueOrThrow({ where: { id: target.mediaId } })).status).toBe("PENDING");
    const key = storageKeys.media(target.workspaceId, target.generationId, target.mediaId, "png");
    expect(await storage().stat(key)).toBeNull();
  });
});
