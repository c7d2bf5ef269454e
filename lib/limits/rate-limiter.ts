import "server-only";
import { createHash } from "node:crypto";
import type { RateLimiterRes } from "rate-limiter-flexible";
import { rateLimitStore as limiterFor } from "@/lib/data/rate-limits";
import type { LimitRule } from "@/lib/limits/types";

/**
 * Rate limits shared by every app instance, on rate-limiter-flexible's PostgreSQL store (table "RateLimit": its pool
 * and stores are lib/data/rate-limits.ts). What it promises:
 * - `consume` is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement: concurrent callers are counted
 *   atomically, so 50 parallel attempts against a limit of 5 let exactly 5 through.
 * - A window is fixed: it starts with the first point and lasts `durationSeconds`; `blockSeconds`, when set, keeps a
 *   key refused that long after it went over.
 * - Keys are hashed (an email or an address never sits in the table as typed) and namespaced by the rule's name.
 * - A refusal carries the seconds until the key may try again, for "Try again in …" messages and Retry-After.
 */

export type { LimitRule };

export type LimitVerdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

const hashed = (key: string) => createHash("sha256").update(key).digest("base64url").slice(0, 32);

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * A refusal is a RateLimiterRes (not an Error). Checked by shape: limiters are shared through globalThis, and a
 * bundle other than this one may have created the class an instance came from.
 */
function isRefusal(value: unknown): value is RateLimiterRes {
  return typeof value === "object" && value !== null && !(value instanceof Error) && typeof (value as RateLimiterRes).msBeforeNext === "number";
}

/** Takes `points` from the key's allowance; refused (and nothing taken beyond the count) once it is used up. */
export async function consume(rule: LimitRule, key: string, points = 1): Promise<LimitVerdict> {
  try {
    const res = await limiterFor(rule).consume(hashed(key), points);
    return { ok: true, remaining: res.remainingPoints };
  } catch (rejection) {
    if (isRefusal(rejection)) return { ok: false, retryAfterSeconds: retryAfter(rejection) };
    throw rejection;
  }
}

/** The key's state without taking anything. */
export async function peek(rule: LimitRule, key: string): Promise<LimitVerdict> {
  const res = await limiterFor(rule).get(hashed(key));
  if (!res || res.consumedPoints < rule.points) return { ok: true, remaining: res ? res.remainingPoints : rule.points };
  return { ok: false, retryAfterSeconds: retryAfter(res) };
}

/** Gives points back (an attempt that turned out not to count, e.g. a correct password). */
export async function refund(rule: LimitRule, key: string, points = 1): Promise<void> {
  await limiterFor(rule).reward(hashed(key), points);
}

/** Forgets the key entirely. */
export async function reset(rule: LimitRule, key: string): Promise<void> {
  await limiterFor(rule).delete(hashed(key));
}
