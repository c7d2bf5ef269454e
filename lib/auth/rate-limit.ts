import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * A sliding-window limiter kept in PostgreSQL, so every app instance sees the same counts. Callers record only the
 * events that should count (failed sign-ins, sign-ups) and ask before doing the work.
 */
export type Limit = { bucket: string; max: number; windowMs: number };

export const limits = {
  signInByEmail: { bucket: "sign-in:email", max: 5, windowMs: 15 * 60 * 1000 },
  signInByIp: { bucket: "sign-in:ip", max: 30, windowMs: 15 * 60 * 1000 },
  /** ATELIER_SIGNUPS_PER_HOUR accounts per network address per hour (default 30). */
  get signUpByIp(): Limit {
    return { bucket: "sign-up:ip", max: env().ATELIER_SIGNUPS_PER_HOUR, windowMs: 60 * 60 * 1000 };
  },
} satisfies Record<string, Limit>;

/** Seconds until the caller may try again, or 0 if under the limit. */
export async function retryAfterSeconds(limit: Limit, key: string): Promise<number> {
  const since = new Date(Date.now() - limit.windowMs);
  const hits = await db.rateLimitHit.findMany({
    where: { bucket: limit.bucket, key, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: limit.max,
    select: { createdAt: true },
  });
  if (hits.length < limit.max) return 0;
  const oldestCounted = hits[hits.length - 1]!.createdAt.getTime();
  return Math.max(1, Math.ceil((oldestCounted + limit.windowMs - Date.now()) / 1000));
}

export async function recordHit(limit: Limit, key: string) {
  await db.rateLimitHit.create({ data: { bucket: limit.bucket, key } });
  // Keep the table small: drop this key's hits that have left the window.
  await db.rateLimitHit.deleteMany({
    where: { bucket: limit.bucket, key, createdAt: { lt: new Date(Date.now() - limit.windowMs) } },
  });
}

export async function clearHits(limit: Limit, key: string) {
  await db.rateLimitHit.deleteMany({ where: { bucket: limit.bucket, key } });
}
