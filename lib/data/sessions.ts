import "server-only";
import { db } from "@/lib/db";

/**
 * The Session table behind Auth.js's cookie (lib/auth/sessions.ts decides the policy: token, lifetime, sliding).
 * Rows are found by the token's hash only; the token itself is never stored.
 */

export async function insertSession(input: { tokenHash: string; userId: string; expires: Date; userAgent: string | null; ipAddress: string | null }) {
  await db.session.create({ data: input });
}

/** The session with this token hash, with whether its user is disabled; null when there is none. */
export async function findSession(tokenHash: string) {
  return db.session.findUnique({
    where: { tokenHash },
    select: { id: true, userId: true, expires: true, lastSeenAt: true, user: { select: { disabledAt: true } } },
  });
}

export async function touchSession(id: string, lastSeenAt: Date, expires: Date) {
  await db.session.updateMany({ where: { id }, data: { lastSeenAt, expires } });
}

export async function deleteSessionById(id: string) {
  await db.session.deleteMany({ where: { id } });
}

export async function deleteSessionByTokenHash(tokenHash: string) {
  await db.session.deleteMany({ where: { tokenHash } });
}

/** Deletes every session of a user; returns how many there were. */
export async function deleteUserSessions(userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}
