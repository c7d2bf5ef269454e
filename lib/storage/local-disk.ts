import "server-only";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { constants } from "node:fs";
import { access, copyFile, mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertSafeKey, contentTypeForKey } from "@/lib/storage/keys";
import type { ByteRange, Storage, StorageStat, StoredObject } from "@/lib/storage/types";

/**
 * Storage on the local disk, under one root folder (MEDIA_DIR). Writes are atomic: bytes go to a temporary file in
 * the same folder, are fsynced, then renamed over the key, so a reader sees the old object, the new one, or none,
 * never half a file (a crash leaves at most a `.tmp-*` file behind). The content type is derived from the key's
 * extension (Atelier always writes keys with the right one).
 */
export class LocalDiskStorage implements Storage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error("storage key escapes the root");
    return full;
  }

  async put(key: string, body: Uint8Array | ReadableStream<Uint8Array>, _options: { contentType: string }): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomBytes(6).toString("hex")}`;
    const handle = await open(temp, "wx");
    let size = 0;
    try {
      if (body instanceof Uint8Array) {
        await handle.write(body);
        size = body.byteLength;
      } else {
        const reader = body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await handle.write(value);
          size += value.byteLength;
        }
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, target);
    return { size };
  }

  async putFile(key: string, filePath: string, _options: { contentType: string }): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomBytes(6).toString("hex")}`;
    let size: number;
    try {
      // copy_file_range on Linux: the kernel copies, no bytes pass through this process's memory.
      await copyFile(filePath, temp, constants.COPYFILE_EXCL);
      const handle = await open(temp, "r+");
      try {
        await handle.sync();
        size = (await handle.stat()).size;
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await rename(temp, target);
    return { size };
  }

  async stat(key: string): Promise<StorageStat | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size, contentType: contentTypeForKey(key) } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const info = await this.stat(key);
    if (!info) return null;
    const options = range ? { start: range.start, end: range.end } : {};
    const stream = Readable.toWeb(createReadStream(this.pathOf(key), options)) as ReadableStream<Uint8Array>;
    return { stream, size: info.size, contentType: info.contentType };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new Error(`The media folder ${this.root} can't be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
}
