import "server-only";
import { createHash } from "node:crypto";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { imageHeader, kindOf, MAX_IMAGE_PIXELS, probeMediaFile, ProbeError, sniffType, webpThumbnail, type Kind, type SniffedType } from "@/lib/media/probe";
import { checkClaims } from "@/lib/media/upload-claims";
import { videoFrameFromFile } from "@/lib/media/video-frame";

/**
 * Checking and normalising a member's upload, by content. What it promises:
 * - The upload is judged while it arrives and spooled to a temporary file, never held whole in memory (except an
 *   image, at most 25 MB, which sharp re-encodes). The first bytes decide what it is; a file whose name (extension)
 *   or declared type says something else is refused at once with a sentence naming both: a PNG called clip.mp4, an
 *   MP4 called photo.png, a web page called cat.png. A name without a known extension (a pasted "image", a
 *   "scan.final") leaves the decision to the content.
 * - The cap of its kind (UPLOAD_LIMITS) is counted on the bytes as they arrive: the moment it is passed, reading
 *   stops and the upload is refused (413). A declared size over the cap is refused before reading on.
 * - The temporary file is removed on every path: stored, refused, failed or abandoned (withPreparedUpload).
 * - The bytes are hashed (SHA-256) as they are written, so the same file uploaded again is recognised before any
 *   decoding or storing (withPreparedUpload's `existing`), without reading the file a second time.
 * - An image's pixel count is read from its header bytes and refused over MAX_IMAGE_PIXELS before any decoder
 *   exists (lib/media/image-header.ts); sharp's limitInputPixels is the second guard on every decode.
 * - Images are re-encoded in their own format (PNG stays PNG, JPEG stays JPEG, WebP stays WebP; GIF becomes a PNG
 *   of its first frame), with the EXIF orientation applied and every metadata block (EXIF, GPS, XMP, comments)
 *   dropped.
 * - Videos must have a readable video track no larger than MAX_VIDEO_SIDE on a side (MP4 via mp4box, reading only
 *   up to its moov; WebM via its EBML header) and get a poster thumbnail from a real frame, which ffmpeg reads from
 *   the file; MP3s must have an MPEG audio frame. Videos and audio are stored as uploaded, from the file.
 */
export const UPLOAD_LIMITS: Record<Kind, { bytes: number; label: string }> = {
  IMAGE: { bytes: 25 * 1024 * 1024, label: "Images can be at most 25 MB." },
  VIDEO: { bytes: 200 * 1024 * 1024, label: "Videos can be at most 200 MB." },
  AUDIO: { bytes: 30 * 1024 * 1024, label: "Audio files can be at most 30 MB." },
};
export const MAX_UPLOAD_BYTES = UPLOAD_LIMITS.VIDEO.bytes;
export const MAX_VIDEO_SIDE = 8192;

export type UploadMimeType = "image/png" | "image/jpeg" | "image/webp" | "video/mp4" | "video/webm" | "audio/mpeg";

export interface PreparedUpload {
  kind: Kind;
  mimeType: UploadMimeType;
  /** The re-encoded image; null for videos and audio, which are stored as uploaded from `file`. */
  bytes: Uint8Array | null;
  /** The uploaded file on disk (videos and audio); it exists only until withPreparedUpload returns. */
  file: string | null;
  /** How many bytes will be stored. */
  size: number;
  thumbnail: Uint8Array | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
  /** SHA-256 (hex) of what is stored: `bytes` for an image (its re-encoding), else the file as uploaded. */
  checksum: string;
  /** SHA-256 (hex) of the bytes as uploaded. */
  contentHash: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Receiving: judged while it arrives, spooled to a temporary file

/** One uploaded file as it arrives. */
export interface UploadSource {
  /** The bytes, in order (a multipart part, a Blob's stream). Reading stops early when the file is refused. */
  stream: AsyncIterable<Uint8Array>;
  /** The file name the client gave. */
  name: string;
  /** The declared Content-Type ("" when none). */
  type: string;
  /** The declared size, when known beforehand (a Blob); a declared size over the kind's cap is refused at once. */
  size?: number;
}

export function uploadSourceOf(file: Blob): UploadSource {
  return {
    stream: file.stream() as unknown as AsyncIterable<Uint8Array>,
    name: "name" in file && typeof file.name === "string" ? file.name : "",
    type: file.type,
    size: file.size,
  };
}

/** Bytes needed to judge a file: sniffType reads 16, the QuickTime check bytes 8–12. */
const HEAD_BYTES = 64;

interface Spooled {
  path: string;
  type: SniffedType;
  kind: Kind;
  size: number;
  /** SHA-256 (hex) of the bytes written. */
  contentHash: string;
}

/** What the first bytes say, checked against the name and declared type; throws ProbeError (415 / 413). */
function judge(source: UploadSource, head: Uint8Array): { type: SniffedType; kind: Kind } {
  const type = sniffType(head);
  checkClaims(source.name, source.type, type);
  const kind = kindOf(type);
  if (source.size !== undefined && source.size > UPLOAD_LIMITS[kind].bytes) throw new ProbeError(UPLOAD_LIMITS[kind].label, 413);
  if (type === "video/mp4" && Buffer.from(head.subarray(8, 12)).toString("latin1") === "qt  ") {
    throw new ProbeError("QuickTime (MOV) videos are not supported: export the video as MP4 or WebM.", 415);
  }
  return { type, kind };
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.byteLength; ) offset += (await handle.write(chunk, offset)).bytesWritten;
}

