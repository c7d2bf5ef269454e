import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { LocalDiskStorage } from "@/lib/storage/local-disk";
import type { S3Storage } from "@/lib/storage/s3";
import { storage } from "@/lib/storage/storage";
import { copyMedia, storedObjects, type StoredObjectRow } from "@/scripts/lib/media-copy";
import { makeUser } from "@/test/factories";

// Moving a local-disk installation's media into a real bucket (the `s3` project's Swift) and back, from the rows of
// a real database. The database is shared with the project's other files, so the copy is given this file's rows only.
const mediaDir = mkdtempSync(path.join(tmpdir(), "atelier-media-copy-"));
const disk = new LocalDiskStorage(mediaDir);
const bucket = storage() as S3Storage;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const client = new pg.Client({ connectionString: inject("databaseUrl") });
let workspaceId: string;
const keys: Record<"image" | "thumb" | "video" | "asset" | "missing" | "corrupt", string> = {} as never;
const files: Record<string, Buffer> = {};

async function* mine(): AsyncGenerator<StoredObjectRow> {
  for await (const row of storedObjects(client)) if (row.key.startsWith(`ws/${workspaceId}/`)) yield row;
}

beforeAll(async () => {
  await client.connect();
  const user = await makeUser("Mover");
  workspaceId = user.personal.id;
  const generation = await db.generation.create({ data: { workspaceId, tool: "IMAGE", provider: "RENDERNET", idempotencyKey: crypto.randomUUID(), params: {} } });
  const media = async (position: number, ext: string, bytes: Buffer | null, options: { thumb?: Buffer; checksum?: string } = {}) => {
    const row = await db.media.create({ data: { workspaceId, generationId: generation.id, position, kind: ext === "mp4" ? "VIDEO" : "IMAGE", tool: "IMAGE", status: "READY" } });
    const storageKey = `ws/${workspaceId}/gen/${generation.id}/${row.id}.${ext}`;
    const thumbKey = options.thumb ? `ws/${workspaceId}/gen/${generation.id}/${row.id}.thumb.webp` : null;
    if (bytes) {
      await disk.put(storageKey, bytes, { contentType: "image/png" });
      files[storageKey] = bytes;
    }
    if (thumbKey && options.thumb) {
      await disk.put(thumbKey, options.thumb, { contentType: "image/webp" });
      files[thumbKey] = options.thumb;
    }
    await db.media.update({ where: { id: row.id }, data: { storageKey, thumbKey, checksum: options.checksum ?? (bytes ? sha256(bytes) : "0".repeat(64)) } });
    return { storageKey, thumbKey };
  };
  const image = await media(0, "png", randomBytes(50_000), { thumb: randomBytes(3_000) });
  keys.image = image.storageKey;
  keys.thumb = image.thumbKey!;
  // Larger than one multipart part (8 MB), so the copy to the bucket is a multipart upload.
  keys.video = (await media(1, "mp4", randomBytes(9 * 1024 * 1024))).storageKey;
  keys.missing = (await media(2, "png", null)).storageKey;
  keys.corrupt = (await media(3, "png", randomBytes(1_000), { checksum: sha256(Buffer.from("what was stored once")) })).storageKey;
  keys.asset = `ws/${workspaceId}/assets/a1.png`;
  const assetBytes = randomBytes(20_000);
  await disk.put(keys.asset, assetBytes, { contentType: "image/png" });
  files[keys.asset] = assetBytes;
  await db.asset.create({
    data: { workspaceId, kind: "IMAGE", name: "a.png", storageKey: keys.asset, mimeType: "image/png", bytes: assetBytes.byteLength, checksum: sha256(assetBytes) },
  });
});

afterAll(async () => {
  await client.end();
  await rm(mediaDir, { recursive: true, force: true });
});

describe("moving media to a bucket", () => {
  it("lists every object the database refers to", async () => {
    const listed: StoredObjectRow[] = [];
    for await (const row of mine()) listed.push(row);
    expect(listed.map((row) => row.key).sort()).toEqual(Object.values(keys).sort());
    expect(listed.find((row) => row.key === keys.thumb)?.sha256).toBeNull();
    expect(listed.find((row) => row.key === keys.asset)?.sha256).toBe(sha256(files[keys.asset]!));
  });

  it("copies and verifies each object, reports what it could not move, and moves nothing the second time", async () => {
    const first = await copyMedia(mine(), disk, bucket);
    expect(first.moved.map((item) => item.key).sort()).toEqual([keys.image, keys.thumb, keys.video, keys.asset].sort());
    expect(first.skipped).toEqual([]);
    expect(first.failed.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      [
        { key: keys.missing, reason: "missing from the source" },
        { key: keys.corrupt, reason: expect.stringMatching(/^the source's SHA-256 [0-9a-f]{64} is not the database's [0-9a-f]{64}: not copied$/) },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    );
    for (const key of [keys.image, keys.thumb, keys.video, keys.asset]) {
      const copy = Buffer.from(await new Response((await bucket.get(key))!.stream).arrayBuffer());
      expect(copy.equals(files[key]!), key).toBe(true);
      expect((await bucket.head(key))?.sha256).toBe(sha256(files[key]!));
    }
    expect(await bucket.stat(keys.corrupt)).toBeNull();
    // The disk keeps everything.
    expect((await readFile(path.join(mediaDir, keys.image))).equals(files[keys.image]!)).toBe(true);

    const second = await copyMedia(mine(), disk, bucket);
    expect([second.moved, second.skipped.length, second.failed.length]).toEqual([[], 4, 2]);
  });

  it("copies again an object whose copy differs, and copies back to the disk for switching back", async () => {
    // A copy that is not the file (changed size, stale metadata) is not "already there".
    await bucket.put(keys.asset, new Uint8Array(10), { contentType: "image/png", sha256: sha256(files[keys.asset]!) });
    const again = await copyMedia(mine(), disk, bucket);
    expect(again.moved.map((item) => item.key)).toEqual([keys.asset]);

    await rm(path.join(mediaDir, keys.image));
    await writeFile(path.join(mediaDir, keys.thumb), "not the thumbnail");
    const back = await copyMedia(mine(), bucket, disk);
    expect(back.moved.map((item) => item.key).sort()).toEqual([keys.image, keys.thumb].sort());
    expect(back.skipped.sort()).toEqual([keys.video, keys.asset].sort());
    expect(back.failed.map((item) => item.key).sort()).toEqual([keys.missing, keys.corrupt].sort());
    expect((await readFile(path.join(mediaDir, keys.image))).equals(files[keys.image]!)).toBe(true);
    expect((await readFile(path.join(mediaDir, keys.thumb))).equals(files[keys.thumb]!)).toBe(true);
  });

  it("runs as `npm run media:to-s3`, naming what it could not move and exiting 1", async () => {
    const env = { ...process.env, DATABASE_URL: inject("databaseUrl"), MEDIA_DIR: mediaDir };
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile("npx", ["tsx", "--conditions=react-server", "scripts/media-to-s3.ts"], { env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.stdout).toMatch(/Moved \d+ object\(s\) \([\d.]+ MB\); skipped \d+ already there; failed \d+\./);
    expect(result.stderr).toContain(`  - ${keys.missing}: missing from the source`);
    expect(result.stderr).toContain(`  - ${keys.corrupt}: the source's SHA-256`);
    expect(result.code).toBe(1);
  }, 90_000);
});
