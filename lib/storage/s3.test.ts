import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, inject, it } from "vitest";
import { S3Storage } from "@/lib/storage/s3";
import { storage } from "@/lib/storage/storage";

// Against OpenStack Swift's S3 API (test/s3-global-setup.ts): a real store that checks signatures and expiry.
const s3 = inject("s3");
const bucket = process.env.S3_BUCKET!;
const store = storage() as S3Storage;
const scratch = mkdtempSync(path.join(tmpdir(), "atelier-s3-test-"));
const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const withConfig = (overrides: Partial<ConstructorParameters<typeof S3Storage>[0]>) =>
  new S3Storage({ bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3, ...overrides });

describe("S3 storage on a real object store", () => {
  it("is the storage the configuration names", () => {
    expect(store).toBeInstanceOf(S3Storage);
  });

  it("puts, stats, reads whole and ranged, and deletes", async () => {
    const key = "ws/w1/gen/g1/m1.png";
    expect(await store.put(key, new TextEncoder().encode("0123456789"), { contentType: "image/png" })).toEqual({ size: 10 });
    expect(await store.stat(key)).toEqual({ size: 10, contentType: "image/png" });
    const whole = await store.get(key);
    expect([await text(whole!.stream), whole!.size, whole!.contentType]).toEqual(["0123456789", 10, "image/png"]);
    const part = await store.get(key, { start: 2, end: 4 });
    // The size is the whole object's, not the range's: the route builds Content-Range from it.
    expect([await text(part!.stream), part!.size]).toEqual(["234", 10]);
    const tail = await store.get(key, { start: 9, end: 9 });
    expect([await text(tail!.stream), tail!.size]).toEqual(["9", 10]);
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    expect(await store.get(key)).toBeNull();
    await expect(store.delete(key)).resolves.toBeUndefined(); // deleting a missing key is done, like on disk
  });

  it("answers null for keys that were never there, and refuses keys Atelier does not build", async () => {
    expect(await store.stat("ws/none/assets/missing.png")).toBeNull();
    expect(await store.get("ws/none/assets/missing.png", { start: 0, end: 1 })).toBeNull();
    await expect(store.put("../x.png", new Uint8Array([1]), { contentType: "image/png" })).rejects.toThrow(/invalid storage key/);
    await expect(store.get("ws/a b.png")).rejects.toThrow(/invalid storage key/);
  });

  it("streams a body of unknown length in and out", async () => {
    const chunks = [randomBytes(100_000), randomBytes(3), randomBytes(70_000)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    const all = Buffer.concat([...chunks]);
    expect(await store.put("ws/w1/assets/s.mp4", body, { contentType: "video/mp4" })).toEqual({ size: all.byteLength });
    const back = Buffer.from(await new Response((await store.get("ws/w1/assets/s.mp4"))!.stream).arrayBuffer());
    expect(sha256(back)).toBe(sha256(all));
    expect((await store.stat("ws/w1/assets/s.mp4"))?.contentType).toBe("video/mp4");
  });

  it("cancels the source of a stream it could not store", async () => {
    let cancelled: unknown = null;
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel(reason) {
        cancelled = reason ?? "cancelled";
      },
    });
    await expect(withConfig({ bucket: "no-such-bucket-here" }).put("ws/w1/assets/lost.mp4", endless, { contentType: "video/mp4" })).rejects.toThrow();
    expect(cancelled).not.toBeNull();
    const after = sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(after); // nothing pulls it any more
  });

  it("uploads a file larger than a part as a multipart upload, with its SHA-256 in the metadata", async () => {
    // 20 MB: three 8 MB parts. Written in 1 MB pieces so this test never holds the file either.
    const file = path.join(scratch, "big.mp4");
    const handle = await open(file, "w");
    const hash = createHash("sha256");
    for (let i = 0; i < 20; i++) {
      const piece = randomBytes(1024 * 1024);
      hash.update(piece);
      await handle.write(piece);
    }
    await handle.close();
    expect(await store.putFile("ws/w1/assets/big.mp4", file, { contentType: "video/mp4", sha256: hash.copy().digest("hex") })).toEqual({ size: 20 * 1024 * 1024 });
    const head = await store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "ws/w1/assets/big.mp4" }));
    expect(head.ETag).toMatch(/-3"$/); // a multipart object's ETag ends with its number of parts
    expect(await store.head("ws/w1/assets/big.mp4")).toEqual({ size: 20 * 1024 * 1024, contentType: "video/mp4", sha256: hash.digest("hex") });
    const ranged = await store.get("ws/w1/assets/big.mp4", { start: 8 * 1024 * 1024 - 2, end: 8 * 1024 * 1024 + 1 });
    expect(ranged!.size).toBe(20 * 1024 * 1024);
    expect((await new Response(ranged!.stream).arrayBuffer()).byteLength).toBe(4); // across the parts' seam
    await store.delete("ws/w1/assets/big.mp4");
  });

  it("stores a small file with one request and leaves the source where it is", async () => {
    const file = path.join(scratch, "small.png");
    await writeFile(file, "0123456789abcdef");
    expect(await store.putFile("ws/w1/assets/v.png", file, { contentType: "image/png" })).toEqual({ size: 16 });
    expect(await text((await store.get("ws/w1/assets/v.png"))!.stream)).toBe("0123456789abcdef");
    expect(await store.head("ws/w1/assets/v.png")).toMatchObject({ sha256: null });
    await expect(store.putFile("ws/w1/assets/missing.png", path.join(scratch, "no-such-file"), { contentType: "image/png" })).rejects.toThrow(/ENOENT/);
  });
});

