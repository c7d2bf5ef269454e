import "server-only";
import { createFile, MP4BoxBuffer } from "mp4box";
import sharp, { type Metadata } from "sharp";
import { readImageDimensions } from "@/lib/media/image-header";
import { webmInfo } from "@/lib/media/webm";

/**
 * Reading files by their content, never by their name or declared type: magic bytes decide what a file is; sharp
 * reads an image's dimensions from its header (no decode, so a pixel bomb is refused before any pixel is
 * allocated); mp4box reads an MP4's size, duration and frame count. Used for uploads and for provider outputs.
 */
export type SniffedType = "image/png" | "image/jpeg" | "image/webp" | "image/gif" | "video/mp4" | "video/webm" | "audio/mpeg";
export type Kind = "IMAGE" | "VIDEO" | "AUDIO";

export const MAX_IMAGE_PIXELS = 40_000_000;

export function kindOf(type: SniffedType): Kind {
  return type.startsWith("image/") ? "IMAGE" : type.startsWith("video/") ? "VIDEO" : "AUDIO";
}

const ascii = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString("latin1");

/** The file's type from its first bytes (at least 16 are needed), or null. */
export function sniffType(head: Uint8Array): SniffedType | null {
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, 4) === "PNG" && head[4] === 0x0d && head[5] === 0x0a) return "image/png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return "image/webp";
  if (head.length >= 6 && (ascii(head, 0, 6) === "GIF87a" || ascii(head, 0, 6) === "GIF89a")) return "image/gif";
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") return "video/mp4";
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return "video/webm";
  if (head.length >= 3 && ascii(head, 0, 3) === "ID3") return "audio/mpeg";
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0 && ((head[1]! >> 1) & 0x3) === 1) return "audio/mpeg";
  return null;
}

export class ProbeError extends Error {
  constructor(
    message: string,
    /** 413 too large, 415 not a supported type, 422 unreadable or out of limits. */
    readonly status: 413 | 415 | 422,
  ) {
    super(message);
    this.name = "ProbeError";
  }
}

export interface ImageInfo {
  width: number;
  height: number;
  hasAlpha: boolean;
}

function refuseOversized(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ProbeError(`The image is ${width} × ${height} pixels; images can have at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`, 422);
  }
}

/**
 * Header-only: refuses more than MAX_IMAGE_PIXELS without decoding. The dimensions are first read from the header
 * bytes by our own parser, so a pixel bomb never reaches sharp at all; sharp's header read (metadata(), no decode)
 * then supplies alpha and orientation, and checks again for formats our parser could not read.
 */
export async function imageHeader(bytes: Uint8Array): Promise<ImageInfo> {
  const declared = readImageDimensions(bytes);
  if (declared) refuseOversized(declared.width, declared.height);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ProbeError("The image could not be read.", 422);
  }
  if (!meta.width || !meta.height) throw new ProbeError("The image could not be read.", 422);
  refuseOversized(meta.width, meta.height);
  const rotated = (meta.orientation ?? 1) >= 5;
  return { width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height, hasAlpha: Boolean(meta.hasAlpha) };
}

export interface VideoInfo {
  width: number;
  height: number;
  durationMs: number | null;
  frameRate: number | null;
}

export function mp4Info(bytes: Uint8Array): VideoInfo | null {
  const file = createFile();
  let info: VideoInfo | null = null;
  file.onReady = (movie) => {
    const track = movie.videoTracks[0];
    if (!track) return;
    const width = track.video?.width ?? track.track_width;
    const height = track.video?.height ?? track.track_height;
    const seconds = track.timescale ? track.duration / track.timescale : movie.timescale ? movie.duration / movie.timescale : 0;
    info = {
      width,
      height,
      durationMs: seconds > 0 ? Math.round(seconds * 1000) : null,
      frameRate: seconds > 0 && track.nb_samples ? Math.round((track.nb_samples / seconds) * 100) / 100 : null,
    };
  };
  file.onError = () => undefined;
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(new Uint8Array(bytes).buffer, 0));
    file.flush();
  } catch {
    return null;
  }
  return info;
}

const MP3_KBPS_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/** Duration of an MP3 from its first frame's bitrate (an estimate, exact for constant bitrates); null if no frame. */
export function mp3DurationMs(bytes: Uint8Array): number | null | undefined {
  let offset = 0;
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === "ID3") {
    offset = 10 + (((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f));
  }
  for (let i = offset; i < Math.min(bytes.length - 4, offset + 4096); i++) {
    if (bytes[i] === 0xff && (bytes[i + 1]! & 0xe0) === 0xe0 && ((bytes[i + 1]! >> 1) & 0x3) === 1) {
      const version = (bytes[i + 1]! >> 3) & 0x3;
      const kbps = version === 3 ? MP3_KBPS_V1_L3[bytes[i + 2]! >> 4] : undefined;
      return kbps ? Math.round(((bytes.length - i) * 8) / kbps) : null;
    }
  }
  return undefined;
}

/** A WebP thumbnail, at most 512 px on the long side (never enlarged). */
export async function webpThumbnail(bytes: Uint8Array): Promise<Uint8Array> {
  return sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .resize(512, 512, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}

export interface ProbedFile {
  type: SniffedType;
  kind: Kind;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
}

/** What a complete file is, by content; throws ProbeError when it is none of the supported types or unreadable. */
export async function probeFile(bytes: Uint8Array): Promise<ProbedFile> {
  const type = sniffType(bytes.subarray(0, 64));
  if (!type) throw new ProbeError("This file is not a supported image, video or audio file.", 415);
  const kind = kindOf(type);
  if (kind === "IMAGE") {
    const info = await imageHeader(bytes);
    return { type, kind, width: info.width, height: info.height, durationMs: null, frameRate: null };
  }
  if (type === "video/mp4") {
    const info = mp4Info(bytes);
    if (!info) throw new ProbeError("The video could not be read (no video track).", 422);
    return { type, kind, ...info };
  }
  if (type === "video/webm") {
    const info = webmInfo(bytes);
    if (info?.docType && info.docType !== "webm") throw new ProbeError("Matroska (MKV) videos are not supported: use MP4 or WebM.", 415);
    if (!info || info.width === null || info.height === null) throw new ProbeError("The video could not be read (no video track).", 422);
    return { type, kind, width: info.width, height: info.height, durationMs: info.durationMs, frameRate: null };
  }
  const duration = mp3DurationMs(bytes);
  if (duration === undefined) throw new ProbeError("The audio could not be read as MP3.", 422);
  return { type, kind, width: null, height: null, durationMs: duration, frameRate: null };
}
