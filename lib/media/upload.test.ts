import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import sharp from "sharp";
import { zlib_crc32 } from "@/lib/media/test-png";
import { MAX_IMAGE_PIXELS, MP4_PROBE_MAX_BYTES, mp4Info, mp4InfoFromFile, ProbeError } from "@/lib/media/probe";
import { uploadSourceOf, withPreparedUpload, type PreparedUpload } from "@/lib/media/upload";
import { makeMp3, makeMp4, makePng } from "@/sandbox/test-support";

// Every call of sharp (the decoder) is recorded with its options, so a test can prove that a refused pixel bomb
// never reached it, and that the decodes that do happen carry the pixel limit.
const sharpCalls = vi.hoisted(() => [] as { options: Record<string, unknown> | undefined }[]);
vi.mock("sharp", async (importOriginal) => {
  const actual = (await importOriginal<typeof import("sharp")>()).default;
  const spied = new Proxy(actual, {
    apply(target, self, args: unknown[]) {
      sharpCalls.push({ options: args[1] as Record<string, unknown> | undefined });
      return Reflect.apply(target, self, args);
    },
  });
  return { default: spied };
});

beforeEach(() => {
  sharpCalls.length = 0;
});

const file = (bytes: Uint8Array, name: string, type = "") => new File([new Uint8Array(bytes)], name, { type });

/** Checks and prepares a File the way the upload route does, keeping what was learnt (the temporary file is gone). */
const prepareUpload = (upload: Blob): Promise<PreparedUpload> => withPreparedUpload(uploadSourceOf(upload), async (prepared) => prepared);

async function refusal(promise: Promise<unknown>): Promise<ProbeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeError);
  return error as ProbeError;
}

// ---- crafted files ------------------------------------------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib_crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims width × height, with one tiny IDAT: decoding it would allocate the claimed pixels. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk("IHDR", ihdr), pngChunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), pngChunk("IEND", Buffer.alloc(0))]);
}

/** A real 16 × 16 JPEG whose frame header (SOF0) is patched to claim width × height. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } }).jpeg({ mozjpeg: false }).toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  expect(sof).toBeGreaterThan(0);
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** An extended WebP (VP8X) whose canvas claims width × height, around a real 16 × 16 lossy frame. */
async function webpClaiming(width: number, height: number): Promise<Buffer> {
  const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } }).webp().toBuffer();
  const vp8x = Buffer.alloc(18);
  vp8x.write("VP8X", 0, "latin1");
  vp8x.writeUInt32LE(10, 4);
  vp8x.writeUIntLE(width - 1, 12, 3);
  vp8x.writeUIntLE(height - 1, 15, 3);
  const body = Buffer.concat([Buffer.from("WEBP", "latin1"), vp8x, small.subarray(12)]);
  const riff = Buffer.alloc(8);
  riff.write("RIFF", 0, "latin1");
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** A real 16 × 16 GIF whose logical screen claims width × height. */
async function gifClaiming(width: number, height: number): Promise<Buffer> {
  const gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } }).gif().toBuffer();
  gif.writeUInt16LE(width, 6);
  gif.writeUInt16LE(height, 8);
  return gif;
}

/** An EBML element: id bytes, an 8-byte size, the body. */
function ebml(id: number[], body: Buffer): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(body.length) | (1n << 56n));
  return Buffer.concat([Buffer.from(id), size, body]);
}
const ebmlUint = (id: number[], value: number) => ebml(id, Buffer.from([(value >> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]));

/** A WebM/Matroska header only: DocType, and a video track of the given size (or no track). */
function matroskaHeader(docType: string, video: { width: number; height: number } | null): Buffer {
  const header = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from(docType, "latin1")));
  const tracks = video
    ? ebml([0x16, 0x54, 0xae, 0x6b], ebml([0xae], Buffer.concat([ebmlUint([0x83], 1), ebml([0xe0], Buffer.concat([ebmlUint([0xb0], video.width), ebmlUint([0xba], video.height)]))])))
    : Buffer.alloc(0);
  return Buffer.concat([header, ebml([0x18, 0x53, 0x80, 0x67], Buffer.concat([tracks, Buffer.alloc(256)]))]);
}

