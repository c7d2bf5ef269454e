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
  /**
   * Resolves when the store can be written and read now (the media folder exists and is writable; the bucket is
   * reachable with these credentials); rejects with a sentence an admin can act on. Used at start-up and by the
   * readiness route.
   */
  check(): Promise<void>;
}
