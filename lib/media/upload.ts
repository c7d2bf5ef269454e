import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { imageHeader, kindOf, MAX_IMAGE_PIXELS, probeFile, ProbeError, sniffType, webpThumbnail, type Kind } from "@/lib/media/probe";

/**
 * Checking and normalising a member's upload, by content: the first bytes decide the type (the name and declared
 * type are ignored), size caps per kind are applied before the body is read whole, an image's pixel count is read
 * from its header before anything is decoded, and images are re-encoded (PNG when they have transparency, JPEG
 * otherwise) with their metadata stripped (EXIF orientation applied first).
 */
export const UPLOAD_LIMITS: Record<Kind, { bytes: number; label: string }> = {
  IMAGE: { bytes: 25 * 1024 * 1024, label: "Images can be at most 25 MB." },
  VIDEO: { bytes: 200 * 1024 * 1024, label: "Videos can be at most 200 MB." },
  AUDIO: { bytes: 30 * 1024 * 1024, label: "Audio files can be at most 30 MB." },
};
export const MAX_UPLOAD_BYTES = UPLOAD_LIMITS.VIDEO.bytes;

export interface PreparedUpload {
  kind: Kind;
  mimeType: "image/png" | "image/jpeg" | "video/mp4" | "video/webm" | "audio/mpeg";
  bytes: Uint8Array;
  thumbnail: Uint8Array | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
  checksum: string;
}

export async function prepareUpload(file: Blob): Promise<PreparedUpload> {
  if (file.size === 0) throw new ProbeError("The file is empty.", 422);
  if (file.size > MAX_UPLOAD_BYTES) throw new ProbeError(UPLOAD_LIMITS.VIDEO.label, 413);
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const type = sniffType(head);
  if (!type) throw new ProbeError("This file is not a supported image (PNG, JPEG, WebP, GIF), video (MP4, WebM) or audio (MP3) file.", 415);
  const kind = kindOf(type);
  if (file.size > UPLOAD_LIMITS[kind].bytes) throw new ProbeError(UPLOAD_LIMITS[kind].label, 413);
  const original = new Uint8Array(await file.arrayBuffer());

  if (kind === "IMAGE") {
    const header = await imageHeader(original); // refuses a pixel bomb before decoding
    let bytes: Uint8Array;
    let mimeType: "image/png" | "image/jpeg";
    try {
      const pipeline = sharp(original, { limitInputPixels: MAX_IMAGE_PIXELS, animated: false }).rotate();
      if (header.hasAlpha) {
        bytes = await pipeline.png({ compressionLevel: 9 }).toBuffer();
        mimeType = "image/png";
      } else {
        bytes = await pipeline.jpeg({ quality: 92, mozjpeg: true }).toBuffer();
        mimeType = "image/jpeg";
      }
    } catch {
      throw new ProbeError("The image could not be decoded.", 422);
    }
    return {
      kind,
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

  const probed = await probeFile(original);
  return {
    kind,
    mimeType: probed.type as PreparedUpload["mimeType"],
    bytes: original,
    thumbnail: null,
    width: probed.width,
    height: probed.height,
    durationMs: probed.durationMs,
    frameRate: probed.frameRate,
    checksum: sha256(original),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
