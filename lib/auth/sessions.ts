import "server-only";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { deleteSessionById, deleteSessionByTokenHash, deleteUserSessions, findSession, insertSession, touchSession } from "@/lib/data/sessions";

/**
 * Server-side sessions behind Auth.js's encrypted cookie. The cookie carries a random 256-bit token; the database
 * holds its hash. A session is valid only while its row exists, has not expired and its user is not disabled, so
 * sign-out, disabling a user or "sign out everywhere" take effect on the very next request.
 */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const TOUCH_INTERVAL_MS = 10 * 60 * 1000;

export async function createSession(userId: string, meta: { userAgent?: string | null; ipAddress?: string | null } = {}) {
  const token = randomToken(32);
  await insertSession({
    tokenHash: hashToken(token),
    userId,
    expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
    ipAddress: meta.ipAddress?.slice(0, 100) ?? null,
  });
  return token;
}

/** Returns the session's user id if the token is live; slides the expiry at most every ten minutes. */
export async function validateSession(token: string): Promise<{ userId: string } | null> {
  const session = await findSession(hashToken(token));
  if (!session || session.user.disabledAt) return null;
  const now = Date.now();
  if (session.expires.getTime() <= now) {
    await deleteSessionById(session.id);
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(session.id, new Date(now), new Date(now + SESSION_MAX_AGE_SECONDS * 1000));
  }
  return { userId: session.userId };
}

export async function revokeSession(token: string) {
  await deleteSessionByTokenHash(hashToken(token));
}

export async function revokeAllSessions(userId: string) {
  return deleteUserSessions(userId);
}
