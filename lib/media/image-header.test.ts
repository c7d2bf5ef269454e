import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readImageDimensions } from "@/lib/media/image-header";

const canvas = (alpha = false) => sharp({ create: { width: 123, height: 45, channels: alpha ? 4 : 3, background: { r: 200, g: 10, b: 10, alpha: alpha ? 0.5 : 1 } } });

describe("readImageDimensions (header bytes only)", () => {
  it.each([
    ["PNG", () => canvas().png().toBuffer()],
    ["JPEG", () => canvas().jpeg().toBuffer()],
    ["JPEG with EXIF before the frame header", () => canvas().jpeg().withExif({ IFD0: { Copyright: "x".repeat(3000) } }).toBuffer()],
    ["progressive JPEG", () => canvas().jpeg({ progressive: true }).toBuffer()],
    ["lossy WebP (VP8)", () => canvas().webp().toBuffer()],
    ["lossless WebP (VP8L)", () => canvas().webp({ lossless: true }).toBuffer()],
    ["extended WebP (VP8X)", () => canvas(true).webp().toBuffer()],
    ["GIF", () => canvas().gif().toBuffer()],
  ])("%s", async (_name, make) => {
    expect(readImageDimensions(await make())).toEqual({ width: 123, height: 45 });
  });

  it("answers null for what it cannot read", async () => {
    expect(readImageDimensions(new TextEncoder().encode("<html></html>"))).toBeNull();
    expect(readImageDimensions(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
    const png = await canvas().png().toBuffer();
    expect(readImageDimensions(png.subarray(0, 20))).toBeNull();
  });
});
