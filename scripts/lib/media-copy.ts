/**
 * Copies every stored object of an installation from one storage to another (local disk → bucket for
 * `npm run media:to-s3`, bucket → local disk with `--back`), checking each object's SHA-256 on the way. What it
 * promises:
 * - Only the database's objects are copied (originals and thumbnails of media and assets, trashed items included:
 *   their files live until the trash is emptied); stray files are left where they are. Rows are read in pages.
 * - Where the database holds the file's SHA-256 (Media.checksum and Asset.checksum, both of the stored bytes), the
 *   source must match it before anything is copied, and the copy must match it after. Thumbnails have none: their
 *   copy is checked against the source's bytes. A copy that does not match is deleted again, so a later run retries it.
 * - Resumable: an object already at the target with the same size and SHA-256 (an S3 object's `sha256` metadata,
 *   which every copy carries; a file on disk is hashed) is skipped. Running it twice moves nothing the second time.
 * - Nothing is ever deleted from the source.
 * - Every object ends in the report as moved, skipped or failed with its reason; nothing stops the run early.
 * Bytes stream through (never a whole file in memory), a few objects at a time.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { contentTypeForKey } from "@/lib/storage/keys";
import type { S3ObjectInfo } from "@/lib/storage/s3";
import type { Storage } from "@/lib/storage/types";

export interface StoredObjectRow {
  key: string;
  /** SHA-256 (hex) of the stored bytes per the database, or null (thumbnails). */
  sha256: string | null;
}

export interface CopyReport {
  moved: { key: string; bytes: number }[];
  skipped: string[];
  failed: { key: string; reason: string }[];
}

/** A storage that can say an object's SHA-256 from its metadata (S3) without reading it. */
type WithHead = Storage & { head?: (key: string) => Promise<S3ObjectInfo | null> };

const PAGE = 500;
const PARALLEL = 4;

/** Every object the database refers to, a page of rows at a time. */
export async function* storedObjects(client: pg.Client): AsyncGenerator<StoredObjectRow> {
  for (const table of ["Media", "Asset"] as const) {
    let after = "";
    for (;;) {
      const { rows } = await client.query<{ id: string; storageKey: string | null; thumbKey: string | null; checksum: string | null }>(
        `SELECT id, "storageKey", "thumbKey", checksum FROM "${table}" WHERE id > $1 ORDER BY id LIMIT ${PAGE}`,
        [after],
      );
      for (const row of rows) {
        if (row.storageKey) yield { key: row.storageKey, sha256: row.checksum };
        if (row.thumbKey) yield { key: row.thumbKey, sha256: null };
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

async function hashOf(store: Storage, key: string): Promise<{ sha256: string; size: number } | null> {
  const object = await store.get(key);
  if (!object) return null;
  const hash = createHash("sha256");
  let size = 0;
  const reader = object.stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.byteLength;
  }
  return { sha256: hash.digest("hex"), size };
}

/** The target's SHA-256 and size of `key`: from metadata when the store keeps it, else by reading the object. */
async function targetHash(target: WithHead, key: string): Promise<{ sha256: string | null; size: number } | null> {
  if (target.head) {
    const info = await target.head(key);
    return info && { sha256: info.sha256, size: info.size };
  }
  return hashOf(target, key);
}

async function copyOne(row: StoredObjectRow, source: Storage, target: WithHead, report: CopyReport): Promise<void> {
  const { key } = row;
  const local = await hashOf(source, key);
  if (!local) {
    report.failed.push({ key, reason: "missing from the source" });
    return;
  }
  if (row.sha256 && row.sha256 !== local.sha256) {
    report.failed.push({ key, reason: `the source's SHA-256 ${local.sha256} is not the database's ${row.sha256}: not copied` });
    return;
  }
  const there = await targetHash(target, key);
  if (there && there.size === local.size && there.sha256 === local.sha256) {
    report.skipped.push(key);
    return;
  }
  const object = await source.get(key);
  if (!object) {
    report.failed.push({ key, reason: "missing from the source" });
    return;
  }
  // An S3 target keeps the SHA-256 in the object's metadata (what makes a later run skip it); the disk ignores it.
  const options = { contentType: contentTypeForKey(key), sha256: local.sha256 };
  await target.put(key, object.stream, options);
  // Read the copy back: the bytes that arrived, not the metadata we sent, are what is checked.
  const copy = await hashOf(target, key);
  const expected = row.sha256 ?? local.sha256;
  if (!copy || copy.sha256 !== expected || copy.size !== local.size) {
    await target.delete(key).catch(() => undefined);
    report.failed.push({ key, reason: `the copy's SHA-256 ${copy?.sha256 ?? "(missing)"} is not ${expected}: removed again` });
    return;
  }
  report.moved.push({ key, bytes: local.size });
}

/** Copies each object of `rows` from `source` to `target`, PARALLEL at a time, and says what happened to each. */
export async function copyMedia(
  rows: AsyncIterable<StoredObjectRow>,
  source: Storage,
  target: Storage,
  onProgress?: (done: number) => void,
): Promise<CopyReport> {
  const report: CopyReport = { moved: [], skipped: [], failed: [] };
  const iterator = rows[Symbol.asyncIterator]();
  let done = 0;
  let next: Promise<IteratorResult<StoredObjectRow>> | null = null;
  // One shared cursor: each worker takes the next row when it is free (the generator is not re-entrant, so its
  // next() calls are chained).
  const take = () => (next = (next ?? Promise.resolve(null)).then(() => iterator.next()));
  const worker = async () => {
    for (;;) {
      const item = await take();
      if (item.done) return;
      try {
        await copyOne(item.value, source, target as WithHead, report);
      } catch (error) {
        report.failed.push({ key: item.value.key, reason: (error as Error).message || String(error) });
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return report;
}
