/** Checks uploaded bytes by content, not by the declared type. */
import { createFile, MP4BoxBuffer } from "mp4box";
import sharp from "sharp";
import type { AssetType } from "./types";

export type ProbeResult =
  | { ok: true; ext: string; size?: { width: number; height: number }; duration?: number; frames?: number }
  | { ok: false; reason: string };

const IMAGE_EXT: Record<string, string> = { png: "png", jpeg: "jpg", webp: "webp", gif: "gif", avif: "avif", heif: "avif", tiff: "tiff" };

async function probeImage(bytes: Buffer): Promise<ProbeResult> {
  try {
    const meta = await sharp(bytes).metadata();
    const ext = meta.format ? IMAGE_EXT[meta.format] : undefined;
    if (!ext || !meta.width || !meta.height) return { ok: false, reason: "not a supported image" };
    await sharp(bytes).resize(8, 8, { fit: "fill" }).raw().toBuffer(); // full decode: catches truncated files
    return { ok: true, ext, size: { width: meta.width, height: meta.height } };
  } catch {
    return { ok: false, reason: "the bytes do not decode as an image" };
  }
}

interface Mp4Info {
  width: number;
  height: number;
  duration: number;
  frames: number;
}

export function probeMp4(bytes: Uint8Array): Mp4Info | null {
  const file = createFile();
  let info: Mp4Info | null = null;
  file.onReady = (movie) => {
    const track = movie.videoTracks[0];
    if (!track) return;
    const width = track.video?.width ?? track.track_width;
    const height = track.video?.height ?? track.track_height;
    const duration = track.timescale ? track.duration / track.timescale : movie.duration / movie.timescale;
    info = { width, height, duration, frames: track.nb_samples };
  };
  file.onError = () => undefined;
  try {
    const copy = new Uint8Array(bytes).buffer;
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0));
    file.flush();
  } catch {
    return null;
  }
  return info;
}

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

function probeMp3(bytes: Buffer): ProbeResult {
  let offset = 0;
  if (bytes.length >= 10 && bytes.toString("latin1", 0, 3) === "ID3") {
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    offset = 10 + size;
  }
  // Find the first frame sync within a small window.
  for (let i = offset; i < Math.min(bytes.length - 4, offset + 4096); i++) {
    if (bytes[i] === 0xff && (bytes[i + 1]! & 0xe0) === 0xe0) {
      const version = (bytes[i + 1]! >> 3) & 0x3;
      const layer = (bytes[i + 1]! >> 1) & 0x3;
      if (layer !== 1) continue; // layer III
      const bitrateIndex = bytes[i + 2]! >> 4;
      const kbps = version === 3 ? MP3_BITRATES_V1_L3[bitrateIndex] : undefined;
      const duration = kbps ? Math.round((((bytes.length - i) * 8) / (kbps * 1000)) * 100) / 100 : undefined;
      return { ok: true, ext: "mp3", duration };
    }
  }
  return { ok: false, reason: "not an MP3 file" };
}

export async function probeAsset(type: AssetType, bytes: Buffer): Promise<ProbeResult> {
  if (bytes.length === 0) return { ok: false, reason: "empty upload" };
  if (type === "image") return probeImage(bytes);
  if (type === "audio") return probeMp3(bytes);
  if (bytes.length >= 12 && bytes.toString("latin1", 4, 8) === "ftyp") {
    const info = probeMp4(bytes);
    if (!info) return { ok: false, reason: "MP4 without a readable video track" };
    return { ok: true, ext: "mp4", size: { width: info.width, height: info.height }, duration: info.duration, frames: info.frames };
  }
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) return { ok: true, ext: "webm" };
  return { ok: false, reason: "not an MP4 or WebM video" };
}
