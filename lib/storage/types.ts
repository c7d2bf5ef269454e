/**
 * Where Atelier keeps its files (generated media, uploaded assets, thumbnails). Keys are built by Atelier only
 * (`ws/<workspaceId>/gen/<generationId>/<mediaId>.<ext>`, `ws/<workspaceId>/assets/<assetId>.<ext>`): never from
 * user input, so a key can never escape its workspace's prefix.
 *
 * The interface is small on purpose so an object store fits it. Two implementations: the local disk
 * (local-disk.ts, the default) and an S3-compatible bucket (s3.ts: PutObject or a multipart Upload, GetObject with a
 * Range header, HeadObject, DeleteObject; chosen by STORAGE_DRIVER in lib/env.ts, built by storage.ts).
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
  /**
   * Resolves when the store can be written and read now (the media folder exists and is writable; the bucket is
   * reachable with these credentials); rejects with a sentence an admin can act on. Used at start-up and by the
   * readiness route.
   */
  check(): Promise<void>;
  /**
   * A link that fetches the object straight from the store, without this server: only stores that can sign one (S3)
   * have it. Whoever holds the link can read the object until it expires, so hand it only to someone this server has
   * just authorized (a member of the object's workspace, or the provider of one of its runs), with a short expiry.
   */
  presignedGetUrl?(key: string, options: PresignedGetOptions): Promise<string>;
}

export interface PresignedGetOptions {
  expiresInSeconds: number;
  /** The Content-Disposition the store must answer with (e.g. an attachment with the item's name). */
  contentDisposition?: string;
  /** The Content-Type the store must answer with; by default the one stored with the object. */
  contentType?: string;
}
