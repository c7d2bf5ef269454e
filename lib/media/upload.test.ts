import { zlib_crc32 } from "@/lib/media/test-png";
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { prepareUpload } from "@/lib/media/upload";
import { ProbeError } from "@/lib/media/probe";
import { makeMp3, makePng } from "@/sandbox/test-support";

/** A PNG whose header claims width × height, with one tiny IDAT: decoding it would allocate the claimed pixels. */
function pngClaiming(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib_crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk("IEND", Buffer.alloc(0))]);
}

const file = (bytes: Uint8Array, name: string, type = "") => new File([new Uint8Array(bytes)], name, { type });

describe("uploads are checked by content", () => {
  it("re-encodes an image, strips metadata and makes a WebP thumbnail", async () => {
    const jpeg = await sharp(await makePng(1200, 800)).flatten().jpeg().withMetadata({ exif: { IFD0: { Copyright: "secret-gps" } } }).toBuffer();
    const prepared = await prepareUpload(file(jpeg, "holiday.webp", "image/webp"));
    expect(prepared).toMatchObject({ kind: "IMAGE", mimeType: "image/jpeg", width: 1200, height: 800 });
    expect(Buffer.from(prepared.bytes).includes("secret-gps")).toBe(false);
    const thumb = await sharp(prepared.thumbnail!).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(["webp", 512, 341]);
    expect(prepared.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps transparency as PNG", async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    expect((await prepareUpload(file(png, "a.png"))).mimeType).toBe("image/png");
  });

  it("refuses a file whose name lies about its content", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>".padEnd(200, " "));
    await expect(prepareUpload(file(html, "cat.png", "image/png"))).rejects.toMatchObject({ status: 415 });
  });

  it("treats an MP3 named like an image as audio (content decides)", async () => {
    const prepared = await prepareUpload(file(makeMp3(), "picture.jpg", "image/jpeg"));
    expect(prepared).toMatchObject({ kind: "AUDIO", mimeType: "audio/mpeg" });
    expect(prepared.durationMs).toBeGreaterThan(0);
  });

  it("refuses a pixel bomb from its header, without decoding it", async () => {
    const bomb = pngClaiming(100_000, 100_000);
    const started = performance.now();
    const error = await prepareUpload(file(bomb, "bomb.png")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeError);
    expect(error).toMatchObject({ status: 422, message: expect.stringMatching(/40 megapixels/) });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses oversized images before reading them", async () => {
    const big = new Uint8Array(26 * 1024 * 1024);
    big.set(await makePng(10, 10));
    await expect(prepareUpload(file(big, "big.png"))).rejects.toMatchObject({ status: 413, message: "Images can be at most 25 MB." });
  });

  it("refuses an MP4 without a video track as unreadable", async () => {
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(200)]);
    await expect(prepareUpload(file(fake, "v.mp4"))).rejects.toMatchObject({ status: 422 });
  });
});
