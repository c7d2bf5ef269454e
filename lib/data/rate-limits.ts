import "server-only";
import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import type { LimitRule } from "@/lib/limits/types";
import { logger } from "@/lib/logger";

/**
 * Where the rate limits' counters live: rate-limiter-flexible's PostgreSQL store on the "RateLimit" table (created by
 * a migration, so the app's role needs only DML on it), through a small pool of its own (the library speaks `pg`,
 * not Prisma). One store per rule, shared by the whole process through globalThis (Next.js may load this module in
 * more than one bundle). The rules themselves (hashing, verdicts) are lib/limits/rate-limiter.ts.
 */

const TABLE = "RateLimit";
const globalForLimits = globalThis as unknown as { atelierLimitPool?: pg.Pool; atelierLimiters?: Map<string, RateLimiterPostgres> };

function pool(): pg.Pool {
  if (!globalForLimits.atelierLimitPool) {
    // synchronous_commit off for these connections only: a counter's update returns without waiting for the WAL to
    // reach the disk (four of them precede every submit, and a slow flush was the largest part of its tail). After a
    // crash of the database the last fraction of a second of counting may be lost, which can only allow a few extra
    // attempts once; the table is never corrupted by it (PostgreSQL's asynchronous commit).
    const created = new pg.Pool({ connectionString: env().DATABASE_URL, max: 5, options: "-c synchronous_commit=off" });
    // An idle client that loses its connection (a database restart) must not take the process down: the pool drops
    // it and the next query opens a new one.
    created.on("error", (error) => logger.warn("limits: idle database connection lost", { error: error.message }));
    globalForLimits.atelierLimitPool = created;
  }
  return globalForLimits.atelierLimitPool;
}

/** The counters of one rule, on the shared table, namespaced by the rule's name. */
export function rateLimitStore(rule: LimitRule): RateLimiterPostgres {
  const limiters = (globalForLimits.atelierLimiters ??= new Map());
  const id = `${rule.name}|${rule.points}|${rule.durationSeconds}|${rule.blockSeconds ?? 0}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: pool(),
      storeType: "pool",
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: true,
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.durationSeconds,
      blockDuration: rule.blockSeconds ?? 0,
    });
    limiters.set(id, limiter);
  }
  return limiter;
}
