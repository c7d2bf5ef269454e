import "server-only";
import { db } from "@/lib/db";
import { videoFrame } from "@/lib/media/video-frame";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { imageHeader, mp4Info, sniffType, kindOf, webpThumbnail, ProbeError } from "@/lib/media/probe";
import { sha256 } from "@/lib/media/upload";
import { extensionForType, storage, storageKeys } from "@/lib/storage/storage";

/**
 * Copying a provider's output into Atelier's storage: download through the connection's fetch (timeout, size cap),
 * check the type by magic bytes against what was asked for, read dimensions (sharp header / mp4box), store the
 * original and a WebP thumbnail (512 px long side), then mark the Media READY. Storage keys are deterministic, so
 * running it again after a crash overwrites rather than duplicates. A file that is not what it should be is
 * `IngestRejected` (the item fails); network trouble throws anything else (the job retries).
 */
export class IngestRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestRejected";
  }
}

const MAX_BYTES: Record<MediaKind, number> = { IMAGE: 60 * 1024 * 1024, VIDEO: 500 * 1024 * 1024, AUDIO: 60 * 1024 * 1024 };

export async function download(fetchImpl: typeof fetch, url: string, maxBytes: number, timeoutMs = 120_000): Promise<Uint8Array> {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new IngestRejected("the provider gave a non-http URL");
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new IngestRejected("the provider's file is too large");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new IngestRejected("the provider's file is too large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export interface IngestTarget {
  workspaceId: string;
  generationId: string;
  mediaId: string;
  kind: MediaKind;
  /** An image to make a video's thumbnail from when no frame of the video can be read, or null. */
  posterKey: string | null;
}

export async function ingestMedia(fetchImpl: typeof fetch, target: IngestTarget, url: string): Promise<void> {
  const bytes = await download(fetchImpl, url, MAX_BYTES[target.kind]);
  const type = sniffType(bytes.subarray(0, 64));
  if (!type || kindOf(type) !== target.kind) throw new IngestRejected(`the provider's file is not ${target.kind.toLowerCase()}`);
  let width: number | null = null;
  let height: number | null = null;
  let durationMs: number | null = null;
  let thumbnail: Uint8Array | null = null;
  try {
    if (target.kind === "IMAGE") {
      const header = await imageHeader(bytes);
      width = header.width;
      height = header.height;
      thumbnail = await webpThumbnail(bytes);
    } else if (type === "video/mp4") {
      const info = mp4Info(bytes);
      if (!info) throw new IngestRejected("the provider's video has no readable video track");
      ({ width, height, durationMs } = info);
      const frame = await videoFrame(bytes);
      if (frame) thumbnail = await webpThumbnail(frame);
    }
  } catch (error) {
    if (error instanceof ProbeError) throw new IngestRejected(error.message);
    throw error;
  }
  if (!thumbnail && target.posterKey) {
    const poster = await storage().get(target.posterKey);
    if (poster) thumbnail = await webpThumbnail(new Uint8Array(await new Response(poster.stream).arrayBuffer()));
  }

  const storageKey = storageKeys.media(target.workspaceId, target.generationId, target.mediaId, extensionForType(type));
  const thumbKey = thumbnail ? storageKeys.mediaThumb(target.workspaceId, target.generationId, target.mediaId) : null;
  await storage().put(storageKey, bytes, { contentType: type });
  if (thumbKey && thumbnail) await storage().put(thumbKey, thumbnail, { contentType: "image/webp" });
  await db.media.updateMany({
    where: { id: target.mediaId, workspaceId: target.workspaceId, status: "PENDING" },
    data: {
      status: "READY",
      storageKey,
      thumbKey,
      mimeType: type,
      width,
      height,
      durationMs,
      bytes: bytes.byteLength,
      checksum: sha256(bytes),
      readyAt: new Date(),
    },
  });
}
