import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Signed, expiring links to one stored file, for a provider that must fetch an input by URL (Qolaba). The link names
 * only an opaque storage key and an expiry, sealed with an HMAC under a key derived from AUTH_SECRET; it grants
 * nothing else, cannot be extended, and needs PUBLIC_URL (the address the provider can reach).
 */

type Payload = { k: string; e: number };

function signingKey(): Buffer {
  return createHmac("sha256", env().AUTH_SECRET).update("atelier-signed-file-links").digest();
}

function mac(body: string): string {
  return createHmac("sha256", signingKey()).update(body).digest("base64url");
}

export function signFileToken(storageKey: string, ttlSeconds: number, now = Date.now()): string {
  const payload: Payload = { k: storageKey, e: Math.floor(now / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(body)}`;
}

/** The file a token grants, or null when it is malformed, forged or expired. */
export function verifyFileToken(token: string, now = Date.now()): { storageKey: string } | null {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<Payload>;
    if (typeof payload.k !== "string" || typeof payload.e !== "number") return null;
    if (payload.e * 1000 < now) return null;
    return { storageKey: payload.k };
  } catch {
    return null;
  }
}

/** An absolute signed link on PUBLIC_URL, or null when the server has no public address configured. */
export function signedFileUrl(storageKey: string, ttlSeconds = 60 * 60): string | null {
  const publicUrl = env().PUBLIC_URL;
  if (!publicUrl) return null;
  return `${publicUrl.replace(/\/$/, "")}/api/files/${signFileToken(storageKey, ttlSeconds)}`;
}
