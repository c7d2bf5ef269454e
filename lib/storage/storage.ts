import "server-only";
import path from "node:path";
import { env, type Env } from "@/lib/env";
import { LocalDiskStorage } from "@/lib/storage/local-disk";
import { S3Storage } from "@/lib/storage/s3";
import type { Storage } from "@/lib/storage/types";

export type { ByteRange, PresignedGetOptions, Storage, StorageStat, StoredObject } from "@/lib/storage/types";

const globalForStorage = globalThis as unknown as { atelierStorage?: Storage };

/** The storage STORAGE_DRIVER names: local disk under MEDIA_DIR (default .data/media), or an S3 bucket. */
export function createStorage(config: Env): Storage {
  if (config.STORAGE_DRIVER === "s3") {
    return new S3Storage({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION!,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials:
        config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
          : undefined,
    });
  }
  return new LocalDiskStorage(config.MEDIA_DIR ?? path.join(process.cwd(), ".data", "media"));
}

/** The process's storage, made once from the configuration. */
export function storage(): Storage {
  globalForStorage.atelierStorage ??= createStorage(env());
  return globalForStorage.atelierStorage;
}