/** A real VP8 WebM made with the ffmpeg binary shipped in @ffmpeg-installer. */
async function makeWebm(width: number, height: number, seconds: number): Promise<Buffer> {
  const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  const dir = await mkdtemp(path.join(tmpdir(), "atelier-webm-"));
  try {
    const out = path.join(dir, "clip.webm");
    await new Promise<void>((resolve, reject) =>
      execFile(ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", `testsrc=size=${width}x${height}:rate=10`, "-t", String(seconds), "-c:v", "libvpx", "-y", out], (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- tests ------------------------------------------------------------------------------------------------------

describe("a file whose bytes are not what its name says is refused", () => {
  it("PNG bytes named clip.mp4", async () => {
    const error = await refusal(prepareUpload(file(await makePng(40, 30), "clip.mp4", "video/mp4")));
    expect(error.status).toBe(415);
    expect(error.message).toBe("“clip.mp4” is named like an MP4 video, but its content is a PNG image, so it was refused. Rename or export it again with the right type.");
  });

  it("an MP4 named photo.png", async () => {
    const error = await refusal(prepareUpload(file(await makeMp4(64, 48, 4, 12), "photo.png", "image/png")));
    expect(error).toMatchObject({ status: 415, message: expect.stringContaining("“photo.png” is named like a PNG image, but its content is an MP4 video") });
  });

  it("a web page named cat.png", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>".padEnd(200, " "));
    const error = await refusal(prepareUpload(file(html, "cat.png", "image/png")));
    expect(error).toMatchObject({ status: 415, message: expect.stringMatching(/^“cat\.png” is named like a PNG image, but its content is not a file Atelier can read/) });
  });

  it("an MP3 named picture.jpg, and a PNG named holiday.jpg", async () => {
    expect((await refusal(prepareUpload(file(makeMp3(), "picture.jpg", "image/jpeg")))).message).toContain("its content is an MP3 audio file");
    expect((await refusal(prepareUpload(file(await makePng(10, 10), "holiday.jpg", "image/jpeg")))).message).toContain("named like a JPEG image, but its content is a PNG image");
  });

  it("a declared type that lies, when the name says nothing", async () => {
    const error = await refusal(prepareUpload(file(await makePng(10, 10), "upload", "video/mp4")));
    expect(error.message).toContain("“upload” is sent as an MP4 video, but its content is a PNG image");
  });

  it("a PNG named like an unsupported type (photo.heic) is refused; an unknown extension leaves it to the content", async () => {
    expect((await refusal(prepareUpload(file(await makePng(10, 10), "photo.heic")))).message).toContain("named like a HEIC image");
    await expect(prepareUpload(file(await makePng(10, 10), "scan.final"))).resolves.toMatchObject({ kind: "IMAGE", mimeType: "image/png" });
  });

  it("honest names pass: upper case, aliases, and a pasted image without an extension", async () => {
    const jpeg = await sharp(await makePng(20, 10)).jpeg().toBuffer();
    await expect(prepareUpload(file(jpeg, "PHOTO.JPEG", "image/jpeg"))).resolves.toMatchObject({ mimeType: "image/jpeg" });
    await expect(prepareUpload(file(jpeg, "scan.jfif", "image/pjpeg"))).resolves.toMatchObject({ mimeType: "image/jpeg" });
    await expect(prepareUpload(file(await makePng(20, 10), "image", "image/png"))).resolves.toMatchObject({ mimeType: "image/png" });
    await expect(prepareUpload(file(makeMp3(), "voice.mp3", "audio/mp3"))).resolves.toMatchObject({ kind: "AUDIO", mimeType: "audio/mpeg" });
  });

  it("a QuickTime movie is refused even when named .mp4", async () => {
    const mov = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from("ftypqt  \0\0\0\0qt  ", "latin1"), Buffer.alloc(200)]);
    expect(await refusal(prepareUpload(file(mov, "clip.mp4", "video/mp4")))).toMatchObject({ status: 415, message: expect.stringContaining("QuickTime") });
  });
});

describe("an image with enormous pixel dimensions is refused from its header, without being decoded", () => {
  const bombs: [string, () => Promise<Buffer> | Buffer, string][] = [
    ["PNG", () => pngClaiming(50_000, 50_000), "bomb.png"],
    ["JPEG", () => jpegClaiming(50_000, 50_000), "bomb.jpg"],
    ["WebP", () => webpClaiming(50_000, 50_000), "bomb.webp"],
    ["GIF", () => gifClaiming(50_000, 50_000), "bomb.gif"],
  ];
  it.each(bombs)("%s claiming 50,000 × 50,000", async (_format, make, name) => {
    const bomb = await make();
    expect(bomb.byteLength).toBeLessThan(2048);
    sharpCalls.length = 0;
    const error = await refusal(prepareUpload(file(bomb, name)));
    expect(error).toMatchObject({ status: 422, message: `The image is 50000 × 50000 pixels; images can have at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.` });
    // The refusal came from reading the header bytes: sharp (the decoder) was never even constructed.
    expect(sharpCalls).toHaveLength(0);
  });

  it("an image just over the limit is refused too; the decodes of an accepted image carry the pixel limit", async () => {
    sharpCalls.length = 0;
    expect((await refusal(prepareUpload(file(pngClaiming(8000, 5001), "wide.png")))).status).toBe(422);
    expect(sharpCalls).toHaveLength(0);

    const fine = await makePng(300, 200);
    sharpCalls.length = 0;
    await prepareUpload(file(fine, "fine.png"));
    expect(sharpCalls.length).toBeGreaterThanOrEqual(3); // header read, re-encode, thumbnail
    for (const call of sharpCalls) expect(call.options).toHaveProperty("limitInputPixels");
    // Only the header read (metadata(), which decodes nothing) runs without the limit.
    expect(sharpCalls.filter((call) => call.options?.limitInputPixels === MAX_IMAGE_PIXELS).length).toBe(sharpCalls.length - 1);
  });

  it("refuses oversized files by their size before reading them", async () => {
    const big = new Uint8Array(26 * 1024 * 1024);
    big.set(await makePng(10, 10));
    await expect(prepareUpload(file(big, "big.png"))).rejects.toMatchObject({ status: 413, message: "Images can be at most 25 MB." });
  });
});

describe("images are re-encoded in their own format, without metadata", () => {
  it("JPEG: EXIF (and GPS) gone, orientation applied, WebP thumbnail", async () => {
    const jpeg = await sharp(await makePng(1200, 800))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Copyright: "secret-exif-owner" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1" } })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    expect([before.orientation, Buffer.from(jpeg).includes("secret-exif-owner")]).toEqual([6, true]);
    const prepared = await prepareUpload(file(jpeg, "holiday.jpg", "image/jpeg"));
    // Orientation 6 is a quarter turn: the stored image is upright, 800 × 1200.
    expect(prepared).toMatchObject({ kind: "IMAGE", mimeType: "image/jpeg", width: 800, height: 1200 });
    const meta = await sharp(prepared.bytes!).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.orientation]).toEqual(["jpeg", 800, 1200, undefined, undefined]);
    expect(Buffer.from(prepared.bytes!).includes("secret-exif-owner")).toBe(false);
    const thumb = await sharp(prepared.thumbnail!).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(["webp", 341, 512]);
    expect(prepared.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("PNG stays PNG (transparency kept), its text chunks dropped", async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    // Insert a tEXt chunk after IHDR (8-byte signature + 25-byte IHDR chunk).
    const withText = Buffer.concat([png.subarray(0, 33), pngChunk("tEXt", Buffer.from("Comment\0secret-png-text", "latin1")), png.subarray(33)]);
    expect(withText.includes("secret-png-text")).toBe(true);
    const prepared = await prepareUpload(file(withText, "a.png", "image/png"));
    expect(prepared.mimeType).toBe("image/png");
    expect(Buffer.from(prepared.bytes!).includes("secret-png-text")).toBe(false);
    expect((await sharp(prepared.bytes!).metadata()).hasAlpha).toBe(true);
  });

  it("WebP stays WebP without its EXIF; GIF becomes PNG", async () => {
    const webp = await sharp(await makePng(64, 32)).webp().withExif({ IFD0: { Copyright: "secret-webp-owner" } }).toBuffer();
    const prepared = await prepareUpload(file(webp, "w.webp", "image/webp"));
    expect(prepared).toMatchObject({ mimeType: "image/webp", width: 64, height: 32 });
    expect((await sharp(prepared.bytes!).metadata()).exif).toBeUndefined();
    expect(Buffer.from(prepared.bytes!).includes("secret-webp-owner")).toBe(false);

    const gif = await sharp(await makePng(30, 20)).gif().toBuffer();
    await expect(prepareUpload(file(gif, "g.gif", "image/gif"))).resolves.toMatchObject({ mimeType: "image/png", width: 30, height: 20 });
  });

  it("a truncated image is refused as unreadable", async () => {
    const png = await makePng(200, 200);
    expect((await refusal(prepareUpload(file(png.subarray(0, 60), "cut.png")))).status).toBe(422);
  });
});

describe("videos and audio", () => {
  it("an MP4 gets its size, duration and a poster thumbnail from a real frame", async () => {
    const prepared = await prepareUpload(file(await makeMp4(64, 48, 24, 12), "clip.mp4", "video/mp4"));
    expect(prepared).toMatchObject({ kind: "VIDEO", mimeType: "video/mp4", width: 64, height: 48, durationMs: 2000 });
    expect((await sharp(prepared.thumbnail!).metadata()).format).toBe("webp");
  });

  it("a WebM is read from its EBML header (size, duration) and gets a poster", async () => {
    const prepared = await prepareUpload(file(await makeWebm(64, 48, 1), "clip.webm", "video/webm"));
    expect(prepared).toMatchObject({ kind: "VIDEO", mimeType: "video/webm", width: 64, height: 48, durationMs: 1000 });
    expect(prepared.thumbnail).not.toBeNull();
  });

  it("refuses a Matroska file named .webm, a WebM without video, and a video too large to frame", async () => {
    expect(await refusal(prepareUpload(file(matroskaHeader("matroska", { width: 64, height: 48 }), "clip.webm")))).toMatchObject({ status: 415, message: expect.stringContaining("Matroska") });
    expect(await refusal(prepareUpload(file(matroskaHeader("webm", null), "clip.webm")))).toMatchObject({ status: 422, message: expect.stringContaining("no video track") });
    expect(await refusal(prepareUpload(file(matroskaHeader("webm", { width: 50_000, height: 50_000 }), "clip.webm")))).toMatchObject({
      status: 422,
      message: "The video is 50000 × 50000 pixels; videos can be at most 8192 pixels on a side.",
    });
  });

  it("refuses an MP4 without a video track as unreadable", async () => {
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(200)]);
    await expect(prepareUpload(file(fake, "v.mp4"))).rejects.toMatchObject({ status: 422 });
  });

  it("an MP3 gets its duration", async () => {
    const prepared = await prepareUpload(file(makeMp3(), "voice.mp3", "audio/mpeg"));
    expect(prepared).toMatchObject({ kind: "AUDIO", mimeType: "audio/mpeg", thumbnail: null });
    expect(prepared.durationMs).toBeGreaterThan(0);
  });
});

