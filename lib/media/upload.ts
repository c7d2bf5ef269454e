import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { imageHeader, kindOf, MAX_IMAGE_PIXELS, probeFile, ProbeError, sniffType, webpThumbnail, type Kind, type SniffedType } from "@/lib/media/probe";
import { videoFrame } from "@/lib/media/video-frame";

/**
 * Checking and normalising a member's upload, by content. What it promises:
 * - The first bytes decide what a file is. A file whose name (extension) or declared type says something else is
 *   refused with a sentence naming both: a PNG called clip.mp4, an MP4 called photo.png, a web page called cat.png.
 *   A name without a known extension (a pasted "image", a "scan.final") leaves the decision to the content.
 * - Size caps per kind apply before the body is read whole.
 * - An image's pixel count is read from its header bytes and refused over MAX_IMAGE_PIXELS before any decoder
 *   exists (lib/media/image-header.ts); sharp's limitInputPixels is the second guard on every decode.
 * - Images are re-encoded in their own format (PNG stays PNG, JPEG stays JPEG, WebP stays WebP; GIF becomes a PNG
 *   of its first frame), with the EXIF orientation applied and every metadata block (EXIF, GPS, XMP, comments)
 *   dropped.
 * - Videos must have a readable video track no larger than MAX_VIDEO_SIDE on a side (MP4 via mp4box, WebM via its
 *   EBML header) and get a poster thumbnail from a real frame; MP3s must have an MPEG audio frame.
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
  bytes: Uint8Array;
  thumbnail: Uint8Array | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
  checksum: string;
}

// ---------------------------------------------------------------------------------------------------------------
// What a name or a declared type claims

const LABEL: Record<SniffedType, string> = {
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/webp": "a WebP image",
  "image/gif": "a GIF image",
  "video/mp4": "an MP4 video",
  "video/webm": "a WebM video",
  "audio/mpeg": "an MP3 audio file",
};

/** Extensions of the types we read, and of well-known other types (a file named like one is not ours to accept). */
const EXTENSIONS: Record<string, SniffedType | { other: string }> = {
  png: "image/png",
  apng: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  jfif: "image/jpeg",
  pjpeg: "image/jpeg",
  pjp: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  mov: { other: "a QuickTime movie" },
  qt: { other: "a QuickTime movie" },
  mkv: { other: "a Matroska video" },
  avi: { other: "an AVI video" },
  wmv: { other: "a Windows Media video" },
  heic: { other: "a HEIC image" },
  heif: { other: "a HEIF image" },
  avif: { other: "an AVIF image" },
  tif: { other: "a TIFF image" },
  tiff: { other: "a TIFF image" },
  bmp: { other: "a BMP image" },
  ico: { other: "an icon" },
  svg: { other: "an SVG drawing" },
  wav: { other: "a WAV audio file" },
  ogg: { other: "an Ogg file" },
  oga: { other: "an Ogg audio file" },
  m4a: { other: "an M4A audio file" },
  aac: { other: "an AAC audio file" },
  flac: { other: "a FLAC audio file" },
  html: { other: "a web page" },
  htm: { other: "a web page" },
  xhtml: { other: "a web page" },
  js: { other: "a script" },
  txt: { other: "a text file" },
  json: { other: "a JSON file" },
  xml: { other: "an XML file" },
  pdf: { other: "a PDF document" },
  zip: { other: "a zip archive" },
  exe: { other: "a program" },
};

/** Declared (Content-Type) values and what they claim; other declared types are not judged. */
const DECLARED: Record<string, SniffedType | { other: string }> = {
  "image/png": "image/png",
  "image/apng": "image/png",
  "image/x-png": "image/png",
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/webp": "image/webp",
  "image/gif": "image/gif",
  "video/mp4": "video/mp4",
  "video/x-m4v": "video/mp4",
  "video/webm": "video/webm",
  "audio/mpeg": "audio/mpeg",
  "audio/mp3": "audio/mpeg",
  "audio/mpeg3": "audio/mpeg",
  "audio/x-mpeg": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "video/quicktime": { other: "a QuickTime movie" },
  "image/svg+xml": { other: "an SVG drawing" },
  "image/heic": { other: "a HEIC image" },
  "text/html": { other: "a web page" },
  "text/plain": { other: "a text file" },
  "application/pdf": { other: "a PDF document" },
};