describe("check()", () => {
  it("passes for a bucket it can write", async () => {
    await expect(store.check()).resolves.toBeUndefined();
    await expect(withConfig({}).check()).resolves.toBeUndefined();
  });

  it("says the bucket is missing", async () => {
    await expect(withConfig({ bucket: "no-such-bucket-here" }).check()).rejects.toThrow(
      `The bucket "no-such-bucket-here" does not exist at ${s3.endpoint}: create it, or set S3_BUCKET to an existing bucket.`,
    );
  });

  it("says the credentials were refused, without the store's own text", async () => {
    const wrongSecret = withConfig({ credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: "not-the-secret" } });
    const error = await wrongSecret.check().then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^The object store at http:\/\/127\.0\.0\.1:\d+ refused access to the bucket "atelier-test-\w+" with these credentials \(403\): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(error?.stack ?? "").not.toContain("not-the-secret");
  });

  it("says the store can't be reached", async () => {
    // A loopback port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const unreachable = new S3Storage({ bucket, region: s3.region, endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: s3 });
    await expect(unreachable.check()).rejects.toThrow(
      `The object store at http://127.0.0.1:${port} can't be reached (ECONNREFUSED): check S3_ENDPOINT and that the store is running.`,
    );
  });
});

describe("presigned GET links", () => {
  const key = "ws/w1/gen/g1/link.png";

  it("fetches the object from the store directly, with the Content-Disposition and type asked for", async () => {
    await store.put(key, new TextEncoder().encode("presigned bytes"), { contentType: "image/png" });
    const url = await store.presignedGetUrl(key, { expiresInSeconds: 60 });
    expect(url.startsWith(`${s3.endpoint}/${bucket}/${key}?`)).toBe(true);
    const plain = await fetch(url);
    expect([plain.status, plain.headers.get("content-type"), await plain.text()]).toEqual([200, "image/png", "presigned bytes"]);

    const disposition = `attachment; filename="cat_1.png"; filename*=UTF-8''cat%E2%80%941.png`;
    const download = await fetch(await store.presignedGetUrl(key, { expiresInSeconds: 60, contentDisposition: disposition, contentType: "application/octet-stream" }));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe(disposition);
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    await download.arrayBuffer();

    const ranged = await fetch(url, { headers: { range: "bytes=0-8" } });
    expect([ranged.status, await ranged.text()]).toEqual([206, "presigned"]);
  });

  it("is refused once expired", async () => {
    const url = await store.presignedGetUrl(key, { expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const answer = await fetch(url);
    expect(answer.status).toBe(403);
    await answer.arrayBuffer();
  });

  it("is refused when tampered with: signature, key, or the response headers it was signed for", async () => {
    const url = new URL(await store.presignedGetUrl(key, { expiresInSeconds: 60, contentDisposition: "attachment" }));
    const signature = url.searchParams.get("X-Amz-Signature")!;
    const tampered = new URL(url);
    tampered.searchParams.set("X-Amz-Signature", signature.replace(/^./, (c) => (c === "0" ? "1" : "0")));
    const otherKey = new URL(url.href.replace("/link.png?", "/m1.png?"));
    const otherDisposition = new URL(url);
    otherDisposition.searchParams.set("response-content-disposition", "inline");
    const longer = new URL(url);
    longer.searchParams.set("X-Amz-Expires", "604800");
    for (const candidate of [tampered, otherKey, otherDisposition, longer]) {
      const answer = await fetch(candidate);
      expect(answer.status, candidate.href).toBe(403);
      await answer.arrayBuffer();
    }
  });
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
