import { MAX_INSTANT_MS } from "@/lib/validation/primitives";

/**
 * The opaque keyset cursor of paginated lists (gallery, asset library): base64url text of `<ms>.<id>`. A pure leaf
 * (no server imports), so the data layer and the gallery's query builder share it without importing each other.
 */
export type Cursor = { at: Date; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`).toString("base64url");
}

/**
 * null for anything that is not a cursor this module could have written: not base64url text of `<ms>.<id>`, or an
 * instant outside 1970..9999. Such a cursor (tampered, or made by hand) reads as "from the start", never as an error.
 */
export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value || value.length > 200) return null;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match) return null;
  const ms = Number(match[1]);
  return ms <= MAX_INSTANT_MS ? { at: new Date(ms), id: match[2]! } : null;
}
