import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { LocalDiskStorage } from "@/lib/storage/local-disk";
import type { Storage } from "@/lib/storage/types";

export type { ByteRange, Storage, StorageStat, StoredObject } from "@/lib/storage/types";

const globalForStorage = globalThis as unknown as { atelierStorage?: Storage };

/** The process's storage (local disk under MEDIA_DIR, default .data/media). */
export function storage(): Storage {
  globalForStorage.atelierStorage ??= new LocalDiskStorage(env().MEDIA_DIR ?? path.join(process.cwd(), ".data", "media"));
  return globalForStorage.atelierStorage;
}
