import "server-only";
import type { DownloadSource } from "@/lib/connections/workspace";
import { getOutputStatus, markOutputReady } from "@/lib/data/generation-runs";
import { downloadChecked } from "@/lib/net/download";
import { findOutboundRefusal } from "@/lib/net/errors";
import { videoFrame } from "@/lib/media/video-frame";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { imageHeader, mp4Info, sniffType, kindOf, webpThumbnail, ProbeError } from "@/lib/media/probe";
import { sha256 } from "@/lib/media/upload";
import { extensionForType, storageKeys } from "@/lib/storage/keys";
import { storage } from "@/lib/storage/storage";

/**
 * Copying a provider's output into Atelier's storage: download it through the checked client (lib/net/download.ts:
 * only from the provider's own hosts, public addresses, redirects re-checked hop by hop, a size cap counted while
 * streaming, a timeout), check the type by magic bytes against what was asked for, read dimensions (sharp header /
 * mp4box), store the original and a WebP thumbnail (512 px long side), then mark the Media READY. Storage keys are
 * deterministic, so running it again after a crash overwrites rather than duplicates. A file that is not what it
 * should be, or that the outbound check refuses, is `IngestRejected` (the item fails); network trouble throws
 * anything else (the job retries).
 */
export class IngestRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestRejected";
  }
}

const MAX_BYTES: Record<MediaKind, number> = { IMAGE: 60 * 1024 * 1024, VIDEO: 500 * 1024 * 1024, AUDIO: 60 * 1024 * 1024 };

export async function download(source: DownloadSource, url: string, maxBytes: number, timeoutMs = 120_000): Promise<Uint8Array> {
  try {
    const options: Parameters<typeof downloadChecked>[1] = { fetch: source.fetch, allowedHosts: source.hosts, allowedOrigins: source.origins, maxBytes, timeoutMs };
    if (source.signal) options.signal = source.signal; // the job's: a lost lease or a stopping worker ends the download
    const { bytes } = await downloadChecked(url, options);
    return bytes;
  } catch (error) {
    const refusal = findOutboundRefusal(error);
    // A refusal is final (the same URL would be refused again); a name that did not resolve may resolve later.
    if (refusal && refusal.kind !== "dns_failed") throw new IngestRejected(refusal.message);
    throw error;
  }
}

export interface IngestTarget {
  workspaceId: string;
  generationId: string;
  mediaId: string;
  kind: MediaKind;
  /** An image to make a video's thumbnail from when no frame of the video can be read, or null. */
  posterKey: string | null;
}

export async function ingestMedia(source: DownloadSource, target: IngestTarget, url: string): Promise<void> {
  const bytes = await download(source, url, MAX_BYTES[target.kind]);
  const type = sniffType(bytes.subarray(0, 64));
  if (!type || kindOf(type) !== target.kind) throw new IngestRejected(`the provider's file is not ${target.kind.toLowerCase()}`);
  const storageKey = storageKeys.media(target.workspaceId, target.generationId, target.mediaId, extensionForType(type));
  // The original is written (and fsynced) while the thumbnail is made: the two were most of the time from the
  // provider's success to READY. If the file turns out unreadable, the copy is removed again.
  const storingOriginal = storage().put(storageKey, bytes, { contentType: type });
  storingOriginal.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  let width: number | null = null;
  let height: number | null = null;
  let durationMs: number | null = null;
  let thumbnail: Uint8Array | null = null;
  try {
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
  } catch (error) {
    await storingOriginal.then(() => storage().delete(storageKey)).catch(() => undefined);
    throw error;
  }

  const thumbKey = thumbnail ? storageKeys.mediaThumb(target.workspaceId, target.generationId, target.mediaId) : null;
  await Promise.all([storingOriginal, thumbKey && thumbnail ? storage().put(thumbKey, thumbnail, { contentType: "image/webp" }) : null]);
  const ready = await markOutputReady(target, {
    storageKey,
    thumbKey,
    mimeType: type,
    width,
    height,
    durationMs,
    bytes: bytes.byteLength,
    checksum: sha256(bytes),
  });
  if (!ready) {
    // The item was dropped meanwhile (its run was cancelled): its files must not outlive it. An item made READY by
    // an earlier run of this job has these very keys, so it keeps them.
    if ((await getOutputStatus(target.mediaId)) !== "READY") {
      await storage().delete(storageKey);
      if (thumbKey) await storage().delete(thumbKey);
    }
  }
}
