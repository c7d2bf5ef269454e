import "server-only";
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat as statFile } from "node:fs/promises";
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertSafeKey, contentTypeForKey } from "@/lib/storage/keys";
import type { ByteRange, PresignedGetOptions, Storage, StorageStat, StoredObject } from "@/lib/storage/types";

/**
 * Storage in an S3-compatible object store (AWS S3, Cloudflare R2, SeaweedFS, Garage, Swift's s3api ...), on the AWS
 * SDK v3. What it promises, beyond the Storage interface:
 * - Bytes stream both ways: a stream or a file goes up as a multipart Upload (8 MB parts, two in flight: about 16 MB
 *   of memory whatever the size; a body under one part is a single PutObject), and `get` hands back the response's
 *   own stream. An object appears only when its upload completes, so a reader never sees half a file.
 * - `get` passes a range on as `Range: bytes=a-b`; the size it reports is the whole object's, from Content-Range.
 * - `delete` is one DeleteObject per key (deleting a missing key succeeds). Never DeleteObjects: current SDKs sign it
 *   with a CRC32 checksum instead of the Content-MD5 several stores (Swift among them) still require.
 * - Checksums are computed only where the API requires them (`WHEN_REQUIRED`): the SDK's newer default (CRC32 on
 *   every upload, aws-chunked trailers for streams) is refused by several S3-compatible stores.
 * - `presignedGetUrl` signs a GET that the bucket answers directly (SigV4, query-string signed, expiring), with the
 *   Content-Disposition and Content-Type the response must carry.
 * - `check()` answers in one sentence an admin can act on: bucket missing, credentials refused, store unreachable.
 * The endpoint comes from the admin's configuration (lib/env.ts), never from user input, so the SDK's own HTTP client
 * is used, not the outbound-address check of lib/net.
 */