const SUPPORTED = "Atelier takes PNG, JPEG, WebP and GIF images, MP4 and WebM videos, and MP3 audio.";

function extensionOf(name: string): string | null {
  const match = /\.([a-z0-9]{1,6})$/i.exec(name.trim());
  return match && /[a-z]/i.test(match[1]!) ? match[1]!.toLowerCase() : null;
}

const labelOf = (claim: SniffedType | { other: string }) => (typeof claim === "string" ? LABEL[claim] : claim.other);

/** Refuses a file whose name or declared type says it is something other than what its bytes are. */
function checkClaims(name: string, declared: string, content: SniffedType | null): asserts content is SniffedType {
  const shown = name.trim() ? `“${name.trim()}”` : "This file";
  const extension = extensionOf(name);
  const byName = extension ? EXTENSIONS[extension] : undefined;
  const byType = DECLARED[declared.split(";")[0]!.trim().toLowerCase()];
  const claim = byName ?? byType;
  if (!content) {
    throw new ProbeError(
      claim ? `${shown} is named like ${labelOf(claim)}, but its content is not a file Atelier can read. ${SUPPORTED}` : `${shown} is not a file Atelier can read. ${SUPPORTED}`,
      415,
    );
  }
  for (const [how, said] of [["named like", byName], ["sent as", byType]] as const) {
    if (said === undefined || said === content) continue;
    const saidLabel = labelOf(said);
    throw new ProbeError(`${shown} is ${how} ${saidLabel}, but its content is ${LABEL[content]}, so it was refused. Rename or export it again with the right type.`, 415);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function fileName(file: Blob): string {
  return "name" in file && typeof file.name === "string" ? file.name : "";
}

export async function prepareUpload(file: Blob): Promise<PreparedUpload> {
  if (file.size === 0) throw new ProbeError("The file is empty.", 422);
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const type = sniffType(head);
  checkClaims(fileName(file), file.type, type);
  const kind = kindOf(type);
  if (file.size > UPLOAD_LIMITS[kind].bytes) throw new ProbeError(UPLOAD_LIMITS[kind].label, 413);
  if (type === "video/mp4" && Buffer.from(head.subarray(8, 12)).toString("latin1") === "qt  ") {
    throw new ProbeError("QuickTime (MOV) videos are not supported: export the video as MP4 or WebM.", 415);
  }
  const original = new Uint8Array(await file.arrayBuffer());
  if (kind === "IMAGE") return prepareImage(original, type);

  const probed = await probeFile(original);
  let thumbnail: Uint8Array | null = null;
  if (kind === "VIDEO") {
    if (probed.width === null || probed.height === null) throw new ProbeError("The video could not be read (no video track).", 422);
    if (probed.width > MAX_VIDEO_SIDE || probed.height > MAX_VIDEO_SIDE) {
      throw new ProbeError(`The video is ${probed.width} × ${probed.height} pixels; videos can be at most ${MAX_VIDEO_SIDE} pixels on a side.`, 422);
    }
    const frame = await videoFrame(original);
    thumbnail = frame ? await webpThumbnail(frame).catch(() => null) : null;
  }
  return {
    kind,
    mimeType: probed.type as UploadMimeType,
    bytes: original,
    thumbnail,
    width: probed.width,
    height: probed.height,
    durationMs: probed.durationMs,
    frameRate: probed.frameRate,
    checksum: sha256(original),
  };
}

async function prepareImage(original: Uint8Array, type: SniffedType): Promise<PreparedUpload> {
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