/**
 * Writes the upload to `dir`, judging it as it arrives: its type from the first bytes (415 at once when it is not
 * one Atelier reads, or not what its name says), then its kind's cap on the running count (413 the moment it is
 * passed). Throwing out of the loop stops reading the source (its iterator is returned).
 */
async function spool(source: UploadSource, dir: string): Promise<Spooled> {
  const filePath = path.join(dir, "upload");
  const handle = await open(filePath, "wx", 0o600);
  const hash = createHash("sha256");
  let size = 0;
  let head = Buffer.alloc(0);
  let judged: { type: SniffedType; kind: Kind } | null = null;
  try {
    for await (const chunk of source.stream) {
      size += chunk.byteLength;
      if (!judged) {
        head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        if (head.length >= HEAD_BYTES) judged = judge(source, head);
      }
      const cap = judged ? UPLOAD_LIMITS[judged.kind] : { bytes: MAX_UPLOAD_BYTES, label: UPLOAD_LIMITS.VIDEO.label };
      if (size > cap.bytes) throw new ProbeError(cap.label, 413);
      hash.update(chunk);
      await writeAll(handle, chunk);
    }
  } finally {
    await handle.close();
  }
  if (size === 0) throw new ProbeError("The file is empty.", 422);
  judged ??= judge(source, head);
  return { path: filePath, type: judged.type, kind: judged.kind, size, contentHash: hash.digest("hex") };
}

/**
 * Receives, checks and prepares one upload, hands it to `store`, and removes the temporary file
 * whatever happens: stored, refused (ProbeError), failed, or abandoned by the client mid-way.
 * `existing` is asked first, with the received bytes' SHA-256, once the whole file has arrived and passed the checks
 * made while it arrived (type, name, size): what it returns, if not null, is the answer, and the file is neither
 * decoded nor handed to `store`.
 */
export async function withPreparedUpload<T>(
  source: UploadSource,
  store: (prepared: PreparedUpload) => Promise<T>,
  options: { existing?: (contentHash: string) => Promise<T | null> } = {},
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "atelier-upload-"));
  try {
    const spooled = await spool(source, dir);
    const existing = options.existing ? await options.existing(spooled.contentHash) : null;
    if (existing !== null) return existing;
    return await store(await prepareSpooled(spooled));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function prepareSpooled(spooled: Spooled): Promise<PreparedUpload> {
  // An image is at most 25 MB, and sharp decodes from memory.
  if (spooled.kind === "IMAGE") return { ...(await prepareImage(new Uint8Array(await readFile(spooled.path)), spooled.type)), contentHash: spooled.contentHash };

  const probed = await probeMediaFile(spooled.path, spooled.size, spooled.type);
  let thumbnail: Uint8Array | null = null;
  if (spooled.kind === "VIDEO") {
    if (probed.width === null || probed.height === null) throw new ProbeError("The video could not be read (no video track).", 422);
    if (probed.width > MAX_VIDEO_SIDE || probed.height > MAX_VIDEO_SIDE) {
      throw new ProbeError(`The video is ${probed.width} × ${probed.height} pixels; videos can be at most ${MAX_VIDEO_SIDE} pixels on a side.`, 422);
    }
    const frame = await videoFrameFromFile(spooled.path);
    thumbnail = frame ? await webpThumbnail(frame).catch(() => null) : null;
  }
  return {
    kind: spooled.kind,
    mimeType: probed.type as UploadMimeType,
    bytes: null,
    file: spooled.path,
    size: spooled.size,
    thumbnail,
    width: probed.width,
    height: probed.height,
    durationMs: probed.durationMs,
    frameRate: probed.frameRate,
    // Stored as uploaded: what is stored is what was hashed on the way in.
    checksum: spooled.contentHash,
    contentHash: spooled.contentHash,
  };
}

async function prepareImage(original: Uint8Array, type: SniffedType): Promise<Omit<PreparedUpload, "contentHash">> {
  const header = await imageHeader(original); // refuses a pixel bomb from its header bytes, before any decode
  let bytes: Uint8Array;
  let mimeType: UploadMimeType;
  try {
    // Metadata is dropped unless asked for (no withMetadata/keepMetadata); rotate() applies the EXIF orientation.
    const pipeline = sharp(original, { limitInputPixels: MAX_IMAGE_PIXELS, animated: false }).rotate();
    if (type === "image/jpeg") {
      bytes = await pipeline.jpeg({ quality: 92, mozjpeg: true }).toBuffer();
      mimeType = "image/jpeg";
    } else if (type === "image/webp") {
      bytes = await pipeline.webp({ quality: 92, alphaQuality: 100 }).toBuffer();
      mimeType = "image/webp";
    } else {
      bytes = await pipeline.png().toBuffer();
      mimeType = "image/png";
    }
  } catch {
    throw new ProbeError("The image could not be decoded. Is it damaged?", 422);
  }
  return {
    kind: "IMAGE",
    mimeType,
    bytes,
    file: null,
    size: bytes.byteLength,
    thumbnail: await webpThumbnail(bytes),
    width: header.width,
    height: header.height,
    durationMs: null,
    frameRate: null,
    checksum: sha256(bytes),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