export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** For stores other than AWS (e.g. http://127.0.0.1:9000); the SDK's AWS endpoint otherwise. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omitted: the AWS SDK's default chain (environment, shared profile, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Optional extras of `put`/`putFile` on this store: the SHA-256 (hex) kept in the object's metadata (media:to-s3). */
export interface S3PutOptions {
  contentType: string;
  sha256?: string;
}

export interface S3ObjectInfo extends StorageStat {
  /** The SHA-256 recorded in the object's metadata when it was written with one, else null. */
  sha256: string | null;
}

const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
const CHECK_TIMEOUT_MS = 10_000;
const MAX_SOCKETS = 256;

export class S3Storage implements Storage {
  readonly client: S3Client;
  private writeChecked = false;

  constructor(private readonly config: S3StorageConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle ?? false,
      credentials: config.credentials,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // Every file the app streams holds one connection until the browser has it (a gallery page is 48 thumbnails):
      // the SDK's default of 50 sockets would queue a busy instance's reads. A store that does not accept the
      // connection fails the request in 5 s rather than the operating system's minutes.
      requestHandler: {
        connectionTimeout: 5_000,
        httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
        httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
      },
    });
  }

  async put(key: string, body: Uint8Array | ReadableStream<Uint8Array>, options: S3PutOptions): Promise<{ size: number }> {
    assertSafeKey(key);
    if (body instanceof Uint8Array) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: body, ContentLength: body.byteLength, ...this.objectHeaders(options) }),
      );
      return { size: body.byteLength };
    }
    let size = 0;
    const source = body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await source.read();
        if (done) return controller.close();
        size += value.byteLength;
        controller.enqueue(value);
      },
      cancel: (reason) => source.cancel(reason),
    });
    try {
      await this.upload(key, counted, options);
    } catch (error) {
      // The source is cancelled, so whatever feeds it (a file, a download) is released at once. (A pipe would wait
      // for its pending write, which nobody reads any more.)
      await source.cancel(error).catch(() => undefined);
      throw error;
    }
    return { size };
  }

  async putFile(key: string, filePath: string, options: S3PutOptions): Promise<{ size: number }> {
    assertSafeKey(key);
    const { size } = await statFile(filePath);
    const file = createReadStream(filePath);
    try {
      await this.upload(key, file, options);
    } finally {
      file.destroy(); // closes the descriptor when the upload failed before reading to the end
    }
    return { size };
  }

  async stat(key: string): Promise<StorageStat | null> {
    const info = await this.head(key);
    return info && { size: info.size, contentType: info.contentType };
  }

  /** HeadObject with the SHA-256 from the object's metadata; null when the key does not exist. */
  async head(key: string): Promise<S3ObjectInfo | null> {
    assertSafeKey(key);
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return { size: answer.ContentLength ?? 0, contentType: answer.ContentType ?? contentTypeForKey(key), sha256: answer.Metadata?.sha256 ?? null };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    assertSafeKey(key);
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!answer.Body) throw new Error(`the object store answered GetObject for ${key} without a body`);
      // "bytes 0-9/1234": the whole object's size is after the slash; without a range, the length is the size.
      const total = answer.ContentRange ? Number(answer.ContentRange.split("/")[1]) : answer.ContentLength;
      if (total === undefined || !Number.isFinite(total)) throw new Error(`the object store did not say the size of ${key}`);
      return { stream: answer.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: total, contentType: answer.ContentType ?? contentTypeForKey(key) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  async presignedGetUrl(key: string, options: PresignedGetOptions): Promise<string> {
    assertSafeKey(key);
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: key,
      ResponseContentDisposition: options.contentDisposition,
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  /**
   * HeadBucket every time (cheap: the readiness route calls it), and once per process, after the first success, a
   * tiny object written and deleted again: read-only credentials would otherwise pass and fail at the first upload.
   */
  async check(): Promise<void> {
    const { bucket } = this.config;
    const where = this.config.endpoint ? `at ${this.config.endpoint}` : `in AWS region ${this.config.region}`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      if (!this.writeChecked) {
        const probe = `atelier-check/${randomUUID()}.txt`;
        await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: probe, Body: "ok", ContentType: "text/plain" }), {
          abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        });
        await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: probe }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
        this.writeChecked = true;
      }
    } catch (error) {
      throw new Error(checkProblem(error, bucket, where, this.config.endpoint));
    }
  }

  private objectHeaders(options: S3PutOptions) {
    return { ContentType: options.contentType, Metadata: options.sha256 ? { sha256: options.sha256 } : undefined };
  }

  private async upload(key: string, body: ReadableStream<Uint8Array> | NodeJS.ReadableStream, options: S3PutOptions): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: key, Body: body as never, ...this.objectHeaders(options) },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      // A failed multipart upload is aborted, so no orphan parts are left to be billed.
      leavePartsOnError: false,
    });
    await upload.done();
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "NotFound" || name === "NoSuchKey" || statusOf(error) === 404;
}

/** One sentence for an admin, never a stack or the store's own text (it may echo a key id). */
function checkProblem(error: unknown, bucket: string, where: string, endpoint: string | undefined): string {
  const name = (error as { name?: string })?.name ?? "";
  const code = (error as NodeJS.ErrnoException)?.code ?? "";
  const status = statusOf(error);
  if (status === 404 || name === "NotFound" || name === "NoSuchBucket") {
    return `The bucket "${bucket}" does not exist ${where}: create it, or set S3_BUCKET to an existing bucket.`;
  }
  if (status === 403 || status === 401 || ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "Forbidden"].includes(name)) {
    return (
      `The object store ${where} refused access to the bucket "${bucket}" with these credentials (${status ?? name}): check ` +
      "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the credentials the AWS SDK finds), and that they may read and write the bucket."
    );
  }
  if (status === 301 || name === "PermanentRedirect") {
    return `The bucket "${bucket}" is in another region than S3_REGION (${where}): set S3_REGION to the bucket's region.`;
  }
  if (name === "CredentialsProviderError") {
    return "No credentials for the object store: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the AWS SDK credentials (environment, profile or role).";
  }
  if (name === "TimeoutError" || name === "AbortError") {
    return `The object store ${where} did not answer in time: check S3_ENDPOINT and that the store is running.`;
  }
  const networkCode = code || ((error as { cause?: { code?: string } })?.cause?.code ?? "");
  if (networkCode && !(error instanceof S3ServiceException)) {
    return `The object store ${endpoint ? `at ${endpoint}` : where} can't be reached (${networkCode}): check S3_ENDPOINT and that the store is running.`;
  }
  return `The object store ${where} answered ${status ?? name ?? "an error"} to a check of the bucket "${bucket}".`;
}