describe("the bytes as uploaded are hashed on the way in", () => {
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  it("an image's contentHash is of the upload, its checksum of the re-encoding; audio stores what it hashed", async () => {
    const plain = await makePng(64, 48);
    // A text chunk, which the re-encoding drops: stored bytes and uploaded bytes differ.
    const png = Buffer.concat([plain.subarray(0, 33), pngChunk("tEXt", Buffer.from("Comment\0hello", "latin1")), plain.subarray(33)]);
    const image = await prepareUpload(file(png, "a.png", "image/png"));
    expect(image.contentHash).toBe(sha256(png));
    expect(image.checksum).toBe(sha256(image.bytes!));
    expect(image.checksum).not.toBe(image.contentHash);
    const mp3 = makeMp3();
    const audio = await prepareUpload(file(mp3, "voice.mp3", "audio/mpeg"));
    expect([audio.contentHash, audio.checksum]).toEqual([sha256(mp3), sha256(mp3)]);
  });

  it("a file `existing` recognises is answered by it, neither decoded nor stored; an unknown one goes on to store", async () => {
    const png = await makePng(64, 48);
    const seen: string[] = [];
    const store = vi.fn(async () => "stored");
    sharpCalls.length = 0; // makePng's own
    const answer = await withPreparedUpload(uploadSourceOf(file(png, "again.png", "image/png")), store, {
      existing: async (hash) => (seen.push(hash), "already there"),
    });
    expect([answer, seen, store.mock.calls.length, sharpCalls.length]).toEqual(["already there", [sha256(png)], 0, 0]);
    await expect(withPreparedUpload(uploadSourceOf(file(png, "new.png", "image/png")), store, { existing: async () => null })).resolves.toBe("stored");
  });

  it("the checks made while it arrives come first: a lying name is refused before `existing` is asked", async () => {
    const existing = vi.fn(async () => "already there");
    await refusal(withPreparedUpload(uploadSourceOf(file(await makePng(8, 8), "clip.mp4")), async () => "stored", { existing }));
    expect(existing).not.toHaveBeenCalled();
  });
});

