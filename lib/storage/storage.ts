import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { LocalDiskStorage } from "@/lib/storage/local-disk";

/**
 * Where Atelier keeps its files (generated media, uploaded assets, thumbnails). Keys are built by Atelier only
 * (`ws/<workspaceId>/gen/<generationId>/<mediaId>.<ext>`, `ws/<workspaceId>/assets/<assetId>.<ext>`): never from
 * user input, so a key can never escape its workspace's prefix.
 *
 * The interface is small on purpose so an object store fits it: an S3 implementation would `put` with PutObject
 * (or a multipart Upload for streams; an object appears atomically when the upload completes), `putFile` with a
 * multipart Upload of the file's read stream (its size known up front), `get` with GetObject
 * and its `Range: bytes=a-b` header (ContentLength / ContentType from the answer), `stat` with HeadObject (NotFound →
 * null) and `delete` with DeleteObject. The bucket and credentials would come from lib/env.ts.
 */
export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface StoredObject {
  stream: ReadableStream<Uint8Array>;
  /** Size of the whole object (not of the range). */
  size: number;
  contentType: string;
}

export interface StorageStat {
  size: number;
  contentType: string;
}

export interface Storage {
  put(key: string, body: Uint8Array | ReadableStream<Uint8Array>, options: { contentType: string }): Promise<{ size: number }>;
  /**
   * Stores a file from the local disk (an upload spooled to a temporary file) without reading it into memory. The
   * file stays where it is: the caller removes it.
   */
  putFile(key: string, filePath: string, options: { contentType: string }): Promise<{ size: number }>;
  /** null when the key does not exist. */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  stat(key: string): Promise<StorageStat | null>;
  delete(key: string): Promise<void>;
}

const globalForStorage = globalThis as unknown as { atelierStorage?: Storage };

/** The process's storage (local disk under MEDIA_DIR, default .data/media). */
export function storage(): Storage {
  globalForStorage.atelierStorage ??= new LocalDiskStorage(env().MEDIA_DIR ?? path.join(process.cwd(), ".data", "media"));
  return globalForStorage.atelierStorage;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)*$/;

/** Refuses anything but the keys Atelier builds (no "..", no absolute paths, no odd characters). */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.length > 300) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

const EXT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
};

export function contentTypeForKey(key: string): string {
  const ext = key.split(".").pop()?.toLowerCase() ?? "";
  return EXT_TYPES[ext] ?? "application/octet-stream";
}

export function extensionForType(contentType: string): string {
  const found = Object.entries(EXT_TYPES).find(([, type]) => type === contentType);
  if (!found) throw new Error(`no extension for ${contentType}`);
  return found[0];
}

export const storageKeys = {
  media: (workspaceId: string, generationId: string, mediaId: string, ext: string) => `ws/${workspaceId}/gen/${generationId}/${mediaId}.${ext}`,
  mediaThumb: (workspaceId: string, generationId: string, mediaId: string) => `ws/${workspaceId}/gen/${generationId}/${mediaId}.thumb.webp`,
  asset: (workspaceId: string, assetId: string, ext: string) => `ws/${workspaceId}/assets/${assetId}.${ext}`,
  assetThumb: (workspaceId: string, assetId: string) => `ws/${workspaceId}/assets/${assetId}.thumb.webp`,
};
