import "server-only";
import { open, type FileHandle } from "node:fs/promises";
import { createFile, MP4BoxBuffer, type ISOFile } from "mp4box";
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

/** An mp4box parser that reports the first video track's size, duration and frame rate through `info()`. */
function mp4Parser(): { file: ISOFile; info: () => VideoInfo | null } {
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
  return { file, info: () => info };
}

export function mp4Info(bytes: Uint8Array): VideoInfo | null {
  const { file, info } = mp4Parser();
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(new Uint8Array(bytes).buffer, 0));
    file.flush();
  } catch {
    return null;
  }
  return info();
}

const MP4_CHUNK_BYTES = 1024 * 1024;
/**
 * The most bytes of an MP4 file handed to mp4box while looking for its `moov` box. A real movie box is a few MB even
 * for long videos; without a bound, a file made of one enormous non-`mdat` box would be buffered whole.
 */
export const MP4_PROBE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * mp4Info for a file on disk, read in 1 MB chunks from the positions mp4box asks for (it skips each `mdat` by its
 * size), so a 200 MB video is never held in memory: ftyp and moov are read, the media data is not.
 */
export async function mp4InfoFromFile(handle: FileHandle, size: number): Promise<VideoInfo | null> {
  const { file, info } = mp4Parser();
  let position = 0;
  let fed = 0;
  try {
    while (!info() && position < size && fed < MP4_PROBE_MAX_BYTES) {
      const length = Math.min(MP4_CHUNK_BYTES, size - position);
      const chunk = new Uint8Array(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position);
      if (bytesRead === 0) break;
      fed += bytesRead;
      const next = file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(chunk.buffer.slice(0, bytesRead), position), position + bytesRead >= size);
      // mp4box names the next position it needs: past an mdat it skips, or the end of what it has. Never go back.
      position = typeof next === "number" && next > position ? next : position + bytesRead;
    }
    file.flush();
  } catch {
    return null;
  }
  return info();
}

const MP3_KBPS_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/** Duration of an MP3 from its first frame's bitrate (an estimate, exact for constant bitrates); null if no frame. */
export function mp3DurationMs(bytes: Uint8Array): number | null | undefined {
  const offset = mp3AudioOffset(bytes);
  return offset === null ? undefined : mp3DurationInWindow(bytes.subarray(offset, offset + MP3_FRAME_SEARCH_BYTES), offset, bytes.length);
}

/** Where an MP3's audio starts: after its ID3v2 tag, if any (whose size is in its 10-byte header). */
function mp3AudioOffset(head: Uint8Array): number | null {
  if (head.length >= 3 && ascii(head, 0, 3) === "ID3") {
    if (head.length < 10) return null;
    return 10 + (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f));
  }
  return 0;
}

const MP3_FRAME_SEARCH_BYTES = 4096 + 4;

/** The duration from the first frame found in `window` (bytes of the file from `windowStart`); undefined if none. */
function mp3DurationInWindow(window: Uint8Array, windowStart: number, totalLength: number): number | null | undefined {
  for (let i = 0; i < window.length - 4; i++) {
    if (window[i] === 0xff && (window[i + 1]! & 0xe0) === 0xe0 && ((window[i + 1]! >> 1) & 0x3) === 1) {
      const version = (window[i + 1]! >> 3) & 0x3;
      const kbps = version === 3 ? MP3_KBPS_V1_L3[window[i + 2]! >> 4] : undefined;
      return kbps ? Math.round(((totalLength - windowStart - i) * 8) / kbps) : null;
    }
  }
  return undefined;
}

/** mp3DurationMs for a file on disk: reads its ID3 header and the 4 KB after the tag, never the whole file. */
export async function mp3DurationFromFile(handle: FileHandle, size: number): Promise<number | null | undefined> {
  const head = new Uint8Array(Math.min(10, size));
  await handle.read(head, 0, head.length, 0);
  const offset = mp3AudioOffset(head);
  if (offset === null || offset >= size) return undefined;
  const window = new Uint8Array(Math.min(MP3_FRAME_SEARCH_BYTES, size - offset));
  const { bytesRead } = await handle.read(window, 0, window.length, offset);
  return mp3DurationInWindow(window.subarray(0, bytesRead), offset, size);
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

/** How much of a WebM is read for its header: EBML, Info and Tracks come before the first cluster. */
export const WEBM_HEAD_BYTES = 4 * 1024 * 1024;

/**
 * probeFile for a video or an audio file on disk (an upload being checked), reading only what each format needs:
 * an MP4's boxes up to its moov (mp4InfoFromFile), a WebM's first 4 MB, an MP3's tag header and first frame.
 */
export async function probeMediaFile(path: string, size: number, type: SniffedType): Promise<ProbedFile> {
  const kind = kindOf(type);
  if (kind === "IMAGE") throw new Error("probeMediaFile is for video and audio; images are read whole");
  const handle = await open(path, "r");
  try {
    if (type === "video/mp4") {
      const info = await mp4InfoFromFile(handle, size);
      if (!info) throw new ProbeError("The video could not be read (no video track).", 422);
      return { type, kind, ...info };
    }
    if (type === "video/webm") {
      const head = new Uint8Array(Math.min(size, WEBM_HEAD_BYTES));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const info = webmInfo(head.subarray(0, bytesRead));
      if (info?.docType && info.docType !== "webm") throw new ProbeError("Matroska (MKV) videos are not supported: use MP4 or WebM.", 415);
      if (!info || info.width === null || info.height === null) throw new ProbeError("The video could not be read (no video track).", 422);
      return { type, kind, width: info.width, height: info.height, durationMs: info.durationMs, frameRate: null };
    }
    const duration = await mp3DurationFromFile(handle, size);
    if (duration === undefined) throw new ProbeError("The audio could not be read as MP3.", 422);
    return { type, kind, width: null, height: null, durationMs: duration, frameRate: null };
  } finally {
    await handle.close();
  }
}