describe("videos are probed from disk, not from memory", () => {
  /** The top-level boxes of an MP4: [type, start, size]. */
  function boxes(bytes: Buffer): [string, number, number][] {
    const out: [string, number, number][] = [];
    for (let at = 0; at + 8 <= bytes.length; ) {
      const size = bytes.readUInt32BE(at);
      out.push([bytes.toString("latin1", at + 4, at + 8), at, size]);
      at += size;
    }
    return out;
  }

  /** Counts the bytes read through a file handle. */
  function counting(handle: FileHandle): { handle: FileHandle; read: () => number } {
    let total = 0;
    const wrapped = new Proxy(handle, {
      get(target, property, receiver) {
        if (property !== "read") return Reflect.get(target, property, receiver);
        return async (...args: Parameters<FileHandle["read"]>) => {
          const result = await (target.read as (...a: unknown[]) => Promise<{ bytesRead: number }>)(...args);
          total += result.bytesRead;
          return result;
        };
      },
    });
    return { handle: wrapped as FileHandle, read: () => total };
  }

  it("finds the movie box after 40 MB of media data, reading only the first megabyte and the movie box", async () => {
    const mp4 = await makeMp4(64, 48, 24, 12);
    const box = (type: string) => boxes(mp4).find(([name]) => name === type)!;
    const [ftyp, moov] = [box("ftyp"), box("moov")];
    expect(ftyp && moov).toBeTruthy();
    // ftyp, then an mdat of 40 MB (zeros, written sparsely), then the moov: a "not fast-started" file.
    const mdatSize = 40 * 1024 * 1024;
    const mdatHeader = Buffer.alloc(8);
    mdatHeader.writeUInt32BE(mdatSize, 0);
    mdatHeader.write("mdat", 4, "latin1");
    const dir = await mkdtemp(path.join(tmpdir(), "atelier-probe-"));
    try {
      const file = path.join(dir, "late-moov.mp4");
      const head = Buffer.concat([mp4.subarray(ftyp[1], ftyp[1] + ftyp[2]), mdatHeader]);
      const tail = mp4.subarray(moov[1], moov[1] + moov[2]);
      await writeFile(file, head);
      const handle = await open(file, "r+");
      await handle.write(tail, 0, tail.length, ftyp[2] + mdatSize);
      const size = ftyp[2] + mdatSize + tail.length;
      const probe = counting(handle);
      try {
        expect(await mp4InfoFromFile(probe.handle, size)).toEqual(mp4Info(mp4));
        expect(probe.read()).toBeLessThanOrEqual(1024 * 1024 + tail.length);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives up on a file with no movie box after MP4_PROBE_MAX_BYTES, instead of buffering it all", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "atelier-probe-"));
    try {
      // One enormous 'free' box: mp4box would keep every byte of it waiting for the box to end.
      const size = MP4_PROBE_MAX_BYTES + 8 * 1024 * 1024;
      const header = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(4), Buffer.alloc(4), Buffer.from("free")]);
      header.writeUInt32BE(size - 16, 16);
      const file = path.join(dir, "no-moov.mp4");
      await writeFile(file, header);
      const handle = await open(file, "r+");
      await handle.truncate(size);
      const probe = counting(handle);
      try {
        expect(await mp4InfoFromFile(probe.handle, size)).toBeNull();
        expect(probe.read()).toBeLessThanOrEqual(MP4_PROBE_MAX_BYTES);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
