import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe. Used for session and invitation tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens are stored only as their SHA-256, so a database dump does not hand out live sessions or invites. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
